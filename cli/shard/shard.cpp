#include "cli/shard/shard.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "models/cache/cache_key.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"

namespace gm {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kShardFormat = 1;
constexpr size_t kMaxShards = 100000;

bool parse_size(std::string_view s, size_t& out) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::map<std::string, ShardMerger>& mergers() {
  static std::map<std::string, ShardMerger> m;
  return m;
}

// A shard record from its file; throws UserError naming the file when it is not one.
ShardRecord parse_record(const fs::path& file) {
  json j;
  try {
    j = json::parse(read_file(file));
  } catch (const json::exception&) {
    throw UserError(file.string() + " is not a greenmac shard file (not JSON); remove it and run that shard again");
  }
  if (!j.is_object() || j.value("greenmac_shard", 0) != kShardFormat || !j.contains("command") ||
      !j.contains("index") || !j.contains("count") || !j.contains("result") || !j["command"].is_string() ||
      !j["index"].is_number_unsigned() || !j["count"].is_number_unsigned())
    throw UserError(file.string() + " is not a greenmac shard file (fields missing); remove it and run that shard again");
  ShardRecord r;
  r.command = j["command"].get<std::string>();
  r.shard.count = j["count"].get<size_t>();
  r.shard.index = j["index"].get<size_t>();
  r.shard.given = true;
  if (r.shard.count == 0 || r.shard.count > kMaxShards || r.shard.index >= r.shard.count)
    throw UserError(file.string() + " names shard " + std::to_string(r.shard.index) + "/" +
                    std::to_string(r.shard.count) + ", which does not exist; remove it");
  r.args = j.value("args", json::object());
  r.result = j["result"];
  return r;
}

}  // namespace

Shard parse_shard(const std::string& text, const std::string& option) {
  const auto slash = text.find('/');
  Shard s;
  s.given = true;
  if (slash == std::string::npos || !parse_size(std::string_view(text).substr(0, slash), s.index) ||
      !parse_size(std::string_view(text).substr(slash + 1), s.count) || s.count == 0 || s.count > kMaxShards ||
      s.index >= s.count)
    throw UserError(option + " '" + text + "' is not I/N with 0 <= I < N <= " + std::to_string(kMaxShards) +
                    " (e.g. 0/4 .. 3/4; Slurm: $SLURM_ARRAY_TASK_ID/N)");
  return s;
}

std::string shard_text(const Shard& s) { return std::to_string(s.index) + "/" + std::to_string(s.count); }

void add_shard_option(CLI::App& sub, std::string* text) {
  sub.add_option("--shard", *text,
                 "I/N: do the I-th of N shares of the work (0 <= I < N) and write it to -o DIR/shards; "
                 "`greenmac merge DIR` joins the N shares into the report (docs/cluster.md)");
}

std::vector<size_t> shard_indices(size_t total, const Shard& shard) {
  std::vector<size_t> out;
  for (size_t i = shard.index; i < total; i += shard.count) out.push_back(i);
  return out;
}

json spec_list_json(const std::vector<Spec>& specs) {
  json names = json::array();
  for (const auto& s : specs) names.push_back(s.canonical());
  return names;
}

json input_files_json(const std::vector<std::string>& values) {
  json files = json::object();
  for (const auto& v : values) {
    std::error_code ec;
    if (!v.empty() && fs::is_regular_file(v, ec)) files[v] = sha256_file(v);
  }
  return files;
}

