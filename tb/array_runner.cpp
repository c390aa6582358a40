#include "tb/array_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "models/cache/cache_key.hpp"
#include "models/cache/cache_store.hpp"
#include "models/errors.hpp"
#include "models/stopwatch.hpp"
#include "tb/process.hpp"
#include "models/files.hpp"
#include "models/arith.hpp"
#include "models/cache/cache_dir.hpp"
#include "models/golden_gemm.hpp"
#include "models/install_layout.hpp"
#include "tb/array_job_file.hpp"
#include "tb/harness_build.hpp"
#include "tb/tool_version.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

using Clock = std::chrono::steady_clock;

// The Verilator harness of an array: its files on tb/harness/array_main.cpp, the shape given to the
// C++ as macros. Built at -O2: GEMMs run for minutes, so run time outweighs build time here.
constexpr const char* kHarnessKind = "gemm";  // cache_dir()/gemm

// Gate-level multipliers are Verilated hierarchically: each distinct multiplier module is a
// hier_block, Verilated and compiled once as its own model, which every PE instance calls. Inlined
// (Verilator's default), a 16x16 array compiled 256 copies of the multiplier's gates: 6 minutes
// to build and 3.8 M MAC/s (the copies overflow the instruction cache). `no_inline` alone does not
// share the code in Verilator 5.006: the scheduler still emits one function per instance. The
// configuration file keeps the generated Verilog free of Verilator metacomments. Lookup-table
// multipliers are one array read each and stay inlined. Measured in docs/array.md "Measured speed".
std::string hier_block_config(const ArrayConfig& cfg) {
  std::string text = "`verilator_config\n";
  for (const auto& s : cfg.distinct_specs()) text += "hier_block -module \"" + s.name() + "\"\n";
  return text;
}

// The training run of a profile-guided harness: one random GEMM with partial K and N tiles (about
// 10,000 cycles on an 8x8 array; with the output stage, random parameters), so that every part of
// the array and of the stream driver runs. Fixed seed: the same training, the same cache key.
HarnessTraining harness_training(const ArrayConfig& cfg) {
  const int64_t m = std::min<int64_t>(64 * cfg.acc_depth, 4096) + 3;
  const GemmProblem p = random_gemm(cfg, m, 2 * cfg.rows + 3, 2 * cfg.cols + 1, 20261201);
  std::string in;
  begin_gemm_jobs(in, 1);
  append_gemm_job(in, p.m, p.k, p.n, p.stall_seed, p.x, p.w, p.params);
  return {.files = {{"gm_training.bin", in}}, .args = {"gm_training.bin", "gm_training.out"}};
}

}  // namespace

HarnessBuild array_harness_build(const ArrayConfig& cfg, MulModel mul_model, const std::vector<ArrayFile>& files,
                                 HarnessTuning tuning) {
  HarnessBuild b{.kind = kHarnessKind, .what = "array harness", .main_cpp = "tb/harness/array_main.cpp",
                 .top = cfg.name(), .prefix = "Vgm_array", .binary = "gm_gemm",
                 .defines = {"-DGM_ROWS=" + std::to_string(cfg.rows), "-DGM_COLS=" + std::to_string(cfg.cols),
                             "-DGM_W=" + std::to_string(cfg.w()), "-DGM_ACC=" + std::to_string(cfg.acc_width),
                             "-DGM_DEPTH=" + std::to_string(cfg.acc_depth),
                             std::string("-DGM_OUT_STAGE=") + (cfg.out_stage ? "1" : "0")},
                 .opt_level = 2};
  for (const auto& f : files) b.files.push_back({f.name, f.text});
  // The accumulator bank and the output stage in their simulation form (rtl/gm_array_acc.v,
  // rtl/gm_array_out.v): the same values cycle for cycle without synthesis's fan-out copies, in
  // half the simulator's time. Icarus and synthesis read the structural form.
  b.verilator_flags.push_back("+define+GM_SIM_BEHAVIORAL");
  if (mul_model == MulModel::kGate) {
    b.files.push_back({"gm_hier_blocks.vlt", hier_block_config(cfg)});
    b.verilator_flags.push_back("--hierarchical");
  }
  if (tuning == HarnessTuning::kProfileGuided) b.training = harness_training(cfg);
  return b;
}

