#pragma once
namespace gm {
// greenmac's version, written into every generated file and manifest. It is set in one place,
// project(VERSION) in the top CMakeLists.txt, which defines GM_VERSION for every library.
inline constexpr const char* kVersion = GM_VERSION;
}  // namespace gm