fs::path shard_file(const fs::path& out_dir, const std::string& command, const Shard& shard) {
  return out_dir / "shards" /
         (command + "-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) + ".json");
}

bool shard_done(const fs::path& out_dir, const std::string& command, const Shard& shard, const json& args) {
  const fs::path file = shard_file(out_dir, command, shard);
  std::error_code ec;
  if (!fs::exists(file, ec)) return false;
  const ShardRecord r = parse_record(file);
  if (r.command != command || r.shard.index != shard.index || r.shard.count != shard.count)
    throw UserError(file.string() + " holds another shard; remove it");
  if (r.args != args)
    throw UserError(file.string() + " was made with other arguments; use another -o, or remove " +
                    (out_dir / "shards").string() + " to start the sweep again");
  return true;
}

void write_shard(const fs::path& out_dir, const std::string& command, const Shard& shard, const json& args,
                 const json& result) {
  const json j = {{"greenmac_shard", kShardFormat}, {"command", command}, {"index", shard.index},
                  {"count", shard.count},           {"args", args},       {"result", result}};
  const fs::path file = shard_file(out_dir, command, shard);
  ensure_output_dir(file.parent_path());
  write_file_atomic(file, j.dump(1) + "\n");
}

std::vector<ShardRecord> read_shards(const fs::path& out_dir) {
  const fs::path dir = out_dir / "shards";
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UserError(dir.string() + " does not exist; run the command with --shard I/N -o " + out_dir.string() +
                    " first");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  if (ec) throw UserError("cannot read " + dir.string() + ": " + ec.message());
  if (files.empty())
    throw UserError(dir.string() + " holds no shard files; run the command with --shard I/N -o " +
                    out_dir.string() + " first");
  std::sort(files.begin(), files.end());
  std::vector<ShardRecord> records;
  for (const auto& f : files) records.push_back(parse_record(f));
  const ShardRecord& first = records.front();
  std::set<size_t> seen;
  for (const auto& r : records) {
    if (r.command != first.command || r.shard.count != first.shard.count)
      throw UserError(dir.string() + " mixes shards of different sweeps (" + first.command + " of " +
                      std::to_string(first.shard.count) + " and " + r.command + " of " +
                      std::to_string(r.shard.count) + "); keep one sweep per -o DIR");
    if (r.args != first.args)
      throw UserError(dir.string() + " mixes shards made with different arguments; keep one sweep per -o DIR");
    seen.insert(r.shard.index);
  }
  std::string missing;
  size_t n_missing = 0;
  for (size_t i = 0; i < first.shard.count; ++i)
    if (!seen.count(i)) {
      if (n_missing++ < 10) missing += (missing.empty() ? "" : ",") + std::to_string(i);
    }
  if (n_missing > 0)
    throw UserError(std::to_string(n_missing) + " of the " + std::to_string(first.shard.count) + " shards of " +
                    first.command + " are missing in " + dir.string() + " (" + missing +
                    (n_missing > 10 ? ",..." : "") + "); run them with --shard I/" +
                    std::to_string(first.shard.count) + ", then merge again");
  std::sort(records.begin(), records.end(),
            [](const ShardRecord& a, const ShardRecord& b) { return a.shard.index < b.shard.index; });
  return records;
}

json unshard_array(const fs::path& out_dir, const std::vector<ShardRecord>& shards, const std::string& field,
                   size_t total, const json* specs) {
  json whole = json::array();
  for (size_t i = 0; i < total; ++i) whole.push_back(nullptr);
  for (const auto& s : shards) {
    const auto idx = shard_indices(total, s.shard);
    const json& part = s.result.at(field);
    const std::string file = shard_file(out_dir, s.command, s.shard).string();
    if (!part.is_array() || part.size() != idx.size())
      throw UserError(file + " holds " + std::to_string(part.size()) + " designs, not " + std::to_string(idx.size()) +
                      "; remove it and run that shard again");
    for (size_t k = 0; k < idx.size(); ++k) {
      if (specs && part[k].value("spec", "") != (*specs)[idx[k]])
        throw UserError(file + " holds another design than " + (*specs)[idx[k]].get<std::string>() +
                        "; remove it and run that shard again");
      whole[idx[k]] = part[k];
    }
  }
  return whole;
}

void register_shard_merger(ShardMerger merger) {
  const std::string name = merger.command;
  mergers()[name] = std::move(merger);
}

const ShardMerger* find_shard_merger(const std::string& command) {
  const auto it = mergers().find(command);
  return it == mergers().end() ? nullptr : &it->second;
}

std::vector<std::string> shard_merger_names() {
  std::vector<std::string> out;
  for (const auto& [name, m] : mergers()) out.push_back(name);
  return out;
}

}  // namespace gm
