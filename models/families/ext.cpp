#include "models/families/ext.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>

#include "models/arith.hpp"
#include "models/cache/cache_dir.hpp"
#include "models/tool_names.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

ExternalTableProvider& provider() {
  static ExternalTableProvider p;
  return p;
}

struct Salt {
  std::mutex mu;
  std::function<std::string()> make;
  std::optional<std::string> value;
};
Salt& salt() {
  static Salt s;
  return s;
}

// Cache file layout: "GMXT", w, s (int32 each), count (uint64), FNV-1a of the payload (uint64),
// then count int32 products. A file whose size or checksum disagrees is treated as absent.
constexpr char kMagic[4] = {'G', 'M', 'X', 'T'};

bool load_table(const fs::path& path, const Spec& spec, std::vector<int32_t>& table) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char magic[4];
  int32_t w = 0, s = 0;
  uint64_t count = 0, sum = 0;
  in.read(magic, 4);
  in.read(reinterpret_cast<char*>(&w), 4);
  in.read(reinterpret_cast<char*>(&s), 4);
  in.read(reinterpret_cast<char*>(&count), 8);
  in.read(reinterpret_cast<char*>(&sum), 8);
  if (!in || std::memcmp(magic, kMagic, 4) != 0 || w != spec.w || s != spec.is_signed ||
      count != (uint64_t{1} << (2 * spec.w)))
    return false;
  table.resize(count);
  in.read(reinterpret_cast<char*>(table.data()), static_cast<std::streamsize>(count * 4));
  if (!in) return false;
  const std::string payload(reinterpret_cast<const char*>(table.data()), count * 4);
  return fnv1a(payload) == sum;
}

void store_table(const fs::path& path, const Spec& spec, const std::vector<int32_t>& table) {
  fs::create_directories(path.parent_path());
  const std::string payload(reinterpret_cast<const char*>(table.data()), table.size() * 4);
  const int32_t w = spec.w, s = spec.is_signed;
  const uint64_t count = table.size(), sum = fnv1a(payload);
  const fs::path tmp = path.string() + ".tmp" + std::to_string(fnv1a(path.string() + std::to_string(clock())));
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(kMagic, 4);
    out.write(reinterpret_cast<const char*>(&w), 4);
    out.write(reinterpret_cast<const char*>(&s), 4);
    out.write(reinterpret_cast<const char*>(&count), 8);
    out.write(reinterpret_cast<const char*>(&sum), 8);
    out << payload;
  }
  fs::rename(tmp, path);
}

ModelFn external_model(const Spec& spec) {
  const fs::path path = external_table_path(spec);
  auto table = std::make_shared<std::vector<int32_t>>();
  if (!load_table(path, spec, *table)) {
    if (!provider())
      throw std::runtime_error("truth table of " + spec.canonical() + " is not in the cache (" + path.string() + ")");
    const std::vector<int64_t> fresh = provider()(spec);
    table->assign(fresh.begin(), fresh.end());
    store_table(path, spec, *table);
  }
  const int w = spec.w;
  return [table, w](int64_t a, int64_t b) -> int64_t {
    const uint64_t mask = (uint64_t{1} << w) - 1;
    return (*table)[((static_cast<uint64_t>(a) & mask) << w) | (static_cast<uint64_t>(b) & mask)];
  };
}

std::string check_external(const Spec& spec) {
  if (spec.w > kMaxExternalWidth)
    return "w=" + std::to_string(spec.w) + " is too wide: an external design is characterized by its exhaustive "
           "truth table, so w must be <= " + std::to_string(kMaxExternalWidth);
  // Names go into Yosys commands and into the generated wrapper: plain identifiers only.
  for (const char* key : {"top", "a", "b", "y"})
    if (auto problem = identifier_problem(key, spec.get_str(key)); !problem.empty())
      return problem;
  const std::string& path = spec.get_str("path");
  if (auto problem = path_problem("path", path); !problem.empty()) return problem;
  std::ifstream in(path);
  if (!in) return "cannot read path=" + path + "; give the Verilog file of the multiplier";
  return "";
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "h" + 8 hex digits of a hash of the file's bytes and of the module and port names: two files with
// the same top but different contents get different names; the same bytes at two paths get one.
std::string content_tag(const Spec& spec) {
  std::string key = read_bytes(spec.get_str("path"));
  for (const char* k : {"top", "a", "b", "y"}) key += std::string(1, '\0') + spec.get_str(k);
  char buf[16];
  std::snprintf(buf, sizeof buf, "h%08llx", static_cast<unsigned long long>(fnv1a(key) & 0xffffffffull));
  return buf;
}

const FamilyRegistrar ext_family({
    .name = "ext",
    .summary = "a third-party combinational multiplier module (e.g. EvoApproxLib); model = its truth table",
    .reference = "the user's Verilog file",
    .signed_mode = "as the module computes it; s says how to read its operands and product",
    .params = {{.key = "path", .help = "Verilog file of the multiplier", .required = true, .is_text = true,
                .is_path = true, .in_name = false},
               {.key = "top", .help = "name of the multiplier module", .required = true, .is_text = true},
               {.key = "a", .help = "first operand port", .is_text = true, .in_name = false, .text_default = "a_i"},
               {.key = "b", .help = "second operand port", .is_text = true, .in_name = false, .text_default = "b_i"},
               {.key = "y", .help = "product port (2w bits)", .is_text = true, .in_name = false,
                .text_default = "y_o"}},
    .check = check_external,
    .make_model = external_model,
    .default_points = {},
    .in_sweeps = false,
    .name_tag = content_tag,
});

}  // namespace

void set_external_table_provider(ExternalTableProvider p) { provider() = std::move(p); }

void set_external_table_salt(std::function<std::string()> make) {
  std::lock_guard lock(salt().mu);
  salt().make = std::move(make);
  salt().value.reset();
}

std::string external_table_salt() {
  std::lock_guard lock(salt().mu);
  if (!salt().value) salt().value = salt().make ? salt().make() : std::string();
  return *salt().value;
}

fs::path external_table_path(const Spec& spec) {
  const uint64_t key = fnv1a(external_table_salt(), fnv1a(spec.canonical(), fnv1a(read_bytes(spec.get_str("path")))));
  return cache_dir() / "ext" / (spec.name() + "-" + hex64(key) + ".tbl");
}

}  // namespace gm
