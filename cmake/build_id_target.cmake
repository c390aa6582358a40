# ---- greenmac's build id (models/cache/build_id.hpp): part of every cache key ------------------------
# A SHA-256 over greenmac's own sources (relative path and content) and the settings that change the
# code made from them, computed at build time by cmake/build_id.cmake and compiled into gm_models,
# so greenmac and gm_tests share it and a rebuild that changes nothing keeps the cache warm. The
# globs are CONFIGURE_DEPENDS and the lists go into build_id_inputs.cmake (rewritten only when they
# change, and a dependency of the id), so an added or removed file changes the id too.
set(BUILD_ID_GLOBS)
foreach(folder models generator rtl tb synth cli)
  list(APPEND BUILD_ID_GLOBS ${CMAKE_SOURCE_DIR}/${folder}/*.cpp ${CMAKE_SOURCE_DIR}/${folder}/*.hpp
       ${CMAKE_SOURCE_DIR}/${folder}/*.v ${CMAKE_SOURCE_DIR}/${folder}/*.ys ${CMAKE_SOURCE_DIR}/${folder}/*.tcl
       ${CMAKE_SOURCE_DIR}/${folder}/CMakeLists.txt)
endforeach()
file(GLOB_RECURSE BUILD_ID_FILES CONFIGURE_DEPENDS RELATIVE ${CMAKE_SOURCE_DIR} ${BUILD_ID_GLOBS}
     ${CMAKE_SOURCE_DIR}/cmake/*)
list(FILTER BUILD_ID_FILES EXCLUDE REGEX "^models/dnn/train/")
list(APPEND BUILD_ID_FILES CMakeLists.txt)
string(TOUPPER "${CMAKE_BUILD_TYPE}" BUILD_ID_CONFIG)
get_directory_property(BUILD_ID_OPTIONS COMPILE_OPTIONS)
set(BUILD_ID_SETTINGS "compiler=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}
build-type=${CMAKE_BUILD_TYPE}
cxx-standard=${CMAKE_CXX_STANDARD}
flags=${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${BUILD_ID_CONFIG}} ${BUILD_ID_OPTIONS}
link-flags=${CMAKE_EXE_LINKER_FLAGS} ${CMAKE_EXE_LINKER_FLAGS_${BUILD_ID_CONFIG}}
libraries=CLI11 ${CLI11_VERSION}, nlohmann_json ${nlohmann_json_VERSION}, OpenSSL ${OPENSSL_VERSION}, zlib ${ZLIB_VERSION_STRING}")
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/build_id_inputs.cmake CONTENT
"set(GM_BUILD_ID_ROOT [==[${CMAKE_SOURCE_DIR}]==])
set(GM_BUILD_ID_FILES [==[${BUILD_ID_FILES}]==])
set(GM_BUILD_ID_SETTINGS [==[${BUILD_ID_SETTINGS}]==])
")
list(TRANSFORM BUILD_ID_FILES PREPEND ${CMAKE_SOURCE_DIR}/ OUTPUT_VARIABLE BUILD_ID_PATHS)
# The stamp records that the id is up to date; build_id.cpp itself changes only with the id.
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/build_id.stamp BYPRODUCTS ${CMAKE_BINARY_DIR}/build_id.cpp
  COMMAND ${CMAKE_COMMAND} -DINPUTS=${CMAKE_BINARY_DIR}/build_id_inputs.cmake
          -DOUT=${CMAKE_BINARY_DIR}/build_id.cpp -P ${CMAKE_SOURCE_DIR}/cmake/build_id.cmake
  COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/build_id.stamp
  DEPENDS ${BUILD_ID_PATHS} ${CMAKE_BINARY_DIR}/build_id_inputs.cmake
  COMMENT "greenmac build id" VERBATIM)
# gm_models compiles these (models/CMakeLists.txt).
set(GM_BUILD_ID_SOURCES ${CMAKE_BINARY_DIR}/build_id.cpp ${CMAKE_BINARY_DIR}/build_id.stamp)
# Compiled on its own, not in a unity group (GM_UNITY): the id changes with every edit, and this
# keeps its recompilation to one line instead of a batch of gm_models.
set_source_files_properties(${CMAKE_BINARY_DIR}/build_id.cpp PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)