namespace {

void check_problem(const ArrayConfig& cfg, const GemmProblem& p) {
  if (p.m < 1 || p.k < 1 || p.n < 1)
    throw UserError("GEMM shape must be positive, got m=" + std::to_string(p.m) + " k=" + std::to_string(p.k) +
                    " n=" + std::to_string(p.n));
  if (static_cast<int64_t>(p.x.size()) != p.m * p.k || static_cast<int64_t>(p.w.size()) != p.k * p.n)
    throw UserError("GEMM matrices do not match the shape m x k, k x n");
  const int64_t lo = operand_min(cfg.w(), cfg.is_signed()), hi = operand_max(cfg.w(), cfg.is_signed());
  for (const auto* v : {&p.x, &p.w})
    for (const int32_t e : *v)
      if (e < lo || e > hi)
        throw UserError("GEMM operand " + std::to_string(e) + " is outside the multipliers' range " +
                        std::to_string(lo) + ".." + std::to_string(hi));
  if (!cfg.out_stage) {
    if (!p.params.empty()) throw UserError("GEMM output-stage params given, but the array has no output stage (--requant)");
    return;
  }
  if (static_cast<int64_t>(p.params.size()) != p.n)
    throw UserError("the array's output stage needs one set of params per output column (" + std::to_string(p.n) +
                    "), got " + std::to_string(p.params.size()));
  for (const OutParams& q : p.params)
    if (q.m0 < 0 || q.shift < 1 || q.shift > 62 || q.out_min > q.out_max)
      throw UserError("output-stage params need m0 >= 0, shift 1..62 and out_min <= out_max, got m0=" +
                      std::to_string(q.m0) + " shift=" + std::to_string(q.shift) + " out " +
                      std::to_string(q.out_min) + ".." + std::to_string(q.out_max));
}

// Test-only fault injection: GM_TEST_CYCLE_SKEW=N adds N to every cycle count the Verilated array
// harness reports. It stands in for hardware whose timing departs from the cycle model, a fault no
// option can produce honestly, so that tests can prove that every cycle check decides the exit status
// (tests/cli/checks_test.cpp). Never set in normal use (docs/verification.md).
uint64_t test_cycle_skew() {
  const char* v = std::getenv("GM_TEST_CYCLE_SKEW");
  return v ? std::strtoull(v, nullptr, 10) : 0;
}

// The simulators' input file (tb/array_job_file.hpp).
std::string jobs_file(const std::vector<GemmProblem>& problems) {
  std::string in;
  begin_gemm_jobs(in, static_cast<int64_t>(problems.size()));
  for (const auto& p : problems) append_gemm_job(in, p.m, p.k, p.n, p.stall_seed, p.x, p.w, p.params);
  return in;
}

// The simulators' results, as many as the file holds; `skew` is added to every cycle count.
std::vector<GemmResult> read_results(const fs::path& file, const std::vector<GemmProblem>& problems, uint64_t skew) {
  std::vector<GemmResult> out;
  std::ifstream f(file, std::ios::binary);
  for (const auto& p : problems) {
    GemmJobResult r;
    if (!read_gemm_result(f, p.m * p.n, r)) break;
    GemmResult res;
    res.cycles = r.cycles + skew;
    res.sim_seconds = static_cast<double>(r.wall_ns) * 1e-9;
    res.cpu_seconds = static_cast<double>(r.cpu_ns) * 1e-9;
    res.y = std::move(r.y);
    out.push_back(std::move(res));
  }
  return out;
}

}  // namespace

