// characterize --dnn --array RxC: whole inferences of each design on the array, energy per inference
// with compute (measured on the netlist) and storage (table estimate) apart, per layer (issue 11).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "generator/array/array.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/dnn/network.hpp"
#include "models/energy/layer_stats.hpp"
#include "models/files.hpp"
#include "models/spec.hpp"
#include "tb/array_runner.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/seeded_network.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

// Two fc layers (784 -> 3 -> 10, seeded weights): a whole inference on a 1x1 array is a few
// thousand cycles, and there are two layers to sum.
dnn::Network two_layer_network() {
  dnn::Network net;
  net.name = "two-fc";
  net.source = "characterize_array_test";
  uint32_t seed = 4242;
  net.layers.push_back(test::seeded_fc_layer(1, 28, 28, 3, -128, 127, dnn::kInputScale, 1.0 / 1024, seed));
  net.layers.push_back(test::seeded_fc_layer(3, 1, 1, 10, -32768, 32767, net.layers[0].out_scale, 1.0 / 1024, seed));
  return net;
}

const char* kDesign = "trunc:t=6,s=1";

TEST(CharacterizeArray, WholeInferencesGiveComputeAndStoragePerLayerThatSumToTheTotals) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-test-char-array");
  const dnn::Network net = two_layer_network();
  write_file_atomic(dir / "two.json", dnn::network_to_json(net));
  const auto r = test::run_cli(std::string("characterize '") + kDesign + "' --dnn --model " + (dir / "two.json").string() +
                               " --images 6 --array 1x1 --sim-images 3 --json -o " + (dir / "rep").string());
  ASSERT_EQ(r.rc, 0) << r.out << r.err;
  const auto out = nlohmann::json::parse(r.out.substr(r.out.find('[')));
  std::map<std::string, nlohmann::json> by;
  for (const auto& d : out) by[d["spec"]] = d;
  const Spec spec = parse_spec(kDesign);
  ASSERT_TRUE(by.count(spec.canonical()));
  const nlohmann::json& d = by[spec.canonical()];
  for (const char* key : {"spec", "accuracy", "energy_nj", "energy_compute_nj", "energy_storage_nj", "energy_ci_nj",
                          "images_simulated", "cycles_per_inference", "clock_ns", "slack_ns", "glitch_share",
                          "per_layer", "methods"})
    EXPECT_TRUE(d.contains(key)) << key;
  EXPECT_EQ(d["images_simulated"], 3);  // --sim-images, within --images
  const double compute = d["energy_compute_nj"], storage = d["energy_storage_nj"];
  EXPECT_GT(compute, 0);
  EXPECT_GT(storage, 0);
  EXPECT_NEAR(d["energy_nj"].get<double>(), compute + storage, 1e-9 * (compute + storage));
  EXPECT_GE(d["energy_ci_nj"].get<double>(), 0);
  // The default activity is glitch-aware (timed window), so the glitch share is a measured fraction.
  ASSERT_TRUE(d["glitch_share"].is_number()) << d.dump();
  EXPECT_GT(d["glitch_share"].get<double>(), 0.0);
  EXPECT_LT(d["glitch_share"].get<double>(), 1.0);
  // Every figure names its method.
  EXPECT_EQ(d["methods"]["energy_compute_nj"].get<std::string>().rfind("measured", 0), 0u);
  EXPECT_EQ(d["methods"]["energy_storage_nj"].get<std::string>().rfind("table estimate", 0), 0u);
  ASSERT_EQ(d["per_layer"].size(), 2u);
  double sum_c = 0, sum_s = 0, cycles = 0;
  for (const auto& l : d["per_layer"]) {
    for (const char* key : {"layer", "macs", "cycles", "utilization", "zero_activation_share", "zero_weight_share",
                            "energy_compute_nj", "energy_storage_nj"})
      EXPECT_TRUE(l.contains(key)) << key;
    sum_c += l["energy_compute_nj"].get<double>();
    sum_s += l["energy_storage_nj"].get<double>();
    cycles += l["cycles"].get<double>();
  }
  EXPECT_NEAR(sum_c, compute, 1e-9 * compute);
  EXPECT_NEAR(sum_s, storage, 1e-9 * storage);
  EXPECT_NEAR(cycles, d["cycles_per_inference"].get<double>(), 1e-9 * cycles);
  EXPECT_EQ(d["per_layer"][0]["macs"], 784 * 3);
  EXPECT_EQ(d["per_layer"][1]["macs"], 3 * 10);

  // The storage is layer_stats' on the same three images, the same 1x1 array (output stage,
  // 32-bit accumulators) and the default table: the parts outside the array, per image.
  const ArrayConfig cfg = make_array_config(1, 1, spec, "", 32, false, 0, true);
  const ImageSet set = load_dnn_test_set("", 3, net);
  const energy::StorageReport st = energy::layer_stats(net, set.pixels.data(), 3, shared_product_table(spec),
                                                       array_timing(cfg), energy::default_mem_energy_table(), 1, 32);
  ASSERT_EQ(st.layers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const double want = st.layers[i].int8.outside_array() / 3 * 1e-3;
    EXPECT_NEAR(d["per_layer"][i]["energy_storage_nj"].get<double>(), want, 1e-9 * want) << i;
    EXPECT_NEAR(d["per_layer"][i]["cycles"].get<double>(), st.layers[i].cycles / 3.0, 1e-9) << i;
    EXPECT_NEAR(d["per_layer"][i]["energy_storage_fp32_nj"].get<double>(), st.layers[i].fp32.outside_array() / 3 * 1e-3,
                1e-9 * want * 4) << i;
  }
  // The exact baseline runs too (the reference of the ranking); the behavioural yosys one does not.
  EXPECT_TRUE(by[parse_spec("exact:s=1").canonical()].contains("energy_nj"));
  EXPECT_FALSE(by[parse_spec("yosys:s=1").canonical()].contains("energy_nj"));
  const std::string md = read_file(dir / "rep" / "report.md");
  EXPECT_NE(md.find("## Whole inferences on the 1x1 array"), std::string::npos);
  EXPECT_NE(md.find("storage nJ (table)"), std::string::npos);
  EXPECT_NE(md.find("compute nJ (measured)"), std::string::npos);
  EXPECT_GT(fs::file_size(dir / "rep" / "energy_per_inference.png"), 100u);
  fs::remove_all(dir);
}

