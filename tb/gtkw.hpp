// GTKWave save files (.gtkw): which signals a waveform opens with, grouped and formatted, so that
// `gtkwave DIR/NAME.gtkw` shows the interesting part of a trace at once (tb/verify_trace.hpp,
// tb/array_trace.hpp). The format is GTKWave's own: "[dumpfile]" names the waveform, "@FLAGS"
// sets the display flags of the signals that follow, "-NAME" is a comment line, and a group is
// opened by the flags 800200 and closed by 1000200 around its signals.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gm {

enum class WaveFormat { kBinary, kHex, kUnsigned, kSigned };

struct WaveSignal {
  std::string name;  // full hierarchical name as in the waveform, with its range: TOP.top.a_i[7:0]
  WaveFormat format = WaveFormat::kHex;
};

struct WaveGroup {
  std::string name;
  std::vector<WaveSignal> signals;
};

// "TOP.SCOPE.NAME[W-1:0]", or without a range for one bit.
std::string wave_name(const std::string& scope, const std::string& name, int width);

// The save file's text; `dumpfile` is written as an absolute path, so the file can be opened from anywhere.
std::string gtkw_text(const std::filesystem::path& dumpfile, const std::vector<WaveGroup>& groups);

}  // namespace gm
