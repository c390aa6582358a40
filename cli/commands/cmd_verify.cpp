// greenmac verify SPEC... [--sim verilator|icarus] [--json]: every design against its model, bit for bit.
#include <iostream>
#include <nlohmann/json.hpp>

#include "models/checks.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "models/progress.hpp"
#include "tb/verify.hpp"

namespace gm {
namespace {

struct VerifyArgs {
  SpecArgs designs;
  VerifyOptions opt;
  std::string rtl_dir;
  bool json = false;
};

nlohmann::json result_json(const VerifyResult& r) {
  nlohmann::json j = {{"spec", r.spec.canonical()}, {"name", r.spec.name()}, {"sim", r.sim},
                      {"pairs", r.pairs},           {"exhaustive", r.exhaustive},
                      {"mismatches", r.mismatches}, {"pass", r.pass()}};
  if (r.mismatches)
    j["first_mismatch"] = {{"a", r.a}, {"b", r.b}, {"expected", r.expected}, {"got", r.got}};
  return j;
}

int run_verify(const VerifyArgs& args) {
  VerifyOptions opt = args.opt;
  opt.rtl_dir = args.rtl_dir;
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  VerifyStats st;
  Progress progress("verify");
  opt.progress = &progress;
  const auto results = verify_designs(specs, opt, &st);
  progress.finish();
  int failed = 0;
  for (const auto& r : results) failed += !r.pass();
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : results) out.push_back(result_json(r));
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& r : results) {
      std::cout << (r.pass() ? "PASS " : "FAIL ") << r.spec.name() << "  " << r.pairs << " pairs"
                << (r.exhaustive ? " (exhaustive)" : " (corners + random)");
      if (r.mismatches)
        std::cout << "  " << r.mismatches << " mismatches; first: a=" << r.a << " b=" << r.b
                  << " expected " << r.expected << " got " << r.got;
      std::cout << "\n";
    }
    std::cout << results.size() - failed << " passed, " << failed << " failed (" << opt.sim << ", "
              << st.builds << " build" << (st.builds == 1 ? "" : "s") << ", " << st.cached_builds
              << " cached)\n";
  }
  CheckLog checks;
  for (const auto& r : results)
    if (!r.pass())
      checks.fail("verify: " + r.spec.name() + ": " +
                  (r.pairs == 0 ? std::string("no operand pairs were simulated")
                                : std::to_string(r.mismatches) + " of " + std::to_string(r.pairs) +
                                      " products differ from the model (first: a=" + std::to_string(r.a) +
                                      " b=" + std::to_string(r.b) + " expected " + std::to_string(r.expected) +
                                      " got " + std::to_string(r.got) + ")"));
  return checks.finish();
}

const CommandRegistrar reg({
    .name = "verify",
    .help = "simulate each design and compare it with its C++ model on every input pair (w <= 12) "
            "or on corner cases plus random pairs (w > 12); exit 0 only when all match",
    .order = 30,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<VerifyArgs>();
          args->designs.add_to(sub);
          sub.add_option("--sim", args->opt.sim, "simulator")->check(CLI::IsMember({"verilator", "icarus"}));
          sub.add_option("--rtl-dir", args->rtl_dir,
                         "verify the files DIR/<name>.v (e.g. edited output of `gen`) instead of fresh RTL");
          sub.add_option("--pairs", args->opt.random_pairs,
                         "random pairs for w > 12 (default 10^7; fewer is a smoke test, not a verification)")
              ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
          sub.add_option("--seed", args->opt.seed, "seed of the random pairs");
          sub.add_flag("--json", args->json, "print JSON");
          add_quiet_option(sub);
          return [=] { return run_verify(*args); };
        },
});

}  // namespace
}  // namespace gm