// A replaced table changes the storage only: twice the default table's costs, twice the storage.
TEST(CharacterizeArray, MemEnergyFileScalesTheStorage) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-test-char-array-mem");
  write_file_atomic(dir / "two.json", dnn::network_to_json(two_layer_network()));
  const energy::MemEnergyTable t = energy::default_mem_energy_table();
  auto cost = [](const energy::MemCost& m) {
    return nlohmann::json{{"read_pj", 2 * m.read_pj}, {"write_pj", 2 * m.write_pj}, {"access_bits", m.access_bits}};
  };
  nlohmann::json buffers = {{"weight", cost(t.weight)}, {"activation", cost(t.activation)},
                             {"accumulator", cost(t.accumulator)}, {"output", cost(t.output)}};
  if (t.has_dram) buffers["dram"] = cost(t.dram);
  const nlohmann::json table = {{"name", "twice"}, {"node", "180 nm"}, {"source", "test"}, {"buffers", buffers},
                                {"compute", {{"int8_mac_pj", t.int8_mac_pj}, {"fp32_mac_pj", t.fp32_mac_pj}}}};
  write_file_atomic(dir / "twice.json", table.dump());
  std::map<std::string, double> storage;
  for (const std::string& mem : {std::string(), " --mem-energy " + (dir / "twice.json").string()}) {
    const auto r = test::run_cli(std::string("characterize 'exact:s=1' --dnn --model ") + (dir / "two.json").string() +
                                 " --images 2 --array 1x1 --json -o " + (dir / "rep").string() + mem);
    ASSERT_EQ(r.rc, 0) << r.out << r.err;
    const auto out = nlohmann::json::parse(r.out.substr(r.out.find('[')));
    for (const auto& d : out)
      if (d["spec"] == parse_spec("exact:s=1").canonical()) storage[mem] = d["energy_storage_nj"];
  }
  ASSERT_EQ(storage.size(), 2u);
  EXPECT_NEAR(storage.rbegin()->second, 2 * storage.begin()->second, 1e-9 * storage.begin()->second);
  fs::remove_all(dir);
}

