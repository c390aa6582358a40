// greenmac metrics SPEC... [--set default] [--json|--csv] [--dist FILE]: error metrics of designs
// against the exact product (models/metrics.hpp gives the definitions; docs/metrics.md the formats).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/command.hpp"
#include "models/files.hpp"
#include "models/metrics.hpp"
#include "models/metrics_json.hpp"

namespace gm {
namespace {

struct MetricsArgs {
  SpecArgs designs;
  bool json = false;
  bool csv = false;
  std::string dist_file;
};

// The keys of the JSON objects and the CSV columns, in this order.
nlohmann::ordered_json to_json(const ErrorMetrics& m) {
  nlohmann::ordered_json j = {{"spec", m.spec}, {"name", m.name}};
  j.update(error_metrics_json<nlohmann::ordered_json>(m));
  return j;
}

// RFC 4180: a field with a comma or a quote is quoted, quotes doubled (canonical specs have commas).
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string join_csv(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) line.push_back(',');
    line.append(cells[i]);
  }
  return line;
}

void print_csv(const std::vector<ErrorMetrics>& all) {
  const auto header = to_json(ErrorMetrics{});
  std::vector<std::string> cells;
  for (const auto& [key, value] : header.items()) cells.push_back(key);
  std::cout << join_csv(cells) << "\n";
  for (const auto& m : all) {
    cells.clear();
    // Numbers and booleans as JSON writes them (shortest text that reads back to the same double).
    const auto row = to_json(m);
    for (const auto& [key, value] : row.items())
      cells.push_back(value.is_string() ? csv_field(value.get<std::string>()) : value.dump());
    std::cout << join_csv(cells) << "\n";
  }
}

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

// Magnitudes from 0 to 10^9: plain for small values, scientific for large ones.
std::string readable(double x) {
  if (x == 0) return "0";
  const double mag = x < 0 ? -x : x;
  char buf[64];
  if (mag >= 1e6)
    std::snprintf(buf, sizeof buf, "%.3e", x);
  else if (mag >= 100)
    std::snprintf(buf, sizeof buf, "%.1f", x);
  else
    std::snprintf(buf, sizeof buf, "%.4f", x);
  return buf;
}

void print_table(const std::vector<ErrorMetrics>& all, const std::string& dist_file) {
  const std::vector<std::string> head = {"spec",  "pairs", "ER%",  "MED",  "NMED%", "NMEDmax%", "MRED%",
                                         "WCE",   "WCRE%", "bias", "MSE",  "var",   "x*0=0",    "a*b=b*a"};
  std::vector<std::vector<std::string>> rows = {head};
  for (const auto& m : all)
    rows.push_back({m.spec, std::to_string(m.pairs) + (m.exhaustive ? "" : "*"), fixed(100 * m.er, 2),
                    readable(m.med), fixed(100 * m.nmed, 4), fixed(100 * m.nmed_max, 4),
                    fixed(100 * m.mred, 3), std::to_string(m.wce), fixed(100 * m.wcre, 2), readable(m.bias),
                    readable(m.mse), readable(m.var), m.zero_ok ? "yes" : "NO",
                    m.commutative ? "yes" : "NO"});
  std::vector<size_t> width(head.size(), 0);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  std::cout << "error metrics, e = approx - exact, "
            << (dist_file.empty() ? "every pair weighing the same" : "pairs weighted by " + dist_file) << "\n";
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      // spec left-aligned, numbers right-aligned
      const std::string pad(width[c] - r[c].size(), ' ');
      line += (c ? "  " : "") + (c == 0 ? r[c] + pad : pad + r[c]);
    }
    std::cout << line << "\n";
  }
  bool sampled = false;
  for (const auto& m : all) sampled = sampled || !m.exhaustive;
  if (sampled)
    std::cout << "* w > " << kMaxTableWidth << ": corner pairs plus uniform random pairs (seed 1), not every pair"
              << (dist_file.empty() ? "" : "; metrics over the distribution's pairs, commutativity sampled") << "\n";
}

std::optional<Distribution> load_distribution(const std::string& file) {
  if (file.empty()) return std::nullopt;
  if (std::filesystem::is_directory(file))
    throw UserError("--dist " + file + " is a directory; give a text file of 'a b weight' lines");
  return parse_distribution(read_file(file), file);
}

int run_metrics(const MetricsArgs& args) {
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  const auto dist = load_distribution(args.dist_file);
  MetricOptions opt;
  opt.dist = dist ? &*dist : nullptr;
  // Check every design against the distribution before any output, so a bad file prints nothing else.
  if (dist)
    for (const auto& s : specs) check_distribution(*dist, s.w, s.is_signed, s.canonical());
  std::vector<ErrorMetrics> all;
  for (const auto& s : specs) all.push_back(compute_metrics(s, opt));
  if (args.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& m : all) out.push_back(to_json(m));
    std::cout << out.dump(2) << "\n";
  } else if (args.csv) {
    print_csv(all);
  } else {
    print_table(all, args.dist_file);
  }
  return 0;
}

const CommandRegistrar reg({
    .name = "metrics",
    .help = "error metrics of designs: ER, MED, NMED, MRED, WCE, WCRE, bias, MSE, variance, x*0=0, commutativity",
    .order = 50,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<MetricsArgs>();
          args->designs.add_to(sub);
          auto* json = sub.add_flag("--json", args->json, "print a JSON array, one object per design");
          auto* csv = sub.add_flag("--csv", args->csv, "print CSV with one header row");
          json->excludes(csv);
          sub.add_option("--dist", args->dist_file,
                         "weight every pair by an operand distribution: text lines 'a b weight' (docs/metrics.md)");
          return [=] { return run_metrics(*args); };
        },
});

}  // namespace
}  // namespace gm
