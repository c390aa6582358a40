// RTL inference: every conv and fc layer runs whole on the Verilated array (accumulators and output
// stage); each layer's int8 outputs equal the golden layer's, the logits the golden inference's, bit
// for bit, and the array's cycle count equals the cycle model's.
#include <gtest/gtest.h>

#include <filesystem>

#include <random>

#include "tb/dnn_on_rtl.hpp"
#include "models/dnn/evaluate.hpp"
#include "generator/registry.hpp"
#include "models/files.hpp"
#include "tb/mutate.hpp"
#include "tb/verify.hpp"
#include "models/dnn/idx.hpp"
#include "tb/process.hpp"
#include <nlohmann/json.hpp>

#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace {


}  // namespace

TEST(DnnRtl, ArrayLogitsEqualGoldenForExactAndTwoApproximateMultipliers) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  for (const std::string mul : {"exact:s=1", "drum:k=4,s=1", "trunc:t=6,s=1"}) {
    gm::DnnRtlOptions opt;
    opt.rows = 4;
    opt.cols = 4;
    opt.mul = gm::parse_spec(mul);
    opt.images = 24;
    const auto r = gm::dnn_rtl(opt);
    EXPECT_EQ(r.images, 24u);
    EXPECT_EQ(r.mismatches, 0u) << mul;
    EXPECT_EQ(r.cycles, r.cycles_model) << mul;
    EXPECT_EQ(r.accuracy, r.golden_accuracy) << mul;
    EXPECT_EQ(r.macs, 24u * 787968u) << mul;  // the CNN's MACs per image
    EXPECT_EQ(r.acc_depth, 8) << mul;              // the default R + C
    ASSERT_EQ(r.layers.size(), 3u) << mul;         // the CNN's conv, conv, fc (pooling stays on the host)
    for (const auto& l : r.layers) {
      EXPECT_GT(l.outputs, 0u) << l.layer;
      EXPECT_EQ(l.mismatches, 0u) << mul << " " << l.layer;
      EXPECT_EQ(l.cycles, l.cycles_model) << mul << " " << l.layer;
    }
    EXPECT_EQ(r.layer_mismatches, 0u) << mul;
  }
}

// One conv layer of the shipped CNN on random int8 inputs: the array's output stage gives the golden
// layer's int8 outputs (gm::dnn::run_layer with the golden engine, a separate path), and a PE with a
// wrong partial sum (the generator's mutant hook) is caught by the per-layer check.
TEST(DnnRtl, ALayerLeavesTheArrayAsTheGoldenLayerAndAMutantIsCaught) {
  if (!gm::have_tool("verilator")) GTEST_SKIP() << "needs verilator";
  const gm::dnn::Network net = gm::load_dnn_model("cnn");
  size_t idx = 0;
  while (net.layers[idx].kind != gm::dnn::LayerKind::kConv) ++idx;
  const gm::dnn::Layer& conv = net.layers[idx];
  const size_t images = 2;
  std::vector<int32_t> in(images * conv.in_size());
  std::mt19937_64 rng(3);
  for (auto& v : in) v = static_cast<int32_t>(rng() % 128);
  const gm::Spec spec = gm::parse_spec("drum:k=4,s=1");
  const gm::ProductTable table(spec);
  gm::dnn::TableGemm golden(table);
  const auto want = gm::dnn::run_layer(conv, in, images, golden);

  const gm::GemmRunner runner(gm::make_array_config(3, 4, spec, "", 32, false, 5, true));
  gm::ArrayGemm engine(runner, net, golden);
  EXPECT_EQ(gm::dnn::run_layer(conv, in, images, engine), want);
  EXPECT_EQ(engine.layers[idx].outputs, images * conv.out_size());
  EXPECT_EQ(engine.layers[idx].mismatches, 0u);
  EXPECT_EQ(engine.layers[idx].cycles, engine.layers[idx].cycles_model);

  gm::ArrayConfig bad = gm::make_array_config(3, 4, spec, "", 32, false, 5, true);
  bad.mutant_row = 2;
  bad.mutant_col = 1;
  const gm::GemmRunner mutant(bad);
  gm::ArrayGemm wrong(mutant, net, golden);
  EXPECT_NE(gm::dnn::run_layer(conv, in, images, wrong), want);
  EXPECT_GT(wrong.layers[idx].mismatches, 0u);
}

