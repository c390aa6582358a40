#include "cli/report/index_html.hpp"
#include "cli/commands/mutate_output.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/shard/shard.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"

namespace gm {
namespace fs = std::filesystem;
using nlohmann::json;

json mutate_row(const MutateResult& r) {
  return {{"spec", r.spec.canonical()}, {"name", r.spec.name()}, {"mutants", r.mutants},
          {"caught", r.caught},         {"equivalent", r.equivalent}, {"escaped", r.escaped},
          {"seconds", r.seconds}};
}

json mutate_row_checks(const MutateResult& r) {
  return {{"reference_passed", r.reference_passed}, {"escapes", r.escapes}};
}

namespace {

std::string format(const char* fmt, auto... values) {
  char line[256];
  std::snprintf(line, sizeof line, fmt, values...);
  return line;
}

// The table without the seconds column, which varies from run to run, so that a report is the
// same whether its rows were made in one run or in shards.
std::string report_md(const json& rows, const json& row_checks) {
  std::ostringstream md;
  md << "# greenmac mutate\n\n";
  const std::string failed = mutate_checks(rows, row_checks).stderr_lines;
  std::istringstream lines(failed);
  for (std::string line; std::getline(lines, line);)
    md << "**check failed:** " << line.substr(std::string("greenmac: check failed: ").size()) << "\n";
  if (!failed.empty()) md << "\n";
  md << "| design | mutants | caught | equivalent | escaped |\n|---|---:|---:|---:|---:|\n";
  for (const auto& r : rows)
    md << "| " << r.at("name").get<std::string>() << " | " << r.at("mutants").get<int>() << " | "
       << r.at("caught").get<int>() << " | " << r.at("equivalent").get<int>() << " | " << r.at("escaped").get<int>()
       << " |\n";
  return md.str();
}

// Rebuilds the unsharded run's rows: shard I holds designs I, I+N, ... of args.specs in order.
int merge_mutate(const fs::path& dir, const std::vector<ShardRecord>& shards) {
  const json& args = shards.front().args;
  const size_t total = args.at("specs").size();
  const json rows = unshard_array(dir, shards, "rows", total, &args.at("specs"));
  const json checks = unshard_array(dir, shards, "checks", total);
  std::cout << mutate_table(rows);
  write_mutate_outputs(dir, rows, checks);
  const MutateChecks c = mutate_checks(rows, checks);
  std::cerr << c.stderr_lines;
  return c.exit_code;
}

const ShardMergerRegistrar merger({.command = "mutate", .merge = merge_mutate});

}  // namespace

std::string mutate_table(const json& rows) {
  std::string out = format("%-32s %7s %7s %10s %7s %8s\n", "design", "mutants", "caught", "equivalent", "escaped",
                           "seconds");
  int mutants = 0, caught = 0, equivalent = 0, escaped = 0;
  for (const auto& r : rows) {
    const int m = r.at("mutants"), c = r.at("caught"), e = r.at("equivalent"), x = r.at("escaped");
    out += format("%-32s %7d %7d %10d %7d %8.1f\n", r.at("name").get<std::string>().c_str(), m, c, e, x,
                  r.at("seconds").get<double>());
    mutants += m, caught += c, equivalent += e, escaped += x;
  }
  return out + format("%-32s %7d %7d %10d %7d\n", "total", mutants, caught, equivalent, escaped);
}

MutateChecks mutate_checks(const json& rows, const json& row_checks) {
  MutateChecks c;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string name = rows[i].at("name");
    const json& rc = row_checks.at(i);
    const bool reference_passed = rc.at("reference_passed");
    if (!reference_passed)
      c.stderr_lines += "greenmac: check failed: " + name +
                        ": the unmutated design (after the Yosys round trip) fails verification; its mutant counts "
                        "mean nothing\n";
    for (const auto& m : rc.at("escapes"))
      c.stderr_lines += "greenmac: check failed: " + name + ": escaped: " + m.get<std::string>() + "\n";
    if (rows[i].at("escaped").get<int>() > 0 || !reference_passed) c.exit_code = 1;
  }
  return c;
}

void write_mutate_outputs(const fs::path& dir, const json& rows, const json& row_checks) {
  write_file_atomic(dir / "mutate.json", rows.dump(2) + "\n");
  write_file_atomic(dir / "report.md", report_md(rows, row_checks));
  write_index_html(dir);
}

json mutate_shard_args(const std::vector<Spec>& specs, const MutateOptions& opt) {
  const json names = spec_list_json(specs);
  return {{"specs", names},  {"count", opt.count}, {"seed", opt.seed},
          {"sim", opt.sim},  {"sat_timeout", opt.sat_timeout_s}};
}

}  // namespace gm