GemmRunner::GemmRunner(ArrayConfig cfg, MulModel mul_model, std::vector<ArrayFile> mul_rtl, HarnessTuning tuning)
    : cfg_(std::move(cfg)), mul_model_(mul_model), mul_rtl_(std::move(mul_rtl)), tuning_(tuning) {
  if (!mul_rtl_.empty() && mul_model_ != MulModel::kGate)
    throw std::logic_error("GemmRunner: multiplier RTL replaces gate-level multipliers only");
  for (const auto& s : cfg_.pe) tables_.push_back(&shared_product_table(s));
  if (!have_tool("verilator"))
    throw UserError("verilator is not installed (not on PATH); install it with `apt-get install verilator`");
  const HarnessBuild b = array_harness_build(cfg_, mul_model_, array_files(), tuning_);
  key_ = b.key();
  profile_guided_ = b.profile_guided();
  if (const auto entry = b.store().get(key_)) {
    dir_ = *entry;
    cached_ = true;
    return;
  }
  build();
}

std::vector<ArrayFile> GemmRunner::array_files() const {
  std::vector<ArrayFile> files = generate_array(cfg_, mul_model_).files;
  for (const auto& r : mul_rtl_) {
    bool replaced = false;
    for (auto& f : files)
      if (f.name == r.name) f.text = r.text, replaced = true;
    if (!replaced) throw std::logic_error("GemmRunner: the array has no multiplier file " + r.name);
  }
  return files;
}

void GemmRunner::build() const {
  const auto t0 = Clock::now();
  dir_ = array_harness_build(cfg_, mul_model_, array_files(), tuning_).build(key_);
  build_seconds_ += seconds_since(t0);
  cached_ = false;
}

bool GemmRunner::try_run(const std::vector<GemmProblem>& problems, std::vector<GemmResult>& out,
                         std::string& why) const {
  ScratchDir tmp("gm-gemm");
  write_file_atomic(tmp / "in.bin", jobs_file(problems));
  const RunResult r =
      run_program({(dir_ / "gm_gemm").string(), (tmp / "in.bin").string(), (tmp / "out.bin").string()}, {.cwd = dir_});
  out.clear();
  if (!r.ok()) {
    why = "exit " + std::to_string(r.exit_code) + ": " + r.output.substr(0, 600);
    return false;
  }
  out = read_results(tmp / "out.bin", problems, test_cycle_skew());
  if (out.size() != problems.size()) {
    why = "it wrote " + std::to_string(out.size()) + " of " + std::to_string(problems.size()) + " results";
    return false;
  }
  return true;
}

// A cached harness that fails to run is rebuilt once before its results are trusted or blamed
// (run_rebuilding_once); try_run uses dir_, which a rebuild updates.
std::vector<GemmResult> GemmRunner::run(const std::vector<GemmProblem>& problems) const {
  for (const auto& p : problems) check_problem(cfg_, p);
  std::vector<GemmResult> out;
  std::string why;
  const bool ran = run_rebuilding_once(
      CacheStore(kHarnessKind), key_, dir_, cached_,
      [&] {
        build();
        return dir_;
      },
      [&](const fs::path&, std::string& reason) { return try_run(problems, out, reason); }, why);
  if (ran) return out;
  throw std::runtime_error("the array harness failed to run after a fresh build (" + why + ")");
}

GemmResult GemmRunner::run(const GemmProblem& problem) const { return run(std::vector<GemmProblem>{problem}).front(); }

std::vector<int64_t> GemmRunner::golden(const GemmProblem& p) const {
  check_problem(cfg_, p);
  const auto y = golden_gemm(tables_, cfg_.rows, cfg_.cols, cfg_.acc_width, p.x.data(), p.w.data(), p.m, p.k, p.n);
  return cfg_.out_stage ? apply_output_stage(y, p.m, p.n, p.params) : y;
}

uint64_t GemmRunner::model_cycles(int64_t m, int64_t k, int64_t n) const { return gemm_cycles(cfg_, m, k, n); }

ArrayShape array_shape(const ArrayConfig& cfg) {
  return {cfg.rows, cfg.cols, cfg.w(), cfg.acc_width, cfg.acc_depth, cfg.out_stage};
}

