// Where greenmac's own files are: the hand-written RTL, the Verilator harness sources, the synthesis
// scripts, the models' headers and library (which the harnesses compile against) and the shipped
// network weights. They are found relative to the running binary, never through a path compiled
// in, so an installed greenmac works wherever its prefix is moved:
//
//   <prefix>/bin/greenmac                      the binary (also gm_tests, greenmac-train)
//   <prefix>/share/greenmac/                   data_dir(): rtl/, tb/, synth/scripts/, models/
//   <prefix>/lib/greenmac/libgm_models.a       models_library()
//
// The build tree has the same shape: build/greenmac beside build/share/greenmac/, whose entries are
// links to the source folders (see the top CMakeLists.txt), and build/lib/greenmac/.
#pragma once

#include <filesystem>

namespace gm {

// The directory of the running executable (/proc/self/exe).
std::filesystem::path executable_dir();

// share/greenmac beside or above the executable: the first of <exe dir>/../share/greenmac and
// <exe dir>/share/greenmac that holds rtl/. Throws UserError when neither does.
const std::filesystem::path& data_dir();

// A file of greenmac's data: data_dir() / relative, e.g. "synth/scripts/map.ys".
std::filesystem::path data_file(const std::filesystem::path& relative);

// The models library the Verilator harnesses link: <data_dir>/../../lib/greenmac/libgm_models.a.
std::filesystem::path models_library();

}  // namespace gm
