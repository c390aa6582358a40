#pragma once
namespace gm {
// Written into every generated file and manifest; bump when the emitted RTL changes.
inline constexpr const char* kVersion = "0.1.0";
}  // namespace gm
