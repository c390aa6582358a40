#include "tb/gtkw.hpp"

#include <sstream>

namespace gm {

namespace {

// GTKWave's display flags (analyzer.h): TR_RJUSTIFY 0x20 with TR_BIN 0x8, TR_HEX 0x2, TR_DEC 0x4,
// and TR_SIGNED 0x400 on top of decimal.
const char* flags(WaveFormat f) {
  switch (f) {
    case WaveFormat::kBinary: return "28";
    case WaveFormat::kHex: return "22";
    case WaveFormat::kUnsigned: return "24";
    case WaveFormat::kSigned: return "424";
  }
  return "22";
}

}  // namespace

std::string wave_name(const std::string& scope, const std::string& name, int width) {
  const std::string full = scope + "." + name;
  return width > 1 ? full + "[" + std::to_string(width - 1) + ":0]" : full;
}

std::string gtkw_text(const std::filesystem::path& dumpfile, const std::vector<WaveGroup>& groups) {
  std::ostringstream os;
  os << "[*] written by greenmac: open with `gtkwave " << dumpfile.filename().replace_extension(".gtkw").string()
     << "`\n";
  os << "[dumpfile] \"" << std::filesystem::absolute(dumpfile).string() << "\"\n";
  os << "[timestart] 0\n";
  os << "[sst_width] 240\n[signals_width] 300\n";
  for (const auto& g : groups) {
    os << "@800200\n-" << g.name << "\n";  // TR_GRP_BEGIN | TR_BLANK: the group's title bar
    for (const auto& s : g.signals) os << "@" << flags(s.format) << "\n" << s.name << "\n";
    os << "@1000200\n-" << g.name << "\n";  // TR_GRP_END | TR_BLANK
  }
  return os.str();
}

}  // namespace gm
