// greenmac prove SPEC...: formal equivalence of the RTL with a*b (exact designs) or with the model's
// truth table (approximate designs, w <= 6), by a Yosys miter and `sat -prove`.
#include <algorithm>
#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>

#include "models/checks.hpp"
#include "cli/command.hpp"
#include "tb/prove.hpp"

namespace gm {
namespace {

struct ProveArgs {
  SpecArgs designs;
  std::string rtl_dir;
  int timeout = 600;
  int jobs = 2;
  bool json = false;
};

int run_prove(const ProveArgs& args) {
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  // Proofs are independent single-threaded Yosys runs: run `jobs` at a time.
  std::vector<ProveResult> results(specs.size());
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (size_t i = next++; i < specs.size(); i = next++) {
      try {
        results[i] = prove_design(specs[i], args.rtl_dir, args.timeout);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 0; j < std::max(1, args.jobs); ++j) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);

  int failed = 0;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : results) {
    const Spec& s = r.spec;
    failed += !r.proved;
    if (args.json) {
      out.push_back({{"spec", s.canonical()}, {"name", s.name()}, {"reference", r.reference},
                     {"proved", r.proved}, {"timed_out", r.timed_out}, {"seconds", r.seconds}});
      continue;
    }
    std::cout << (r.proved ? "PROVED " : (r.timed_out ? "TIMEOUT " : "FAILED ")) << s.name() << " == "
              << r.reference << "  (" << static_cast<int>(r.seconds + 0.5) << " s)\n";
    if (!r.proved && !r.timed_out) std::cout << r.log << "\n";
  }
  if (args.json) std::cout << out.dump(2) << "\n";
  else std::cout << specs.size() - failed << " proved, " << failed << " not proved\n";
  CheckLog checks;
  for (const auto& r : results)
    checks.expect(r.proved, "prove: " + r.spec.name() + " == " + r.reference + " " +
                                (r.timed_out ? "not proved within the time-out" : "does not hold"));
  return checks.finish();
}

const CommandRegistrar reg({
    .name = "prove",
    .help = "prove designs equal to a*b (exact) or to their model's truth table (approximate, w <= 6) with Yosys sat",
    .order = 40,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<ProveArgs>();
          args->designs.add_to(sub);
          sub.add_option("--rtl-dir", args->rtl_dir, "prove DIR/<name>.v instead of freshly generated RTL");
          sub.add_option("--timeout", args->timeout, "seconds per design before giving up (1..86400)")->check(CLI::Range(1, 86400));
          sub.add_option("-j,--jobs", args->jobs, "proofs run in parallel")->check(CLI::Range(1, 64));
          sub.add_flag("--json", args->json, "print JSON");
          return [=] { return run_prove(*args); };
        },
});

}  // namespace
}  // namespace gm
