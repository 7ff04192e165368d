# C++ tests register themselves: each MPJ_TEST in native/test adds itself to the test
# binary, and mpjava_discover_tests(<target>) asks the built binary for its list
# (`<binary> --list`) and hands one ctest test per name to ctest. A new test cannot be
# forgotten: there is no list to keep by hand.
set(MPJAVA_LIST_TESTS_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/ListTests.cmake)

function(mpjava_discover_tests target)
  cmake_parse_arguments(ARG "" "TIMEOUT" "" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 60)
  endif()
  set(list_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_tests.cmake)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DTEST_BINARY=$<TARGET_FILE:${target}> -DOUTPUT=${list_file}
            -DTIMEOUT=${ARG_TIMEOUT} -P ${MPJAVA_LIST_TESTS_SCRIPT}
    COMMENT "Listing the tests of ${target}"
    VERBATIM)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${list_file})
endfunction()
