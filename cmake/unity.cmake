# Unity (jumbo) builds: the sources of each library and of gm_tests are compiled in groups, each
# group one translation unit (build/<dir>/CMakeFiles/<target>.dir/Unity/), so the headers every file
# includes (the standard library, nlohmann/json, GoogleTest, CLI11) are parsed, and their templates
# instantiated and compiled, once per group instead of once per file: a cold build takes about half
# the CPU (docs/testing.md, "Unity builds"). -DGM_UNITY=OFF compiles file by file.
option(GM_UNITY "compile each target's sources in unity groups" ON)

# gm_unity_groups(target groups): puts each C++ source of `target` into one of `groups` unity groups,
# chosen by a hash of its path in the source tree. A file's group depends on nothing else, so adding
# or removing a file moves no other file: a clash between two files' internal names (files of one
# group share a translation unit) shows up when one of the two is added, never later because an
# unrelated file shifted a batch, as with CMake's batches (runs of the sorted source list). The
# sanitizer build compiles a subset of the same files into the same groups. About eight files a group.
function(gm_unity_groups target groups)
  if(NOT GM_UNITY)
    return()
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_MODE GROUP)
  get_target_property(sources ${target} SOURCES)
  foreach(src IN LISTS sources)
    if(NOT src MATCHES "\\.cpp$" OR NOT IS_ABSOLUTE "${src}")
      continue()
    endif()
    file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${src})
    string(MD5 hash "${rel}")
    string(SUBSTRING "${hash}" 0 7 head)
    math(EXPR group "0x${head} % ${groups}")
    set_source_files_properties(${src} TARGET_DIRECTORY ${target} PROPERTIES UNITY_GROUP "${target}_${group}")
  endforeach()
endfunction()
