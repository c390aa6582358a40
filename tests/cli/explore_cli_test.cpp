// `greenmac explore` from the command line. A small search (the MLP, truncation ladders, a 1x1
// array, a few hundred images) chooses a point within the budget on VALIDATION, which `dnn eval`
// confirms on the same images by its own run; the outputs hold every point; the chosen point passed
// the RTL check; a second run resumes from the kept points and chooses the same. With greenmac-train,
// the pruning lever's chosen point has fewer cycles. Bad input is one line, exit 2, before any work.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/files.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

namespace {

bool trainer_built() { return fs::is_regular_file(fs::path(GM_BINARY).parent_path() / "greenmac-train"); }

const char* kSmall =
    "explore --model mlp --array 1x1 --val-images 600 --test-images 600 --sim-images 1 "
    "--rtl-images 20 --train-images 3000 --json ";

// `dnn eval` of a chosen point on `split`, by its own run of the golden path.
double eval_accuracy(const nlohmann::json& best, const std::string& split, int images) {
  std::string cmd = "dnn eval --model " + best["model"].get<std::string>() + " --split " + split + " --images " +
                    std::to_string(images) + " --json";
  std::string config = best["config"];
  for (size_t at = 0; at <= config.size();) {  // "conv1=SPEC;conv2=SPEC": one --mul-layer each
    const size_t end = std::min(config.find(';', at), config.size());
    cmd += " --mul-layer " + config.substr(at, end - at);
    at = end + 1;
  }
  const auto r = run_cli(cmd);
  EXPECT_EQ(r.rc, 0) << r.err;
  return r.rc == 0 ? nlohmann::json::parse(r.out).back()["accuracy"].get<double>() : -1;
}

size_t lines_of(const fs::path& f) {
  std::ifstream in(f);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

}  // namespace

TEST(ExploreCli, BadInputIsOneLineBeforeAnyWork) {
  const fs::path dir = gm::test::temp_dir("gm-explore-bad");
  const fs::path out = dir / "out";
  expect_one_line_error(run_cli("explore --levers approx,magic -o " + out.string()), "unknown lever 'magic'");
  expect_one_line_error(run_cli("explore --budget-pp -1 -o " + out.string()), "--budget-pp");
  expect_one_line_error(run_cli("explore --array 0x3 -o " + out.string()), "");
  expect_one_line_error(run_cli("explore --val-images 20000 -o " + out.string()), "--val-images");
  expect_one_line_error(run_cli("explore --model /nonexistent/m.json -o " + out.string()), "/nonexistent/m.json");
  EXPECT_FALSE(fs::exists(out)) << "nothing is written for refused input";
  gm::write_file_atomic(dir / "file", "x");
  expect_one_line_error(run_cli("explore --levers approx -o " + (dir / "file").string()), "");
}

TEST(ExploreCli, SmallSearchChoosesWithinTheBudgetOnValidationAndResumes) {
  if (!gm::test::synth_tools_present() || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = gm::test::temp_dir("gm-explore-small");
  const std::string args = std::string(kSmall) + "--budget-pp 1 --levers approx,voltage -o " + dir.string();
  const auto r = run_cli(args);
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto best = nlohmann::json::parse(r.out);
  for (const char* key : {"config", "val_accuracy", "test_accuracy", "exact_test_accuracy", "energy_nj", "energy_ratio",
                          "energy_ratio_with_voltage", "rtl_images", "rtl_mismatches"})
    EXPECT_TRUE(best.contains(key)) << key;
  EXPECT_EQ(best["rtl_images"], 20);
  EXPECT_EQ(best["rtl_mismatches"], 0);
  EXPECT_NE(best["config"].get<std::string>().find("trunc:"), std::string::npos)
      << "a 1 pp budget admits some truncation on the MLP: " << best;
  EXPECT_LT(best["energy_ratio"].get<double>(), 1.0) << "a kept step spends less";
  EXPECT_LT(best["energy_ratio_with_voltage"].get<double>(), best["energy_ratio"].get<double>());

  // The choice holds on validation, measured again by dnn eval; test is what dnn eval says too.
  const double val = eval_accuracy(best, "val", 600), exact_val = best["exact_val_accuracy"];
  EXPECT_DOUBLE_EQ(val, best["val_accuracy"].get<double>());
  EXPECT_LE((exact_val - val) * 100, 1.0 + 1e-9) << "within the budget on validation";
  EXPECT_DOUBLE_EQ(eval_accuracy(best, "test", 600), best["test_accuracy"].get<double>());

  // The outputs: every point in front.json and front.csv, the report with both plots.
  const auto front = nlohmann::json::parse(gm::read_file(dir / "front.json"));
  ASSERT_GE(front["points"].size(), 2u);
  EXPECT_EQ(lines_of(dir / "front.csv"), front["points"].size() + 1);
  for (const char* f : {"best.json", "report.md", "front.svg", "waterfall.svg"}) EXPECT_TRUE(fs::exists(dir / f)) << f;
  const std::string md = gm::read_file(dir / "report.md");
  EXPECT_NE(md.find("Waterfall"), std::string::npos);
  EXPECT_NE(md.find("validation split"), std::string::npos);
  EXPECT_NE(md.find("ESTIMATE"), std::string::npos) << "the voltage figure is labelled";

  // Resumed: the kept points are read back, and the choice is the same.
  const auto again = run_cli(args);
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_NE(again.err.find("resumed"), std::string::npos);
  const auto best2 = nlohmann::json::parse(again.out);
  EXPECT_EQ(best2["config"], best["config"]);
  EXPECT_DOUBLE_EQ(best2["energy_nj"].get<double>(), best["energy_nj"].get<double>());
}

TEST(ExploreCli, PruningLeverKeepsAPointWithFewerCycles) {
  if (!gm::test::synth_tools_present() || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  if (!trainer_built()) GTEST_SKIP() << "greenmac-train not built (libtorch missing)";
  const fs::path dir = gm::test::temp_dir("gm-explore-prune");
  const auto r = run_cli(std::string(kSmall) + "--quick --levers prune --budget-pp 3 -o " + dir.string());
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto best = nlohmann::json::parse(r.out);
  const auto front = nlohmann::json::parse(gm::read_file(dir / "front.json"));
  double base_cycles = 0, best_cycles = 0;
  for (const auto& p : front["points"]) {
    if (p["lever"] == "baseline") base_cycles = p["energy"]["cycles"];
    if (p["key"] == front["best"]) best_cycles = p["energy"]["cycles"];
  }
  ASSERT_GT(base_cycles, 0);
  EXPECT_LT(best_cycles, base_cycles) << "pruned channels are cycles the array no longer runs: " << best;
  EXPECT_LT(best["energy_ratio"].get<double>(), 1.0);
  EXPECT_EQ(best["rtl_mismatches"], 0);

  // Resumed with no time left: the kept points cost none, so the choice is the same.
  const auto resumed = run_cli(std::string(kSmall) + "--quick --levers prune --budget-pp 3 --seconds 1 -o " + dir.string());
  ASSERT_EQ(resumed.rc, 0) << resumed.err;
  EXPECT_EQ(nlohmann::json::parse(resumed.out)["model"], best["model"]) << resumed.err;

  // Again with almost no budget, resuming the same points: where 25 % breaks the budget, the search
  // tries half of it; where it does not, it has no reason to.
  const auto tight = run_cli(std::string(kSmall) + "--quick --levers prune --budget-pp 0.01 -o " + dir.string());
  ASSERT_EQ(tight.rc, 0) << tight.err;
  const auto points = nlohmann::json::parse(gm::read_file(dir / "front.json"))["points"];
  bool quarter_feasible = false, eighth_tried = false;
  for (const auto& p : points) {
    if (p["sparsity"] == 0.25) quarter_feasible = p["feasible"];
    if (p["sparsity"] == 0.125) eighth_tried = true;
  }
  EXPECT_EQ(eighth_tried, !quarter_feasible) << tight.err;
}

TEST(ExploreCli, EvolvedLeverPutsALibraryCircuitOnALayerWithinTheBudget) {
  if (!gm::test::synth_tools_present() || !gm::test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = gm::test::temp_dir("gm-explore-evolved");
  // A small library evolved for the MLP's own operands (training images), a mild and a coarse circuit.
  const auto e = run_cli("evolve --model mlp --images 50 --bound wmed=0.1%,bias=3 --bound wmed=0.3%,bias=10 "
                         "--evaluations 8000 --no-synth -o " + (dir / "lib").string());
  ASSERT_EQ(e.rc, 0) << e.err;
  const auto r = run_cli(std::string(kSmall) + "--budget-pp 1 --evo-lib " + (dir / "lib").string() + " --levers evolved -o " +
                         (dir / "x").string());
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto best = nlohmann::json::parse(r.out);
  EXPECT_NE(best["config"].get<std::string>().find("evo:"), std::string::npos)
      << "a 1 pp budget admits an evolved circuit on some layer of the MLP: " << best;
  EXPECT_EQ(best["config"].get<std::string>().find("trunc:"), std::string::npos) << "only the evolved lever was asked";
  EXPECT_EQ(best["rtl_mismatches"], 0);
  EXPECT_LT(best["energy_ratio"].get<double>(), 1.0);
  const double val = eval_accuracy(best, "val", 600), exact_val = best["exact_val_accuracy"];
  EXPECT_LE((exact_val - val) * 100, 1.0 + 1e-9) << "within the budget on validation";
  // A library folder that is not there is refused before any work.
  expect_one_line_error(run_cli(std::string(kSmall) + "--evo-lib " + (dir / "none").string() + " -o " +
                                (dir / "y").string()),
                        "not a folder");
  fs::remove_all(dir);
}
