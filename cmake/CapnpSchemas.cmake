# C++ code generated from .capnp files: mpjava_capnp_cpp(<srcs-var> PREFIX <dir>
# OUTPUT <dir> [IMPORTS <dir>...] FILES <file>...). Does what Cap'n Proto's
# capnp_generate_cpp does (outputs at OUTPUT/<file relative to PREFIX>.c++/.h), but
# runs `capnp compile` in OUTPUT with PWD set to it: make changes directory without
# updating PWD, and KJ warns when PWD does not match the current directory.
function(mpjava_capnp_cpp srcs_var)
  cmake_parse_arguments(ARG "" "PREFIX;OUTPUT" "IMPORTS;FILES" ${ARGN})
  set(include_path -I ${ARG_PREFIX} -I ${CAPNP_INCLUDE_DIRECTORY})
  foreach(dir ${ARG_IMPORTS})
    list(APPEND include_path -I ${dir})
  endforeach()
  file(MAKE_DIRECTORY ${ARG_OUTPUT})
  set(srcs)
  foreach(schema ${ARG_FILES})
    file(RELATIVE_PATH rel ${ARG_PREFIX} ${schema})
    set(base ${ARG_OUTPUT}/${rel})
    add_custom_command(
      OUTPUT ${base}.c++ ${base}.h
      COMMAND ${CMAKE_COMMAND} -E env PWD=${ARG_OUTPUT}
        ${CAPNP_EXECUTABLE} compile -o ${CAPNPC_CXX_EXECUTABLE}:${ARG_OUTPUT}
        --src-prefix ${ARG_PREFIX} ${include_path} ${schema}
      WORKING_DIRECTORY ${ARG_OUTPUT}
      DEPENDS ${schema}
      COMMENT "Compiling Cap'n Proto schema ${schema}"
      VERBATIM)
    list(APPEND srcs ${base}.c++)
  endforeach()
  set(${srcs_var} ${srcs} PARENT_SCOPE)
endfunction()