ArrayTiming array_timing(const ArrayConfig& cfg) {
  const ArrayLatency l = array_latency(cfg);
  ArrayTiming a;
  a.rows = cfg.rows, a.cols = cfg.cols, a.acc_depth = cfg.acc_depth, a.out_stage = cfg.out_stage;
  a.first_activation_after_last_weight_beat = l.first_activation_after_last_weight_beat;
  a.result_after_activation = l.result_after_activation;
  a.bank_refill_after_last_activation = l.bank_refill_after_last_activation;
  a.param_refill_after_last_activation = l.param_refill_after_last_activation;
  return a;
}

std::vector<OutParams> random_out_params(const ArrayConfig& cfg, int64_t k, int64_t n, uint64_t seed) {
  // The typical |sum| of K products of independent operands uniform over the range: sqrt(K) * E[x^2].
  const double lo = static_cast<double>(operand_min(cfg.w(), cfg.is_signed()));
  const double hi = static_cast<double>(operand_max(cfg.w(), cfg.is_signed()));
  const double ex2 = (lo * lo + lo * hi + hi * hi) / 3.0;  // E[x^2] of a uniform distribution on [lo, hi]
  const double sigma = std::max(1.0, ex2 * std::sqrt(static_cast<double>(k)));
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 7);
  std::vector<OutParams> out;
  for (int64_t j = 0; j < n; ++j) {
    const bool hidden = j % 2 == 0;
    OutParams p;
    p.m0 = static_cast<int32_t>((int64_t{1} << 30) + static_cast<int64_t>(rng() % (uint64_t{1} << 30)));
    // v ~ sum * m0 / 2^shift with m0 ~ 1.5 * 2^30: put sigma at 64 (hidden) or 4096 (scores).
    const double target = hidden ? 64.0 : 4096.0;
    p.shift = static_cast<int>(std::lround(30.0 + std::log2(1.5 * sigma / target)));
    p.shift = std::clamp(p.shift, 1, 62);
    const int64_t b = static_cast<int64_t>(sigma / 4) + 1;
    p.bias = static_cast<int32_t>(static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * b + 1)) - b);
    if (hidden) p.out_min = 0, p.out_max = 127;
    else p.out_min = -32768, p.out_max = 32767;
    out.push_back(p);
  }
  return out;
}

