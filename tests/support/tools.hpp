// Whether what a test needs outside greenmac is installed: external programs, the osu018 Liberty
// library, the Fashion-MNIST test set. A test that lacks one skips (GTEST_SKIP) instead of failing.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>

#include "models/dnn/idx.hpp"
#include "synth/mult_synth.hpp"  // kOsu018Lib
#include "tb/process.hpp"

namespace gm::test {

// Every program is on PATH, e.g. tools_present({"yosys", "sta"}).
inline bool tools_present(std::initializer_list<const char*> programs) {
  for (const char* p : programs)
    if (!gm::have_tool(p)) return false;
  return true;
}

// Yosys, OpenSTA and the osu018 library: what `greenmac synth` needs.
inline bool synth_tools_present() {
  return tools_present({"yosys", "sta"}) && std::filesystem::is_regular_file(gm::kOsu018Lib);
}

// The Fashion-MNIST test images where greenmac looks for them (GREENMAC_FASHION_MNIST or the
// Debian package's directory), gzipped or not.
inline bool fashion_mnist_present() {
  const std::filesystem::path d = gm::fashion_mnist_dir();
  return std::filesystem::exists(d / "t10k-images-idx3-ubyte.gz") || std::filesystem::exists(d / "t10k-images-idx3-ubyte");
}

}  // namespace gm::test