// Batches spread over workers: the logits equal the golden inference's image for image (so the
// workers' results land in image order), and the cycles, MACs and per-layer counts equal a one-worker
// run's, since the GEMMs are the same batches. A mutant PE is still caught in every worker's batches.
TEST(DnnRtl, WorkersDoNotChangeLogitsOrCycles) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  const gm::dnn::Network net = gm::load_dnn_model("mlp");
  const gm::ImageSet test = gm::load_dnn_test_set("", 15, net);
  const gm::Spec spec = gm::parse_spec("drum:k=4,s=1");
  const gm::ProductTable table(spec);
  gm::dnn::TableGemm golden_engine(table);
  const auto golden = gm::dnn::run_network(net, test.pixels.data(), test.count(), golden_engine, 4);
  const gm::GemmRunner runner(gm::make_array_config(3, 2, spec, "", 32, false, 0, true));
  const auto one = gm::run_batches_on_array(runner, net, test, 4, 1, table);
  const auto three = gm::run_batches_on_array(runner, net, test, 4, 3, table);
  EXPECT_EQ(one.logits, golden);
  EXPECT_EQ(three.logits, golden);
  EXPECT_EQ(three.totals.cycles, one.totals.cycles);
  EXPECT_EQ(three.totals.cycles, three.totals.cycles_model);
  EXPECT_EQ(three.totals.macs, one.totals.macs);
  ASSERT_EQ(three.totals.layers.size(), one.totals.layers.size());
  for (size_t i = 0; i < one.totals.layers.size(); ++i) {
    EXPECT_EQ(three.totals.layers[i].outputs, one.totals.layers[i].outputs) << i;
    EXPECT_EQ(three.totals.layers[i].cycles, one.totals.layers[i].cycles) << i;
    EXPECT_EQ(three.totals.layers[i].mismatches, 0u) << i;
  }

  gm::ArrayConfig bad = gm::make_array_config(3, 2, spec, "", 32, false, 0, true);
  bad.mutant_row = 1;
  bad.mutant_col = 1;
  const gm::GemmRunner mutant(bad);
  const auto wrong = gm::run_batches_on_array(mutant, net, test, 4, 3, table);
  uint64_t layer_mismatches = 0;
  for (const auto& l : wrong.totals.layers) layer_mismatches += l.mismatches;
  EXPECT_GT(layer_mismatches, 0u);
  EXPECT_NE(wrong.logits, golden);
}

TEST(DnnRtl, CliJsonKeysAndMlpOnA2x3Array) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  const auto r = gm::test::run_cli("dnn rtl --array 2x3 --mul 'mitchell:s=1' --model mlp --images 20 --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"spec", "array", "images", "accuracy", "mismatches", "cycles", "cycles_model", "acc_depth",
                          "layer_mismatches", "layers", "mul_model"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["array"], "2x3");
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["cycles"], j["cycles_model"]);
  EXPECT_EQ(j["layer_mismatches"], 0);
  EXPECT_EQ(j["acc_depth"], 5);
  ASSERT_EQ(j["layers"].size(), 3u);  // the MLP's three fc layers
  for (const auto& l : j["layers"]) EXPECT_EQ(l["mismatches"], 0);
  EXPECT_EQ(j["mul_model"], "gates");  // the default
}

TEST(DnnRtl, RejectsUnsignedMultiplier) {
  const auto r = gm::test::run_cli("dnn rtl --array 2x2 --mul 'exact:s=0' --images 20");
  gm::test::expect_one_line_error(r, "");
}

