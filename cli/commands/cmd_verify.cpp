// greenmac verify SPEC... [--sim verilator|icarus] [--trace DIR] [--json]: every design against its
// model, bit for bit; with --trace, a waveform of each failing design around its first failing pairs
// (of every design when all pass), tb/verify_trace.hpp.
#include <iostream>
#include <nlohmann/json.hpp>

#include "models/checks.hpp"
#include "cli/command.hpp"
#include "cli/trace_option.hpp"
#include "tb/verify.hpp"
#include "tb/verify_trace.hpp"

namespace gm {
namespace {

struct VerifyArgs {
  SpecArgs designs;
  VerifyOptions opt;
  std::string rtl_dir, trace_dir;
  bool pairs_given = false, seed_given = false;
  bool json = false;
};

// The words of a command that verifies the same designs the same way (for the reproduce line).
std::vector<std::string> reproduce_words(const VerifyArgs& a) {
  std::vector<std::string> w = {"verify"};
  w.insert(w.end(), a.designs.specs.begin(), a.designs.specs.end());
  if (!a.designs.set.empty()) w.insert(w.end(), {"--set", a.designs.set});
  if (a.opt.sim != "verilator") w.insert(w.end(), {"--sim", a.opt.sim});
  if (!a.rtl_dir.empty()) w.insert(w.end(), {"--rtl-dir", a.rtl_dir});
  if (a.pairs_given) w.insert(w.end(), {"--pairs", std::to_string(a.opt.random_pairs)});
  if (a.seed_given) w.insert(w.end(), {"--seed", std::to_string(a.opt.seed)});
  return w;
}

// Traces the failing designs, or every design when none failed.
std::vector<VerifyTrace> trace_designs(const std::vector<VerifyResult>& results, const VerifyOptions& opt,
                                       const std::string& dir) {
  bool any_failed = false;
  for (const auto& r : results) any_failed |= !r.pass();
  std::vector<VerifyTrace> traces(results.size());
  for (size_t i = 0; i < results.size(); ++i)
    if (!any_failed || !results[i].pass()) traces[i] = trace_verify(results[i].spec, opt, dir);
  return traces;
}

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
  check_trace_dir(args.trace_dir);
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  VerifyStats st;
  const auto results = verify_designs(specs, opt, &st);
  int failed = 0;
  for (const auto& r : results) failed += !r.pass();
  const auto traces = args.trace_dir.empty() ? std::vector<VerifyTrace>(results.size())
                                             : trace_designs(results, opt, args.trace_dir);
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < results.size(); ++i) {
      out.push_back(result_json(results[i]));
      if (!traces[i].fst.empty())
        out.back()["trace"] = {{"fst", traces[i].fst.string()}, {"gtkw", traces[i].gtkw.string()},
                               {"traced_pairs", traces[i].traced}, {"failing_pairs", traces[i].failing}};
    }
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
    for (const auto& t : traces)
      if (!t.fst.empty())
        std::cout << "  waveform " << t.fst.string() << ": " << t.traced << " pairs, " << t.failing
                  << " failing; view with gtkwave " << t.gtkw.string() << "\n";
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
  const int rc = checks.finish();
  if (rc != 0 && args.trace_dir.empty()) print_reproduce_line(reproduce_words(args));
  return rc;
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
              ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40))
              ->each([args](const std::string&) { args->pairs_given = true; });
          sub.add_option("--seed", args->opt.seed, "seed of the random pairs")
              ->each([args](const std::string&) { args->seed_given = true; });
          add_trace_option(sub, &args->trace_dir,
                           "each failing design around its first failing pairs (of every design when all pass; "
                           "simulated in Verilator)");
          sub.add_flag("--json", args->json, "print JSON");
          return [=] { return run_verify(*args); };
        },
});

}  // namespace
}  // namespace gm
