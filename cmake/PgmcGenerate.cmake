# pgmc_generate(TARGET <name> MIGRATIONS <dir> [PREFIX <prefix>]
#               [FORMAT <format>] [QUERIES <file>...])
#
# Runs `pgmc gen` as a build step and wraps its output, <prefix>.h and
# <prefix>.c, in a static library target <name>. The target links libpgmc and
# libpq and has a PUBLIC include directory, so `#include "<prefix>.h"` works
# for anything that links it. PREFIX defaults to TARGET.
#
# Adding, removing or editing a file under MIGRATIONS regenerates on the next
# build: the file list is globbed with CONFIGURE_DEPENDS, and every file is a
# dependency of the generation step.
function(pgmc_generate)
  cmake_parse_arguments(PG "" "TARGET;MIGRATIONS;PREFIX;FORMAT" "QUERIES" ${ARGN})
  if(NOT PG_TARGET)
    message(FATAL_ERROR "pgmc_generate: TARGET is required")
  endif()
  if(NOT PG_MIGRATIONS)
    message(FATAL_ERROR "pgmc_generate: MIGRATIONS is required")
  endif()
  if(NOT PG_PREFIX)
    set(PG_PREFIX ${PG_TARGET})
  endif()
  if(NOT PG_FORMAT)
    set(PG_FORMAT auto)
  endif()
  get_filename_component(mig_dir "${PG_MIGRATIONS}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${mig_dir}")
    message(FATAL_ERROR "pgmc_generate: MIGRATIONS directory ${mig_dir} does not exist")
  endif()
  file(GLOB_RECURSE mig_files CONFIGURE_DEPENDS "${mig_dir}/*.sql")
  set(query_args)
  set(query_files)
  foreach(q IN LISTS PG_QUERIES)
    get_filename_component(qa "${q}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND query_args --queries "${qa}")
    list(APPEND query_files "${qa}")
  endforeach()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/${PG_TARGET}_pgmc")
  # A removed file leaves every remaining dependency older than the output,
  # so the file list itself is a dependency: CMake re-runs when the glob
  # changes, and file(CONFIGURE) rewrites the list only when it differs.
  string(REPLACE ";" "\n" mig_list "${mig_files}")
  set(list_file "${out_dir}/migrations.list")
  file(CONFIGURE OUTPUT "${list_file}" CONTENT "${mig_list}\n" @ONLY)
  add_custom_command(
    OUTPUT "${out_dir}/${PG_PREFIX}.h" "${out_dir}/${PG_PREFIX}.c"
    COMMAND $<TARGET_FILE:pgmc> gen --migrations "${mig_dir}" --prefix "${PG_PREFIX}"
            --out-dir "${out_dir}" --format "${PG_FORMAT}" ${query_args}
    DEPENDS pgmc ${mig_files} ${query_files} "${list_file}"
    COMMENT "pgmc: generating ${PG_PREFIX}.c from ${PG_MIGRATIONS}"
    VERBATIM)
  add_library(${PG_TARGET} STATIC "${out_dir}/${PG_PREFIX}.c" "${out_dir}/${PG_PREFIX}.h")
  target_include_directories(${PG_TARGET} PUBLIC "${out_dir}")
  target_link_libraries(${PG_TARGET} PUBLIC pgmc::runtime pgmc_libpq)
endfunction()