TEST(CharacterizeArrayErrors, BadInputIsOneLineBeforeAnyWork) {
  const fs::path dir = test::temp_dir("gm-test-char-array-bad");
  write_file_atomic(dir / "bad.json", "{\"weight\": 3}");
  auto r = test::run_cli("characterize 'trunc:t=6,s=1' --array 2x2 -o " + (dir / "rep").string());
  test::expect_one_line_error(r, "--array needs --dnn");
  r = test::run_cli("characterize 'trunc:t=6,s=1' --dnn --array 2x2 --mem-energy " + (dir / "bad.json").string() +
                    " -o " + (dir / "rep").string());
  test::expect_one_line_error(r, "bad.json");
  r = test::run_cli("characterize 'trunc:t=6,s=1' --dnn --array 2x2 --mem-energy " + (dir / "missing.json").string() +
                    " -o " + (dir / "rep").string());
  test::expect_one_line_error(r, "missing.json");
  r = test::run_cli("characterize 'trunc:t=6,s=1' --dnn --mem-energy " + (dir / "bad.json").string() + " -o " +
                    (dir / "rep").string());
  test::expect_one_line_error(r, "--mem-energy needs --dnn --array");
  r = test::run_cli("characterize 'trunc:t=6,s=1' --dnn --sim-images 4 -o " + (dir / "rep").string());
  test::expect_one_line_error(r, "--sim-images needs --dnn --array");
  r = test::run_cli("characterize 'trunc:t=6,s=1' --dnn --array 2x0 -o " + (dir / "rep").string());
  test::expect_one_line_error(r, "");
  EXPECT_FALSE(fs::exists(dir / "rep" / "report.md"));
  fs::remove_all(dir);
}

// -j designs at a time (the array work of each design on its own worker, each simulation on one
// thread) gives what one design at a time (each simulation on every core) gives, in the designs'
// order: the rows do not depend on the workers or on which finishes first.
TEST(CharacterizeArray, DesignsInParallelGiveTheSameFiguresInTheSameOrder) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-test-char-array-jobs");
  write_file_atomic(dir / "two.json", dnn::network_to_json(two_layer_network()));
  std::vector<nlohmann::json> runs;
  for (const char* jobs : {"1", "2"}) {
    const auto r = test::run_cli(std::string("characterize 'drum:k=4,s=1' '") + kDesign + "' --dnn --model " +
                                 (dir / "two.json").string() + " --images 4 --array 1x1 --sim-images 2 --json -j " +
                                 jobs + " -o " + (dir / "rep").string());
    ASSERT_EQ(r.rc, 0) << r.out << r.err;
    runs.push_back(nlohmann::json::parse(r.out.substr(r.out.find('['))));
  }
  ASSERT_EQ(runs[0].size(), runs[1].size());
  int with_energy = 0;
  for (size_t i = 0; i < runs[0].size(); ++i) {
    const nlohmann::json &a = runs[0][i], &b = runs[1][i];
    EXPECT_EQ(a["spec"], b["spec"]) << i;
    if (!a.contains("energy_nj")) continue;
    ++with_energy;
    for (const char* key : {"energy_nj", "energy_compute_nj", "energy_storage_nj", "energy_ci_nj", "glitch_share",
                            "slack_ns", "cycles_per_inference", "energy_per_image_nj"})
      EXPECT_EQ(a[key], b[key]) << a["spec"] << " " << key;
    ASSERT_EQ(a["per_layer"].size(), b["per_layer"].size());
    for (size_t l = 0; l < a["per_layer"].size(); ++l)
      EXPECT_EQ(a["per_layer"][l]["energy_compute_nj"], b["per_layer"][l]["energy_compute_nj"]) << a["spec"] << " " << l;
  }
  EXPECT_EQ(with_energy, 3);  // the two designs and the exact baseline
  fs::remove_all(dir);
}

