# Optional sanitizer builds of the native core, for ci/sanitize.sh.
#
#   -DMPJAVA_SANITIZE=            (default) a normal build; nothing here changes it
#   -DMPJAVA_SANITIZE=address     AddressSanitizer (with LeakSanitizer) + UndefinedBehaviorSanitizer
#   -DMPJAVA_SANITIZE=thread      ThreadSanitizer
#
# mpjava_sanitize(<target>...) adds the flags to both compiling and linking of each
# target. Only our own code is instrumented: Debian's kj/capnp and libstdc++.so stay
# as they are, which matters when reading reports (see ci/sanitize.sh).

set(MPJAVA_SANITIZE "" CACHE STRING "Sanitizer build: empty (none), address or thread")
set_property(CACHE MPJAVA_SANITIZE PROPERTY STRINGS "" address thread)

if(MPJAVA_SANITIZE STREQUAL "")
  set(MPJAVA_SANITIZE_FLAGS "")
elseif(MPJAVA_SANITIZE STREQUAL "address")
  # UBSan shares the ASan build; -fno-sanitize-recover turns each UB report into an
  # abort (non-zero exit) instead of a message the test run would ignore. Frame
  # pointers give the sanitizers' fast unwinder complete stacks.
  # GCC 12's -Wmaybe-uninitialized gives false positives under ASan at -O1, in kj's
  # Maybe and libstdc++'s regex headers; the Release build (-Wall) still checks our code.
  set(MPJAVA_SANITIZE_FLAGS
    -fsanitize=address,undefined
    -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer
    -Wno-maybe-uninitialized)
elseif(MPJAVA_SANITIZE STREQUAL "thread")
  # TSan cannot be combined with ASan, hence a build of its own.
  set(MPJAVA_SANITIZE_FLAGS
    -fsanitize=thread
    -fno-omit-frame-pointer)
else()
  message(FATAL_ERROR "MPJAVA_SANITIZE must be empty, \"address\" or \"thread\", not \"${MPJAVA_SANITIZE}\"")
endif()

if(NOT MPJAVA_SANITIZE STREQUAL "")
  # Debug info for symbolized stacks, light optimisation so the tests stay quick and
  # the stacks stay readable. -O1 comes after CMAKE_CXX_FLAGS_<CONFIG> on the command
  # line, so it overrides RelWithDebInfo's -O2.
  list(APPEND MPJAVA_SANITIZE_FLAGS -g -O1)
  message(STATUS "mpjava: sanitizer build (${MPJAVA_SANITIZE}): ${MPJAVA_SANITIZE_FLAGS}")
endif()

function(mpjava_sanitize)
  if(MPJAVA_SANITIZE STREQUAL "")
    return()
  endif()
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE ${MPJAVA_SANITIZE_FLAGS})
    target_link_options(${target} PRIVATE ${MPJAVA_SANITIZE_FLAGS})
  endforeach()
endfunction()
