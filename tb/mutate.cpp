#include "tb/mutate.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "models/progress.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/stopwatch.hpp"
#include "tb/process.hpp"
#include "generator/registry.hpp"
#include "tb/verify.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

using Clock = std::chrono::steady_clock;

// Runs body(0..n-1) on `jobs` threads; the first exception is rethrown after all have stopped.
void parallel_for(size_t n, int jobs, const std::function<void(size_t)>& body) {
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (size_t i = next++; i < n; i = next++) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next = n;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::max(1, jobs); ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

// Runs a Yosys script file in `dir`; throws with the start of the log when Yosys fails.
void run_yosys(const fs::path& dir, const std::string& script, const std::string& what) {
  write_file_atomic(dir / "script.ys", script);
  const RunResult r = run_program({"yosys", "-q", "-s", "script.ys"}, {.cwd = dir});
  if (!r.ok()) throw std::runtime_error("Yosys failed " + what + ": " + r.output.substr(0, 600));
}

// The module names of design d in a batch: its round-tripped reference and mutant i.
std::string reference_module(size_t d) { return "gm_mut" + std::to_string(d) + "_ref"; }
std::string mutant_module(size_t d, size_t i) { return "gm_mut" + std::to_string(d) + "_" + std::to_string(i); }

// The same front end for listing and applying mutations, so that the cell names in the list are
// the ones the apply script sees. Flattened: a mutant is one module, renamed without clashes.
std::string front_end(const Spec& spec) {
  return "read_verilog design.v\nhierarchy -top " + spec.name() + "\nproc\nflatten\nopt_clean\n";
}

struct DesignWork {
  std::vector<std::string> mutations;   // `mutate -mode ...` lines from `mutate -list`
  std::string reference;                // the unmutated round trip, module reference_module(d)
  std::vector<std::string> mutants;     // module mutant_module(d, i)
  std::vector<bool> caught;
  double seconds = 0;
};

// `mutate -list` then one Yosys run that writes the reference and every mutant.
void make_mutants(const Spec& spec, size_t d, const MutateOptions& opt, DesignWork& w) {
  const auto t0 = Clock::now();
  ScratchDir dir("gm-mutate");
  write_file_atomic(dir / "design.v", rtl::generate_verilog(spec));
  run_yosys(dir.path(),
            front_end(spec) + "mutate -list " + std::to_string(opt.count) + " -seed " + std::to_string(opt.seed) +
                " -o mutations.ys\n",
            "listing the mutations of " + spec.name());
  std::istringstream list(read_file(dir / "mutations.ys"));
  for (std::string line; std::getline(list, line);)
    if (line.rfind("mutate ", 0) == 0) w.mutations.push_back(line);

  std::ostringstream apply;
  apply << front_end(spec) << "design -save gm_orig\n";
  apply << "rename " << spec.name() << " " << reference_module(d) << "\nwrite_verilog -noattr ref.v\n";
  for (size_t i = 0; i < w.mutations.size(); ++i)
    apply << "design -load gm_orig\n" << w.mutations[i] << "\nrename " << spec.name() << " " << mutant_module(d, i)
          << "\nwrite_verilog -noattr m" << i << ".v\n";
  run_yosys(dir.path(), apply.str(), "writing the mutants of " + spec.name());
  w.reference = read_file(dir / "ref.v");
  for (size_t i = 0; i < w.mutations.size(); ++i) w.mutants.push_back(read_file(dir / ("m" + std::to_string(i) + ".v")));
  w.seconds += seconds_since(t0);
}

}  // namespace

std::vector<std::string> single_gate_mutants(const Spec& spec, int count, uint64_t seed) {
  if (!have_tool("yosys")) throw UserError("yosys is not installed (not on PATH); install it with `apt-get install yosys`");
  MutateOptions opt;
  opt.count = count;
  opt.seed = seed;
  DesignWork w;
  make_mutants(spec, 0, opt, w);
  // make_mutants renames each mutant apart; give it the design's own name back.
  std::vector<std::string> out;
  for (size_t i = 0; i < w.mutants.size(); ++i) {
    std::string text = w.mutants[i];
    const std::string from = "module " + mutant_module(0, i) + "(", to = "module " + spec.name() + "(";
    const size_t at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("Yosys wrote mutant " + std::to_string(i) + " without its module");
    out.push_back(text.replace(at, from.size(), to));
  }
  return out;
}

bool sat_equivalent(const std::string& gold_text, const std::string& gold_module, const std::string& gate_text,
                    const std::string& gate_module, int timeout_s) {
  ScratchDir dir("gm-mutate-sat");
  write_file_atomic(dir / "gold.v", gold_text);
  write_file_atomic(dir / "gate.v", gate_text);
  write_file_atomic(dir / "script.ys", "read_verilog gold.v gate.v\nproc\nmiter -equiv -flatten -make_outputs " +
                                           gold_module + " " + gate_module +
                                           " gm_miter\nhierarchy -top gm_miter\n"
                                           // opt merges the cells that gold and gate share (a mutant
                                           // differs in one cone), so SAT sees only the difference.
                                           "opt\nsat -verify -prove trigger 0 gm_miter\n");
  return run_program({"yosys", "-q", "-s", "script.ys"}, {.cwd = dir.path(), .timeout_s = timeout_s}).ok();
}