GemmProblem random_gemm(const ArrayConfig& cfg, int64_t m, int64_t k, int64_t n, uint64_t seed) {
  GemmProblem p;
  p.m = m, p.k = k, p.n = n;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> d(operand_min(cfg.w(), cfg.is_signed()), operand_max(cfg.w(), cfg.is_signed()));
  p.x.resize(m * k);
  p.w.resize(k * n);
  for (auto& v : p.x) v = static_cast<int32_t>(d(rng));
  for (auto& v : p.w) v = static_cast<int32_t>(d(rng));
  if (cfg.out_stage) p.params = random_out_params(cfg, k, n, seed);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Icarus: the fixed bench tb/harness/array_tb.v with the array; every cycle it calls the VPI module
// tb/harness/array_vpi.cpp, which runs the same stream protocol as the Verilator harness.

namespace {

// The -I flags of `iverilog-vpi --cflags` (where vpi_user.h lives).
std::vector<std::string> vpi_include_flags() {
  const RunResult r = run_program({"iverilog-vpi", "--cflags"});
  if (!r.ok()) throw std::runtime_error("iverilog-vpi --cflags failed: " + r.output.substr(0, 300));
  std::vector<std::string> flags;
  std::istringstream words(r.output);
  for (std::string w; words >> w;)
    if (w.rfind("-I", 0) == 0) flags.push_back(w);
  return flags;
}

std::vector<std::string> vpi_build_argv() {
  std::vector<std::string> argv = {"c++", "-std=c++20", "-O2", "-fPIC", "-shared", "-I" + data_dir().string()};
  for (const auto& f : vpi_include_flags()) argv.push_back(f);
  argv.insert(argv.end(), {"-o", "gm_array_stream.vpi", data_file("tb/harness/array_vpi.cpp").string()});
  return argv;
}

// The VPI module, built once per source and compiler and kept in cache_dir()/gemm-vpi.
fs::path icarus_stream_module() {
  const CacheStore store("gemm-vpi");
  const std::vector<std::string> argv = vpi_build_argv();
  CacheKey k;
  for (const char* f : {"tb/harness/array_vpi.cpp", "tb/array_stream.hpp", "tb/array_job_file.hpp",
                        "models/golden_gemm.hpp"})
    k.add_file(f, data_file(f));
  std::string cmd;
  for (const auto& a : argv) cmd += a + "\n";
  k.add("command", cmd);
  const std::string key = add_tool_versions(k, {"c++", "iverilog"}).add_build_id().hex();
  if (const auto entry = store.get(key)) return *entry;
  return store.make(
      key,
      [&](const fs::path& dir) {
        const RunResult r = run_program(argv, {.cwd = dir});
        if (!r.ok()) throw std::runtime_error("build of the Icarus stream module failed: " + r.output.substr(0, 600));
      },
      "build");
}

}  // namespace

GemmResult run_gemm_icarus(const ArrayConfig& cfg, MulModel mul_model, const GemmProblem& p, double* build_seconds) {
  check_problem(cfg, p);
  for (const char* tool : {"iverilog", "vvp", "iverilog-vpi"})
    if (!have_tool(tool))
      throw UserError(std::string(tool) + " is not installed (not on PATH); install it with `apt-get install iverilog`");
  const fs::path vpi_dir = icarus_stream_module();
  const ArrayRtl rtl = generate_array(cfg, mul_model);
  const ScratchDir dir("gm-gemm-icarus");
  const std::string tb = "gm_array_tb";
  std::vector<std::string> compile = {"iverilog", "-g2005", "-o", "sim.vvp", "-DGM_ARRAY=" + rtl.top};
  if (cfg.out_stage) compile.push_back("-DGM_OUT_STAGE");
  for (const auto& [name, value] : {std::pair<const char*, int>{"ROWS", cfg.rows}, {"COLS", cfg.cols},
                                    {"W", cfg.w()}, {"ACC", cfg.acc_width}, {"DEPTH", cfg.acc_depth},
                                    {"OUT_STAGE", cfg.out_stage ? 1 : 0}})
    compile.push_back("-P" + tb + "." + name + "=" + std::to_string(value));
  compile.push_back(data_file("tb/harness/array_tb.v").string());
  for (const auto& f : rtl.files) {
    write_file_atomic(dir / f.name, f.text);
    if (f.name.substr(f.name.size() - 2) == ".v") compile.push_back(f.name);
  }
  write_file_atomic(dir / "jobs.bin", jobs_file({p}));
  auto t0 = Clock::now();
  RunResult run = run_program(compile, {.cwd = dir.path()});
  if (!run.ok()) throw std::runtime_error("Icarus compile of the array failed: " + run.output.substr(0, 600));
  if (build_seconds) *build_seconds = seconds_since(t0);
  t0 = Clock::now();
  run = run_program({"vvp", "-n", "-M", vpi_dir.string(), "-m", "gm_array_stream", "sim.vvp", "+gm_jobs=jobs.bin",
                     "+gm_results=results.bin"},
                    {.cwd = dir.path()});
  const double seconds = seconds_since(t0);
  if (!run.ok()) throw std::runtime_error("Icarus simulation of the array failed: " + run.output.substr(0, 600));
  std::vector<GemmResult> out = read_results(dir / "results.bin", {p}, 0);
  if (out.size() != 1) throw std::runtime_error("Icarus simulation of the array wrote no result: " + run.output.substr(0, 600));
  out.front().sim_seconds = seconds;  // the whole vvp run, as the benchmark compares it
  return out.front();
}

}  // namespace gm
