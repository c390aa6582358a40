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
#include "models/cache/cache_key.hpp"
#include "models/cache/cache_store.hpp"
#include "models/files.hpp"
#include "models/pairs.hpp"
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

// The table's cache entry (CacheStore, kind "ext") holds one file: the products as int32, entry
// (a_bits << w) | b_bits. The store checks it against the manifest's SHA-256 and publishes it
// atomically; the size is checked here, since the key already fixes w.
constexpr const char* kTableFile = "table.bin";

bool load_table(const fs::path& entry, const Spec& spec, std::vector<int32_t>& table) {
  const std::string bytes = read_file(entry / kTableFile);
  const uint64_t count = uint64_t{1} << (2 * spec.w);
  if (bytes.size() != count * sizeof(int32_t)) return false;
  table.resize(count);
  std::memcpy(table.data(), bytes.data(), bytes.size());
  return true;
}

ModelFn external_model(const Spec& spec) {
  const CacheStore store("ext");
  const std::string key = external_table_key(spec);
  auto table = std::make_shared<std::vector<int32_t>>();
  store.get_or_make(
      key, [&](const fs::path& entry) { return load_table(entry, spec, *table); },
      [&](const fs::path& work) {
        if (!provider())
          throw std::runtime_error("truth table of " + spec.canonical() + " is not in the cache (" +
                                   store.entry(key).string() + ")");
        const std::vector<int64_t> fresh = provider()(spec);
        table->assign(fresh.begin(), fresh.end());
        write_file_atomic(work / kTableFile,
                          std::string(reinterpret_cast<const char*>(table->data()), table->size() * sizeof(int32_t)));
      });
  const int w = spec.w;
  return [table, w](int64_t a, int64_t b) -> int64_t { return (*table)[pair_index(a, b, w)]; };
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

std::string external_table_key(const Spec& spec) {
  return CacheKey()
      .add("salt", external_table_salt())
      .add("spec", spec.canonical())
      .add("file", read_bytes(spec.get_str("path")))
      .hex();
}

}  // namespace gm
