# Compiler warnings for mpjava's own targets: mpjava_warnings(<target>...).
# Our code builds without a warning; generated and third-party code is not held to it.
function(mpjava_warnings)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  endforeach()
endfunction()