std::vector<MutateResult> mutate_designs(const std::vector<Spec>& specs, const MutateOptions& opt) {
  if (opt.count < 1 || opt.count > 10000)
    throw UserError("--count " + std::to_string(opt.count) + " is out of range; give 1..10000 mutants per design");
  VerifyOptions vopt;
  vopt.sim = opt.sim;
  verify_rtl({}, vopt);  // checks the simulator before any work
  if (!have_tool("yosys"))
    throw UserError("yosys is not installed (not on PATH); install it with `apt-get install yosys`");

  std::vector<DesignWork> work(specs.size());
  progress_stage(opt.progress, "mutants", specs.size());
  parallel_for(specs.size(), opt.jobs, [&](size_t d) {
    progress_begin(opt.progress, specs[d].name());
    make_mutants(specs[d], d, opt, work[d]);
    progress_end(opt.progress, specs[d].name());
  });

  // Every reference and mutant, in batches of opt.batch per harness build.
  struct Slot {
    size_t design;
    long mutant;  // -1: the reference
  };
  std::vector<RtlDesign> all;
  std::vector<Slot> slots;
  for (size_t d = 0; d < specs.size(); ++d) {
    all.push_back({specs[d], reference_module(d), work[d].reference});
    slots.push_back({d, -1});
    for (size_t i = 0; i < work[d].mutants.size(); ++i) {
      all.push_back({specs[d], mutant_module(d, i), work[d].mutants[i]});
      slots.push_back({d, static_cast<long>(i)});
    }
    work[d].caught.assign(work[d].mutants.size(), false);
  }
  std::vector<MutateResult> out(specs.size());
  for (size_t d = 0; d < specs.size(); ++d) out[d].spec = specs[d];
  const size_t batch = std::max<size_t>(opt.batch, 1);
  progress_stage(opt.progress, "simulate", all.size(), "designs and mutants");
  for (size_t first = 0; first < all.size(); first += batch) {
    const size_t last = std::min(all.size(), first + batch);
    const std::string step = "a harness of " + std::to_string(last - first);
    progress_begin(opt.progress, step);
    const auto t0 = Clock::now();
    const auto results = verify_rtl({all.begin() + first, all.begin() + last}, vopt);
    const double share = seconds_since(t0) / static_cast<double>(last - first);
    for (size_t k = first; k < last; ++k) {
      const Slot& s = slots[k];
      work[s.design].seconds += share;
      const VerifyResult& r = results[k - first];
      if (s.mutant < 0)
        out[s.design].reference_passed = r.pass();
      else
        work[s.design].caught[s.mutant] = !r.pass();
    }
    progress_end(opt.progress, step, last - first);
  }

  // The uncaught mutants go to the SAT miter.
  std::vector<Slot> uncaught;
  for (size_t d = 0; d < specs.size(); ++d)
    for (size_t i = 0; i < work[d].mutants.size(); ++i)
      if (!work[d].caught[i]) uncaught.push_back({d, static_cast<long>(i)});
  std::vector<char> equivalent(uncaught.size(), 0);
  std::vector<double> sat_seconds(uncaught.size(), 0);
  progress_stage(opt.progress, "SAT", uncaught.size(), "uncaught mutants");
  parallel_for(uncaught.size(), opt.jobs, [&](size_t k) {
    const auto t0 = Clock::now();
    const Slot& s = uncaught[k];
    const std::string step = specs[s.design].name() + " mutant " + std::to_string(s.mutant);
    progress_begin(opt.progress, step);
    const DesignWork& w = work[s.design];
    equivalent[k] = sat_equivalent(w.reference, reference_module(s.design), w.mutants[s.mutant],
                                   mutant_module(s.design, s.mutant), opt.sat_timeout_s);
    sat_seconds[k] = seconds_since(t0);
    progress_end(opt.progress, step);
  });

  for (size_t d = 0; d < specs.size(); ++d) {
    MutateResult& r = out[d];
    r.mutants = static_cast<int>(work[d].mutants.size());
    r.caught = static_cast<int>(std::count(work[d].caught.begin(), work[d].caught.end(), true));
    r.seconds = work[d].seconds;
  }
  for (size_t k = 0; k < uncaught.size(); ++k) {
    MutateResult& r = out[uncaught[k].design];
    r.seconds += sat_seconds[k];
    if (equivalent[k]) {
      ++r.equivalent;
    } else {
      ++r.escaped;
      r.escapes.push_back(work[uncaught[k].design].mutations[uncaught[k].mutant]);
    }
  }
  return out;
}

}  // namespace gm
