// greenmac gemm --array RxC --mul SPEC [--mul-map FILE] [--zero-gate] [--acc-depth D] [--requant]
//   --m M --k K --n N [--seed S] [--trace DIR] [--json]:
// a random GEMM on the Verilated systolic array, every output checked bit for bit against the golden
// GEMM through each PE's multiplier model (with --requant: then through the output stage, with
// random per-column params from --seed), cycles checked against the cycle model (without
// --stall-seed). Exit 0 iff all match, 1 (one stderr line per failed check) otherwise. --trace DIR
// writes a waveform around the first mismatching output, or of the first cycles (tb/array_trace.hpp).
// Progress on stderr (models/progress.hpp): the harness build, the simulation, the traced run.
#include <iostream>
#include <nlohmann/json.hpp>

#include "models/checks.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "cli/trace_option.hpp"
#include "tb/array_runner.hpp"
#include "tb/array_trace.hpp"
#include "models/golden_gemm.hpp"
#include "models/progress.hpp"

namespace gm {
namespace {

struct GemmArgs {
  std::string array, mul = "exact:s=1", mul_map, sim_mul = "lut";
  int acc_width = 32, acc_depth = -1;  // -1: not given (acc_depth_option)
  bool zero_gate = false, requant = false, json = false;
  int64_t m = 0, k = 0, n = 0;
  uint64_t seed = 1, stall_seed = 0;
  std::string trace_dir;
};

// The words of a command that runs the same GEMM on the same array (for the reproduce line).
std::vector<std::string> reproduce_words(const GemmArgs& a) {
  std::vector<std::string> w = {"gemm", "--array", a.array, "--mul", a.mul};
  if (!a.mul_map.empty()) w.insert(w.end(), {"--mul-map", a.mul_map});
  if (a.zero_gate) w.push_back("--zero-gate");
  if (a.acc_width != 32) w.insert(w.end(), {"--acc-width", std::to_string(a.acc_width)});
  if (a.acc_depth != -1) w.insert(w.end(), {"--acc-depth", std::to_string(a.acc_depth)});
  if (a.requant) w.push_back("--requant");
  w.insert(w.end(), {"--m", std::to_string(a.m), "--k", std::to_string(a.k), "--n", std::to_string(a.n),
                     "--seed", std::to_string(a.seed)});
  if (a.sim_mul != "lut") w.insert(w.end(), {"--sim-mul", a.sim_mul});
  if (a.stall_seed) w.insert(w.end(), {"--stall-seed", std::to_string(a.stall_seed)});
  return w;
}

int run_gemm(const GemmArgs& a) {
  const auto [rows, cols] = parse_array_dims(a.array);
  const ArrayConfig cfg = make_array_config(rows, cols, parse_spec(a.mul), a.mul_map, a.acc_width, a.zero_gate,
                                             acc_depth_option(a.acc_depth), a.requant);
  for (const int64_t d : {a.m, a.k, a.n})
    if (d < 1 || d > (int64_t{1} << 20)) throw UserError("--m, --k and --n must be 1..1048576");
  if (a.m * a.k > (int64_t{1} << 28) || a.k * a.n > (int64_t{1} << 28))
    throw UserError("matrices larger than 2^28 elements are not supported");
  check_trace_dir(a.trace_dir);
  // A big GEMM is one long run of the harness: the step says which, and the ticker keeps time.
  Progress progress("gemm");
  progress.stage("build", 1, "harnesses");
  const std::string harness = "the " + cfg.name() + " harness (" + a.sim_mul + " multipliers; cached after the first)";
  progress.begin(harness);
  const GemmRunner runner(cfg, a.sim_mul == "gate" ? MulModel::kGate : MulModel::kLut);
  progress.end(harness);
  GemmProblem p = random_gemm(cfg, a.m, a.k, a.n, a.seed);
  p.stall_seed = a.stall_seed;
  progress.stage("simulate", 1, "GEMMs");
  const std::string gemm = "Y = X*W, m=" + std::to_string(a.m) + " k=" + std::to_string(a.k) + " n=" +
                           std::to_string(a.n);
  progress.begin(gemm);
  const GemmResult r = runner.run(p);
  progress.end(gemm);
  const std::vector<int64_t> golden = runner.golden(p);
  uint64_t mismatches = 0;
  int64_t first = -1;
  for (size_t i = 0; i < golden.size(); ++i)
    if (golden[i] != r.y[i] && mismatches++ == 0) first = static_cast<int64_t>(i);
  const uint64_t model = runner.model_cycles(a.m, a.k, a.n);
  const uint64_t macs = static_cast<uint64_t>(a.m * a.k * a.n);
  const int64_t kmax = k_max(cfg.acc_width, array_max_abs_product(cfg));
  GemmTrace trace;
  if (!a.trace_dir.empty()) {
    progress.stage("trace", 1, "runs");
    progress.begin("the traced run");
    trace = trace_gemm(cfg, runner.mul_model(), p, first, a.trace_dir);
    progress.end("the traced run");
  }
  progress.finish();
  CheckLog checks;
  const std::string what = "gemm: " + std::to_string(rows) + "x" + std::to_string(cols) + " " + cfg.name() + ": ";
  checks.expect(mismatches == 0, what + std::to_string(mismatches) + " of " + std::to_string(golden.size()) +
                                     " outputs differ from the golden GEMM");
  // Random stalls (--stall-seed) lengthen the run by design; the cycle model is for full rate.
  checks.expect(a.stall_seed != 0 || r.cycles == model,
                what + std::to_string(r.cycles) + " cycles, the cycle model says " + std::to_string(model));
  // The traced run must be the same run: a waveform of another result would mislead.
  checks.expect(trace.fst.empty() || trace.y == r.y, what + "the traced run's outputs differ from the untraced run's");
  if (a.json) {
    nlohmann::json j = {{"array", std::to_string(rows) + "x" + std::to_string(cols)},
                        {"mul", a.mul_map.empty() ? cfg.pe.front().canonical() : "map:" + a.mul_map},
                        {"m", a.m}, {"k", a.k}, {"n", a.n},
                        {"cycles", r.cycles}, {"cycles_model", model},
                        {"macs", macs}, {"mismatches", mismatches},
                        {"module", cfg.name()}, {"sim_mul", a.sim_mul}, {"zero_gate", a.zero_gate},
                        {"acc_width", cfg.acc_width}, {"acc_depth", cfg.acc_depth},
                        {"requant", cfg.out_stage}, {"k_max", kmax},
                        {"sim_seconds", r.sim_seconds},
                        {"cpu_seconds", r.cpu_seconds},
                        {"macs_per_second", r.cpu_seconds > 0 ? macs / r.cpu_seconds : 0.0},
                        {"build_seconds", runner.build_seconds()}, {"cached_build", runner.cached()}};
    if (!trace.fst.empty())
      j["trace"] = {{"fst", trace.fst.string()}, {"gtkw", trace.gtkw.string()}, {"from_cycle", trace.from},
                    {"to_cycle", trace.to}, {"target_cycle", trace.target_edge}};
    if (cfg.out_stage) {
      nlohmann::json params = nlohmann::json::array();
      for (const OutParams& q : p.params)
        params.push_back({{"bias", q.bias}, {"m0", q.m0}, {"shift", q.shift}, {"out_min", q.out_min},
                          {"out_max", q.out_max}});
      j["out_params"] = params;
    }
    if (first >= 0)
      j["first_mismatch"] = {{"row", first / a.n}, {"col", first % a.n}, {"expected", golden[first]}, {"got", r.y[first]}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << (checks.ok() ? "PASS " : "FAIL ") << rows << "x" << cols << " " << cfg.name() << "  Y = X*W with m="
              << a.m << " k=" << a.k << " n=" << a.n << " (D=" << cfg.acc_depth
              << (cfg.out_stage ? ", requantized in the output stage" : "") << "): " << mismatches
              << " mismatches of " << golden.size() << "\n";
    if (first >= 0)
      std::cout << "  first mismatch Y[" << first / a.n << "][" << first % a.n << "]: expected " << golden[first]
                << " got " << r.y[first] << "\n";
    std::cout << "  cycles " << r.cycles << " (model " << model << (a.stall_seed ? ", with random stalls" : "")
              << "), " << macs << " MACs, " << r.sim_seconds << " s simulated, " << r.cpu_seconds << " s CPU ("
              << (r.cpu_seconds > 0 ? macs / r.cpu_seconds / 1e6 : 0.0) << " M MAC/s on one core)\n";
    if (!trace.fst.empty())
      std::cout << "  waveform " << trace.fst.string() << ": clock edges " << trace.from << ".." << trace.to
                << (trace.target_edge >= 0 ? " around the first mismatch's result beat at edge " +
                                                 std::to_string(trace.target_edge)
                                           : std::string(" (the first ones)"))
                << "; view with gtkwave " << trace.gtkw.string() << "\n";
    if (a.k > kmax)
      std::cout << "  note: K=" << a.k << " > K_max=" << kmax << ": the " << cfg.acc_width
                << "-bit accumulators may wrap (the golden model wraps the same way)\n";
  }
  const int rc = checks.finish();
  if (rc != 0 && a.trace_dir.empty()) print_reproduce_line(reproduce_words(a));
  return rc;
}

const CommandRegistrar reg({
    .name = "gemm",
    .help = "run a random GEMM on the Verilated systolic array and check every output against the models",
    .order = 35,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto a = std::make_shared<GemmArgs>();
          sub.add_option("--array", a->array, "array size ROWSxCOLS, e.g. 8x8")->required();
          sub.add_option("--mul", a->mul, "multiplier spec of every PE (default exact:s=1)");
          sub.add_option("--mul-map", a->mul_map, "per-row/column/PE multipliers (see gen-array --help)");
          sub.add_flag("--zero-gate", a->zero_gate, "zero-gated PEs");
          sub.add_option("--acc-width", a->acc_width, "accumulator bits (2w..64, default 32)");
          sub.add_option("--acc-depth", a->acc_depth, "accumulator entries per column D (1..4096, default R + C)");
          sub.add_flag("--requant", a->requant,
                       "the output stage (bias, requantization, clamp; needs --acc-width 32), random params from --seed");
          sub.add_option("--m", a->m, "rows of X and Y")->required();
          sub.add_option("--k", a->k, "columns of X, rows of W")->required();
          sub.add_option("--n", a->n, "columns of W and Y")->required();
          sub.add_option("--seed", a->seed, "seed of the random operands");
          sub.add_option("--sim-mul", a->sim_mul, "multipliers in simulation: lut (fast, default) or gate")
              ->check(CLI::IsMember({"lut", "gate"}));
          sub.add_option("--stall-seed", a->stall_seed,
                         "random valid/ready gaps (seeded) to exercise the handshakes; 0 = full rate");
          add_trace_option(sub, &a->trace_dir,
                           "the array around the first mismatching output (the first cycles when all match)");
          sub.add_flag("--json", a->json, "print JSON");
          add_quiet_option(sub);
          return [=] { return run_gemm(*a); };
        },
});

}  // namespace
}  // namespace gm
