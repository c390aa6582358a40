#include "cli/report/index_html.hpp"
#include "cli/commands/verify_output.hpp"

#include <iostream>
#include <sstream>

#include "cli/shard/shard.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"

namespace gm {
namespace fs = std::filesystem;
using nlohmann::json;

json verify_row(const VerifyResult& r) {
  json j = {{"spec", r.spec.canonical()}, {"name", r.spec.name()}, {"sim", r.sim},
            {"pairs", r.pairs},           {"exhaustive", r.exhaustive},
            {"mismatches", r.mismatches}, {"pass", r.pass()}};
  if (r.mismatches)
    j["first_mismatch"] = {{"a", r.a}, {"b", r.b}, {"expected", r.expected}, {"got", r.got}};
  return j;
}

namespace {

// "a=3 b=5 expected 15 got 7" for a row with mismatches.
std::string first_mismatch(const json& row) {
  const json& m = row.at("first_mismatch");
  return "a=" + std::to_string(m.at("a").get<int64_t>()) + " b=" + std::to_string(m.at("b").get<int64_t>()) +
         " expected " + std::to_string(m.at("expected").get<int64_t>()) + " got " +
         std::to_string(m.at("got").get<int64_t>());
}

int failed_rows(const json& rows) {
  int failed = 0;
  for (const auto& r : rows) failed += !r.at("pass").get<bool>();
  return failed;
}

std::string report_md(const json& rows, const std::string& sim) {
  const int failed = failed_rows(rows);
  std::ostringstream md;
  md << "# greenmac verify\n\n" << verify_checks(rows).markdown_lines();
  md << rows.size() - failed << " passed, " << failed << " failed (" << sim << ").\n\n";
  md << "| design | pairs | coverage | result | first mismatch |\n|---|---:|---|---|---|\n";
  for (const auto& r : rows) {
    const uint64_t mismatches = r.at("mismatches").get<uint64_t>();
    md << "| " << r.at("name").get<std::string>() << " | " << r.at("pairs").get<uint64_t>() << " | "
       << (r.at("exhaustive").get<bool>() ? "exhaustive" : "corners + random") << " | "
       << (r.at("pass").get<bool>() ? "PASS" : "FAIL") << " | "
       << (mismatches ? std::to_string(mismatches) + " mismatches; " + first_mismatch(r) : "") << " |\n";
  }
  return md.str();
}

// Rebuilds the unsharded run's rows: shard I holds designs I, I+N, ... of args.specs in order.
int merge_verify(const fs::path& dir, const std::vector<ShardRecord>& shards) {
  const json& args = shards.front().args;
  const size_t total = args.at("specs").size();
  const json rows = unshard_array(dir, shards, "rows", total, &args.at("specs"));
  int builds = 0, cached = 0;
  for (const auto& s : shards) {
    builds += s.result.value("builds", 0);
    cached += s.result.value("cached_builds", 0);
  }
  const std::string sim = args.at("sim").get<std::string>();
  std::cout << verify_text(rows, sim, builds, cached);
  write_verify_outputs(dir, rows, sim);
  return verify_checks(rows).finish();
}

const ShardMergerRegistrar merger({.command = "verify", .merge = merge_verify});

}  // namespace

std::string verify_text(const json& rows, const std::string& sim, int builds, int cached_builds) {
  std::ostringstream out;
  for (const auto& r : rows) {
    out << (r.at("pass").get<bool>() ? "PASS " : "FAIL ") << r.at("name").get<std::string>() << "  "
        << r.at("pairs").get<uint64_t>() << " pairs"
        << (r.at("exhaustive").get<bool>() ? " (exhaustive)" : " (corners + random)");
    if (r.at("mismatches").get<uint64_t>())
      out << "  " << r.at("mismatches").get<uint64_t>() << " mismatches; first: " << first_mismatch(r);
    out << "\n";
  }
  const int failed = failed_rows(rows);
  out << rows.size() - failed << " passed, " << failed << " failed (" << sim << ", " << builds << " build"
      << (builds == 1 ? "" : "s") << ", " << cached_builds << " cached)\n";
  return out.str();
}

CheckLog verify_checks(const json& rows) {
  CheckLog checks;
  for (const auto& r : rows) {
    if (r.at("pass").get<bool>()) continue;
    const uint64_t pairs = r.at("pairs").get<uint64_t>();
    checks.fail("verify: " + r.at("name").get<std::string>() + ": " +
                (pairs == 0 ? std::string("no operand pairs were simulated")
                            : std::to_string(r.at("mismatches").get<uint64_t>()) + " of " + std::to_string(pairs) +
                                  " products differ from the model (first: " + first_mismatch(r) + ")"));
  }
  return checks;
}

void write_verify_outputs(const fs::path& dir, const json& rows, const std::string& sim) {
  write_file_atomic(dir / "verify.json", rows.dump(2) + "\n");
  write_file_atomic(dir / "report.md", report_md(rows, sim));
  write_index_html(dir);
}

json verify_shard_args(const std::vector<Spec>& specs, const VerifyOptions& opt) {
  const json names = spec_list_json(specs);
  return {{"specs", names},
          {"sim", opt.sim},
          {"rtl_dir", opt.rtl_dir.string()},
          {"pairs", opt.random_pairs},
          {"seed", opt.seed}};
}

}  // namespace gm
