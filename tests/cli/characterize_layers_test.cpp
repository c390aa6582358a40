// characterize SPEC... --dnn --mul-layer LAYER=SPEC... / --mul-map FILE: one more row, the network
// with a multiplier per conv/fc layer, beside the designs' rows (docs/dnn.md, "Accuracy against
// energy"). Its whole inferences on the array: tests/cli/characterize_array_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "models/files.hpp"
#include "models/spec.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

// The objects of report.json's designs by name.
std::map<std::string, nlohmann::json> designs_by_name(const fs::path& dir) {
  const auto j = nlohmann::json::parse(read_file(dir / "report.json"));
  std::map<std::string, nlohmann::json> by;
  for (const auto& d : j["designs"]) by[d["name"].get<std::string>()] = d;
  return by;
}

// The configuration's object (the one with "configuration": true); null when there is none.
nlohmann::json configuration_of(const std::map<std::string, nlohmann::json>& by) {
  nlohmann::json found;
  for (const auto& [name, d] : by)
    if (d.value("configuration", false)) {
      EXPECT_TRUE(found.is_null()) << "two configuration rows";
      found = d;
    }
  return found;
}

// Every way to get the per-layer options wrong: one line, exit 2, no report directory, before any
// synthesis (none of these runs long enough to synthesize anything).
TEST(CharacterizeLayers, BadPerLayerInputIsOneLineExitTwoAndWritesNothing) {
  const fs::path dir = test::temp_dir("gm-test-char-layers-bad");
  write_file_atomic(dir / "dup.map", "conv2 drum:k=4,s=1\nconv2 exact:s=1\n");
  const std::string out = " -o " + (dir / "rep").string();
  const std::string design = "characterize 'trunc:t=6,s=1' ";
  const std::pair<std::string, std::string> cases[] = {
      {design + "--dnn --mul-layer conv9=drum:k=4,s=1", "conv9"},             // a layer the CNN does not have
      {design + "--dnn --mul-layer conv2=nosuchfamily:s=1", "nosuchfamily"},  // a bad spec
      {design + "--dnn --mul-layer conv2=drum:k=4", "s=1"},                   // unsigned: the DNN needs signed
      {design + "--dnn --mul-layer conv2", "LAYER=SPEC"},                     // no '='
      {design + "--mul-layer conv2=drum:k=4,s=1", "--mul-layer and --mul-map need --dnn"},
      {design + "--mul-map " + (dir / "dup.map").string(), "--mul-layer and --mul-map need --dnn"},
      {design + "--dnn --mul-map " + (dir / "missing.map").string(), "missing.map"},
      {design + "--dnn --mul-map " + (dir / "dup.map").string(), "conv2"},      // a layer given twice
      {design + "--dnn --model mlp --mul-layer conv1=drum:k=4,s=1", "conv1"},  // the MLP has fc layers only
      // A narrow multiplier on the first layer, whose input is the 8-bit pixel (operand_fit.hpp).
      {design + "--dnn --mul-layer conv1=exact:w=6,s=1", "conv1"},
      {"characterize --array 1x1 --mul 'exact:s=1' --mul-layer conv2=drum:k=4,s=1", "--mul-layer"},
  };
  for (const auto& [args, fragment] : cases) {
    SCOPED_TRACE(args);
    const auto r = test::run_cli(args + out);
    test::expect_one_line_error(r, fragment);
    EXPECT_EQ(r.rc, 2);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(dir / "rep"));
  }
  fs::remove_all(dir);
}

TEST(CharacterizeLayers, HelpNamesTheOptions) {
  const auto r = test::run_cli("characterize --help");
  ASSERT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("--mul-layer"), std::string::npos);
  EXPECT_NE(r.out.find("per-layer"), std::string::npos);  // --mul-map's meaning with --dnn
}

