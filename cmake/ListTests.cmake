# Run by mpjava_discover_tests after each build of a test binary (cmake -P): writes
# the ctest file that declares one test per name the binary lists.
execute_process(COMMAND ${TEST_BINARY} --list
  OUTPUT_VARIABLE names RESULT_VARIABLE rc ERROR_VARIABLE errors)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${TEST_BINARY} --list failed (${rc}): ${errors}")
endif()
string(REPLACE "\n" ";" names "${names}")
set(content "# Generated from `${TEST_BINARY} --list`; do not edit.\n")
foreach(name IN LISTS names)
  if(NOT name STREQUAL "")
    string(APPEND content "add_test(${name} \"${TEST_BINARY}\" ${name})\n")
    string(APPEND content "set_tests_properties(${name} PROPERTIES TIMEOUT ${TIMEOUT})\n")
  endif()
endforeach()
file(WRITE ${OUTPUT} "${content}")