// A per-layer configuration's row on the array (--mul-layer): whole inferences with each layer on an
// array of its own multiplier. Every layer on X is X's own row, figure for figure; a mix gives what
// `infer-energy --mul-layer` gives for it (two paths), its layers named by their multipliers, and
// its ratio to the exact baseline's energy.
TEST(CharacterizeArray, PerLayerConfigurationRowIsMeasuredLikeInferEnergyPerLayer) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-test-char-array-layers");
  const std::string model = (dir / "two.json").string();
  write_file_atomic(model, dnn::network_to_json(two_layer_network()));
  const Spec trunc = parse_spec(kDesign), exact = parse_spec("exact:s=1");
  auto characterize = [&](const std::string& layers) {
    const auto r = test::run_cli(std::string("characterize '") + kDesign + "' --dnn --model " + model +
                                 " --images 4 --array 1x1 --sim-images 2 --json -o " + (dir / "rep").string() + " " +
                                 layers);
    EXPECT_EQ(r.rc, 0) << r.out << r.err;
    std::map<std::string, nlohmann::json> by;
    for (const auto& d : nlohmann::json::parse(r.out.substr(r.out.find('[')))) by[d["spec"]] = d;
    return by;
  };
  auto configuration = [](const std::map<std::string, nlohmann::json>& by) {
    for (const auto& [spec, d] : by)
      if (d.value("configuration", false)) return d;
    return nlohmann::json();
  };

  // Every layer on trunc: the configuration's figures are the trunc row's.
  {
    const auto by = characterize(std::string("--mul-layer 'default=") + kDesign + "'");
    const nlohmann::json c = configuration(by);
    ASSERT_TRUE(c.is_object());
    const nlohmann::json& t = by.at(trunc.canonical());
    const nlohmann::json& x = by.at(exact.canonical());
    for (const char* key : {"energy_nj", "energy_compute_nj", "energy_storage_nj", "cycles_per_inference"})
      EXPECT_NEAR(c[key].get<double>(), t[key].get<double>(), 1e-9 * t[key].get<double>()) << key;
    EXPECT_EQ(c["accuracy"], t["accuracy"]);
    ASSERT_EQ(c["per_layer"].size(), 2u);
    for (const auto& l : c["per_layer"]) EXPECT_EQ(l["spec"], trunc.canonical());
    // The ratio to the exact baseline's energy per inference, for the design and the configuration.
    const double exact_nj = x["energy_nj"];
    EXPECT_NEAR(c["energy_vs_exact"].get<double>(), c["energy_nj"].get<double>() / exact_nj, 1e-12);
    EXPECT_NEAR(t["energy_vs_exact"].get<double>(), t["energy_nj"].get<double>() / exact_nj, 1e-12);
    EXPECT_NEAR(x["energy_vs_exact"].get<double>(), 1.0, 1e-12);
  }

  // fc1 on trunc, fc2 exact: infer-energy --mul-layer's compute, on the same two images.
  write_file_atomic(dir / "mix.map", std::string("fc1 ") + kDesign + "\n");
  const auto by = characterize("--mul-map " + (dir / "mix.map").string());
  const nlohmann::json c = configuration(by);
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(c["layers"]["fc1"], trunc.canonical());
  EXPECT_EQ(c["layers"]["fc2"], exact.canonical());
  const auto ie = test::run_cli("infer-energy --array 1x1 --images 2 --model " + model + " --mul-layer fc1=" + kDesign +
                                " --json");
  ASSERT_EQ(ie.rc, 0) << ie.err;
  const auto want = nlohmann::json::parse(ie.out.substr(ie.out.find('{')));
  EXPECT_EQ(c["spec"], want["spec"]);
  EXPECT_NEAR(c["energy_compute_nj"].get<double>(), want["energy_nj"].get<double>(), 1e-9 * want["energy_nj"].get<double>());
  EXPECT_EQ(c["energy_per_image_nj"].size(), 2u);
  ASSERT_EQ(c["per_layer"].size(), 2u);
  EXPECT_EQ(c["per_layer"][0]["spec"], trunc.canonical());
  EXPECT_EQ(c["per_layer"][1]["spec"], exact.canonical());
  double sum = 0;
  for (const auto& l : c["per_layer"]) sum += l["energy_compute_nj"].get<double>();
  EXPECT_NEAR(sum, c["energy_compute_nj"].get<double>(), 1e-9 * sum);
  EXPECT_NEAR(c["energy_nj"].get<double>(), c["energy_compute_nj"].get<double>() + c["energy_storage_nj"].get<double>(),
              1e-9 * c["energy_nj"].get<double>());
  // The storage counts the schedule's accesses, which do not depend on the multipliers.
  EXPECT_NEAR(c["energy_storage_nj"].get<double>(), by.at(trunc.canonical())["energy_storage_nj"].get<double>(),
              1e-9 * c["energy_storage_nj"].get<double>());
  const std::string md = read_file(dir / "rep" / "report.md");
  EXPECT_NE(md.find("| `" + c["name"].get<std::string>() + "` (per-layer configuration) |"), std::string::npos);
  EXPECT_NE(md.find(" on `" + trunc.canonical() + "` | "), std::string::npos);  // its per-layer table
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gm