// --mul-rtl: a multiplier file with one gate mutated (Yosys `mutate`, tb/mutate.hpp) must show up in
// RTL inference. Gate-level PEs simulate it: logit mismatches against the golden inference (the
// model is the oracle), exit 1. Lookup-table PEs must refuse to stand in for it: the exhaustive
// verification catches it, exit 1. The unmutated generated file passes both ways, so the test can
// tell a caught mutant from a run that always fails.
TEST(DnnRtlMulRtl, MutatedGateIsALogitMismatchWithGatesAndAFailedVerificationWithLut) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  if (!gm::test::tools_present({"verilator", "yosys"})) GTEST_SKIP() << "verilator or yosys missing";
  const gm::Spec spec = gm::parse_spec("drum:k=4,s=1");
  const auto mutants = gm::single_gate_mutants(spec, 12, 1);
  ASSERT_FALSE(mutants.empty());
  // The mutant that differs from the model on the most operand pairs (verified independently of
  // the array), so that 20 images certainly exercise it. verify_rtl needs distinct module names.
  std::vector<gm::RtlDesign> designs;
  for (size_t i = 0; i < mutants.size(); ++i) {
    std::string text = mutants[i];
    const std::string name = "gm_dnn_mutant_" + std::to_string(i);
    text.replace(text.find("module " + spec.name()), 7 + spec.name().size(), "module " + name);
    designs.push_back({spec, name, text});
  }
  const auto verdicts = gm::verify_rtl(designs, gm::VerifyOptions{});
  size_t worst = 0;
  for (size_t i = 0; i < verdicts.size(); ++i)
    if (verdicts[i].mismatches > verdicts[worst].mismatches) worst = i;
  ASSERT_GT(verdicts[worst].mismatches, 1000u) << "no mutant changes enough products";

  const auto dir = gm::test::temp_dir("gm-dnn-mul-rtl");
  gm::write_file_atomic(dir / "mutant.v", mutants[worst]);
  gm::write_file_atomic(dir / "reference.v", gm::rtl::generate_verilog(spec));
  const std::string base = "dnn rtl --array 4x4 --mul drum:k=4,s=1 --images 20 --json --mul-rtl ";

  const auto ref = gm::test::run_cli(base + (dir / "reference.v").string() + " --mul-model gates");
  ASSERT_EQ(ref.rc, 0) << ref.err;
  const auto rj = nlohmann::json::parse(ref.out);
  EXPECT_EQ(rj["mul_model"], "gates");
  EXPECT_EQ(rj["mismatches"], 0);

  const auto gates = gm::test::run_cli(base + (dir / "mutant.v").string() + " --mul-model gates");
  EXPECT_EQ(gates.rc, 1) << gates.err;
  const auto gj = nlohmann::json::parse(gates.out);
  EXPECT_EQ(gj["mul_model"], "gates");
  EXPECT_GT(gj["mismatches"].get<int>(), 0);
  EXPECT_NE(gates.err.find("logits differ from the golden inference"), std::string::npos) << gates.err;

  // --quiet: the failed check is the only stderr line (no progress line).
  const auto lut = gm::test::run_cli(base + (dir / "mutant.v").string() + " --mul-model lut --quiet");
  EXPECT_EQ(lut.rc, 1) << lut.err;
  EXPECT_EQ(gm::test::count_lines(lut.err), 1) << lut.err;
  EXPECT_NE(lut.err.find("differs from the model"), std::string::npos) << lut.err;
  EXPECT_EQ(nlohmann::json::parse(lut.out)["mul_model"], "lut");

  const auto lut_ref = gm::test::run_cli(base + (dir / "reference.v").string() + " --mul-model lut");
  EXPECT_EQ(lut_ref.rc, 0) << lut_ref.err;
  EXPECT_EQ(nlohmann::json::parse(lut_ref.out)["mul_verified_pairs"], 65536);
}

// A --mul-rtl file that does not define the spec's module with its ports is bad input: one line, exit 2.
TEST(DnnRtlMulRtl, FileWithoutTheModuleOrItsPortsIsOneLineError) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "Fashion-MNIST not installed";
  if (!gm::test::tools_present({"verilator"})) GTEST_SKIP() << "verilator missing";
  const auto dir = gm::test::temp_dir("gm-dnn-mul-rtl-bad");
  const std::string good = gm::rtl::generate_verilog(gm::parse_spec("drum:k=4,s=1"));
  std::string renamed = good, narrow = good;
  renamed.replace(renamed.find("module gm_drum_s8_k4"), 20, "module gm_other_name");
  narrow.replace(narrow.find("output wire [15:0] y_o"), 22, "output wire [14:0] y_o");
  narrow.replace(narrow.find("assign y_o[15] ="), 16, "wire gm_unused_y15 =");
  gm::write_file_atomic(dir / "renamed.v", renamed);
  gm::write_file_atomic(dir / "narrow.v", narrow);
  const std::string base = "dnn rtl --array 2x2 --mul drum:k=4,s=1 --images 20 --mul-rtl ";
  gm::test::expect_one_line_error(gm::test::run_cli(base + (dir / "renamed.v").string()), "must define module gm_drum_s8_k4");
  gm::test::expect_one_line_error(gm::test::run_cli(base + (dir / "narrow.v").string()), "y_o");
  gm::test::expect_one_line_error(gm::test::run_cli(base + (dir / "missing.v").string()), "missing.v");
  gm::test::expect_one_line_error(gm::test::run_cli("dnn rtl --array 2x2 --mul drum:k=4,s=1 --mul-model table"),
                                  "--mul-model");
}