// The configuration row's accuracy and agreement are dnn eval's for the same configuration on the
// same images (two paths: characterize's batch and dnn eval's own run), and the designs' rows keep
// theirs; the per-multiplier figures of the configuration are null, and every report shows it.
TEST(CharacterizeLayers, ConfigurationRowHasDnnEvalsAccuracyAndNoPerMultiplierFigures) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-test-char-layers");
  // One layer by option, one by the map file (read first), fc1 exact.
  write_file_atomic(dir / "layers.map", "# the conv1 choice\nconv1 trunc:t=6,comp=1,s=1\n");
  const std::string layers = "--mul-map " + (dir / "layers.map").string() + " --mul-layer conv2=drum:k=4,s=1";
  const auto r = test::run_cli("characterize 'drum:k=4,s=1' --dnn --images 200 " + layers + " -o " +
                               (dir / "rep").string());
  ASSERT_EQ(r.rc, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("and the per-layer configuration gm_layers_"), std::string::npos) << r.out;

  const auto e = test::run_cli("dnn eval --images 200 --json " + layers);
  ASSERT_EQ(e.rc, 0) << e.err;
  const auto eval = nlohmann::json::parse(e.out);
  const nlohmann::json& want = eval.back();  // dnn eval's configuration row is last
  ASSERT_TRUE(want.contains("layers"));

  const auto by = designs_by_name(dir / "rep");
  ASSERT_EQ(by.size(), 4u);  // drum, exact and yosys baselines, the configuration
  const nlohmann::json c = configuration_of(by);
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(c["spec"], want["spec"]);
  EXPECT_EQ(c["name"].get<std::string>().rfind("gm_layers_", 0), 0u);
  EXPECT_EQ(c["layers"], want["layers"]);
  EXPECT_EQ(c["layers"]["conv1"], parse_spec("trunc:t=6,comp=1,s=1").canonical());
  EXPECT_EQ(c["layers"]["conv2"], parse_spec("drum:k=4,s=1").canonical());
  EXPECT_EQ(c["layers"]["fc1"], parse_spec("exact:s=1").canonical());
  EXPECT_DOUBLE_EQ(c["dnn"]["accuracy"].get<double>(), want["accuracy"].get<double>());
  EXPECT_DOUBLE_EQ(c["dnn"]["agreement_with_exact"].get<double>(), want["agreement_with_exact"].get<double>());
  EXPECT_FALSE(c["reference"].get<bool>());
  for (const char* key : {"metrics", "synth", "vs_exact", "vs_yosys", "pareto"}) EXPECT_TRUE(c[key].is_null()) << key;
  EXPECT_TRUE(c["dnn"]["energy_per_inference_nj"].is_null());
  EXPECT_FALSE(c.contains("energy_nj"));  // no --array: no whole inferences
  // The designs' rows: dnn eval's accuracy and agreement of the same multiplier on the same images.
  for (const auto& row : eval) {
    if (row.contains("layers")) continue;
    const std::string name = parse_spec(row["spec"].get<std::string>()).name();
    ASSERT_TRUE(by.count(name)) << name;
    EXPECT_DOUBLE_EQ(by.at(name)["dnn"]["accuracy"].get<double>(), row["accuracy"].get<double>()) << name;
    EXPECT_DOUBLE_EQ(by.at(name)["dnn"]["agreement_with_exact"].get<double>(), row["agreement_with_exact"].get<double>())
        << name;
    EXPECT_TRUE(by.at(name)["metrics"].is_object()) << name;
  }

  // results.csv: the configuration's line has its canonical text and name, and empty cells after.
  const std::string csv = read_file(dir / "rep" / "results.csv");
  const std::string line_start = "\"" + c["spec"].get<std::string>() + "\"," + c["name"].get<std::string>() + ",0,";
  const size_t at = csv.find(line_start);
  ASSERT_NE(at, std::string::npos) << csv;
  const std::string line = csv.substr(at + line_start.size(), csv.find('\n', at) - at - line_start.size());
  EXPECT_EQ(line.find_first_not_of(','), std::string::npos) << line;  // nothing invented
  const size_t header_commas = std::count(csv.begin(), csv.begin() + csv.find('\n'), ',');
  const std::string full = csv.substr(at, csv.find('\n', at) - at);
  const std::string spec_text = c["spec"];
  const size_t quoted_commas = std::count(spec_text.begin(), spec_text.end(), ',');
  EXPECT_EQ(static_cast<size_t>(std::count(full.begin(), full.end(), ',')) - quoted_commas, header_commas);

  // report.md: the row in the main table and in the DNN table, and its layers.
  const std::string md = read_file(dir / "rep" / "report.md");
  EXPECT_NE(md.find("`" + c["name"].get<std::string>() + "` (per-layer configuration) | per-layer configuration: see its "
                    "layers"),
            std::string::npos);
  EXPECT_NE(md.find("## Per-layer configuration `" + c["name"].get<std::string>() + "`"), std::string::npos);
  EXPECT_NE(md.find("| conv2 | `" + parse_spec("drum:k=4,s=1").canonical() + "` |"), std::string::npos);
  // Every table row of report.md has as many cells as its header.
  size_t header_cells = 0;
  std::istringstream lines(md);
  for (std::string l; std::getline(lines, l);) {
    if (l.rfind("|", 0) != 0) {
      header_cells = 0;
      continue;
    }
    const size_t cells = std::count(l.begin(), l.end(), '|');
    if (header_cells == 0) header_cells = cells;
    else EXPECT_EQ(cells, header_cells) << l;
  }
  fs::remove_all(dir);
}

// A configuration that gives every layer X is X's network: its row's accuracy and agreement equal
// X's own row's.
TEST(CharacterizeLayers, EveryLayerOneMultiplierHasThatMultipliersAccuracy) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-test-char-layers-same");
  const std::string x = "trunc:t=6,s=1";
  const auto r = test::run_cli("characterize '" + x + "' --dnn --images 200 --mul-layer 'default=" + x + "' -o " +
                               dir.string());
  ASSERT_EQ(r.rc, 0) << r.out << r.err;
  const auto by = designs_by_name(dir);
  const nlohmann::json c = configuration_of(by);
  ASSERT_TRUE(c.is_object());
  const std::string name = parse_spec(x).name();
  ASSERT_TRUE(by.count(name));
  EXPECT_DOUBLE_EQ(c["dnn"]["accuracy"].get<double>(), by.at(name)["dnn"]["accuracy"].get<double>());
  EXPECT_DOUBLE_EQ(c["dnn"]["agreement_with_exact"].get<double>(), by.at(name)["dnn"]["agreement_with_exact"].get<double>());
  // Truncating six columns costs some images here, so the equality is not exact's 100 % agreement.
  EXPECT_LT(c["dnn"]["agreement_with_exact"].get<double>(), 1.0);
  for (const auto& [layer, spec] : c["layers"].items()) EXPECT_EQ(spec, parse_spec(x).canonical()) << layer;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gm
