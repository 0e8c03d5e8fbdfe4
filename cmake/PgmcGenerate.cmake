# pgmc_generate(TARGET <name> MIGRATIONS <dir> [PREFIX <prefix>]
#               [FORMAT <format>] [QUERIES <file>...])
#
# Runs `pgmc gen` as a build step and wraps its output, <prefix>.h and
# <prefix>.c, in a static library target <name>. The target links libpgmc and
# libpq and has a PUBLIC include directory, so `#include "<prefix>.h"` works
# for anything that links it. PREFIX defaults to TARGET.
#
# Adding, removing or editing a migration (or a settings file: diesel's
# metadata.toml, flyway's .sql.conf) regenerates on the next build, and a
# build without changes does not run the generator:
#   - Ninja generators: `pgmc gen --depfile` writes <prefix>.d, a
#     Makefile-syntax list of every file it read and every directory it
#     listed (a directory's mtime changes when an entry is added or
#     removed), which CMake hands to Ninja through DEPFILE. No reconfigure
#     is needed when files come and go. All paths in it are absolute, so
#     CMP0116 (how relative depfile paths resolve) does not matter.
#   - Other generators: the Makefile generators also take DEPFILE (CMake
#     3.20+), but CMake 3.25 merges each new depfile into the dependencies
#     it already has, so a removed migration stays a dependency that no
#     longer exists and the generator runs on every build from then on.
#     There the inputs are globbed with CONFIGURE_DEPENDS instead (CMake
#     re-runs when the list changes), and the list itself, rewritten only
#     when it differs, is a dependency, so a removal regenerates too.
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
  set(query_args)
  set(query_files)
  foreach(q IN LISTS PG_QUERIES)
    get_filename_component(qa "${q}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND query_args --queries "${qa}")
    list(APPEND query_files "${qa}")
  endforeach()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/${PG_TARGET}_pgmc")
  set(depfile_arg)    # pgmc gen's option
  set(depfile_option) # add_custom_command's
  set(dep_files)
  set(touch_outputs)
  if(CMAKE_GENERATOR MATCHES "Ninja")
    set(dep_file "${out_dir}/${PG_PREFIX}.d")
    set(depfile_arg --depfile "${dep_file}")
    set(depfile_option DEPFILE "${dep_file}")
  else()
    file(GLOB_RECURSE mig_files CONFIGURE_DEPENDS "${mig_dir}/*.sql" "${mig_dir}/*.sql.conf"
         "${mig_dir}/*/metadata.toml")
    string(REPLACE ";" "\n" mig_list "${mig_files}")
    set(list_file "${out_dir}/migrations.list")
    file(CONFIGURE OUTPUT "${list_file}" CONTENT "${mig_list}\n" @ONLY)
    set(dep_files ${mig_files} "${list_file}")
    # pgmc gen leaves an output alone when its content did not change; make
    # has no restat (Ninja has), so after an input was merely touched the
    # outputs would stay older than it and the generator would run on every
    # build. Touching them makes such a build the last one.
    set(touch_outputs COMMAND "${CMAKE_COMMAND}" -E touch_nocreate "${out_dir}/${PG_PREFIX}.h"
                      "${out_dir}/${PG_PREFIX}.c")
  endif()
  add_custom_command(
    OUTPUT "${out_dir}/${PG_PREFIX}.h" "${out_dir}/${PG_PREFIX}.c"
    COMMAND $<TARGET_FILE:pgmc> gen --migrations "${mig_dir}" --prefix "${PG_PREFIX}"
            --out-dir "${out_dir}" --format "${PG_FORMAT}" ${query_args} ${depfile_arg}
    ${touch_outputs}
    DEPENDS pgmc ${dep_files} ${query_files}
    ${depfile_option}
    COMMENT "pgmc: generating ${PG_PREFIX}.c from ${PG_MIGRATIONS}"
    VERBATIM)
  add_library(${PG_TARGET} STATIC "${out_dir}/${PG_PREFIX}.c" "${out_dir}/${PG_PREFIX}.h")
  target_include_directories(${PG_TARGET} PUBLIC "${out_dir}")
  target_link_libraries(${PG_TARGET} PUBLIC pgmc::runtime pgmc_libpq)
endfunction()
