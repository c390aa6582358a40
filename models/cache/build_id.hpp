// greenmac's build id: SHA-256 (64 lower-case hex digits) over greenmac's own sources and the build
// settings that change the code made from them (compiler and its version, build type, flags,
// library versions). Computed at build time by cmake/build_id.cmake into build_id.cpp in the build
// directory; every cache key includes it (CacheKey::add_build_id), so a code change gives new keys
// while greenmac and gm_tests, and rebuilds of unchanged sources, share entries.
#pragma once

namespace gm {

extern const char kBuildId[];

}  // namespace gm
