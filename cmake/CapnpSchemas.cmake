# C++ code generated from .capnp files: mpjava_capnp_cpp(<srcs-var> PREFIX <dir>
# OUTPUT <dir> [IMPORTS <dir>...] FILES <file>...). Wraps Cap'n Proto's
# capnp_generate_cpp, whose inputs are variables, so each call keeps its own.
function(mpjava_capnp_cpp srcs_var)
  cmake_parse_arguments(ARG "" "PREFIX;OUTPUT" "IMPORTS;FILES" ${ARGN})
  set(CAPNPC_SRC_PREFIX ${ARG_PREFIX})
  set(CAPNPC_OUTPUT_DIR ${ARG_OUTPUT})
  set(CAPNPC_IMPORT_DIRS ${ARG_IMPORTS})
  file(MAKE_DIRECTORY ${ARG_OUTPUT})
  capnp_generate_cpp(srcs hdrs ${ARG_FILES})
  set(${srcs_var} ${srcs} PARENT_SCOPE)
endfunction()
