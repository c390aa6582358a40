// Model files are checked completely before any inference (issue 8, item 2): each broken model below
// is the shipped cnn.json or mlp.json with one thing changed, and every command that loads a model
// must refuse it with exit 2 and one line naming the layer (index and kind) and the field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <sstream>

#include "models/dnn/network.hpp"
#include "models/dnn/idx.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/tools.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

json shipped(const std::string& name) {
  std::ifstream f(fs::path(GM_SOURCE_DIR) / "models" / "dnn" / "weights" / (name + ".json"));
  return json::parse(f);
}

// One private directory per test process (the cleanup removes it; write_model creates it again).
const fs::path& model_dir() {
  static const fs::path dir = gm::test::temp_dir("gm-model-test");
  return dir;
}

// Removes the test's model files when the test ends.
struct ModelDirCleanup {
  ~ModelDirCleanup() { fs::remove_all(model_dir()); }
};

fs::path write_model(const std::string& file, const std::string& text) {
  const fs::path dir = model_dir();
  fs::create_directories(dir);
  const fs::path p = dir / file;
  std::ofstream(p) << text;
  return p;
}

// The cnn with a 2-channel input: a well-formed file (the first conv takes 2 channels, each filter's
// weights given twice) that does not fit the 1-channel images.
json two_channel_cnn() {
  json j = shipped("cnn");
  j["input"]["shape"] = {2, 28, 28};
  json& l0 = j["layers"][0];
  l0["in"] = {2, 28, 28};
  json w = json::array();
  for (int f = 0; f < 16; ++f)
    for (int ch = 0; ch < 2; ++ch)
      for (int t = 0; t < 9; ++t) w.push_back(l0["weights"][f * 9 + t]);
  l0["weights"] = w;
  return j;
}

// The last fc layer of the mlp cut to `classes` outputs (weights, bias, m0, shift cut to match).
json mlp_with_classes(int classes) {
  json j = shipped("mlp");
  json& l = j["layers"][2];
  l["out"] = {classes, 1, 1};
  auto cut = [&](const char* f, size_t n) {
    json a = json::array();
    for (size_t i = 0; i < n; ++i) a.push_back(l[f][i]);
    l[f] = a;
  };
  cut("weights", 64 * classes);
  for (const char* f : {"bias", "m0", "shift"}) cut(f, classes);
  j["reference_logits"] = json::array();
  return j;
}

struct BrokenModel {
  std::string what;
  std::function<json()> make;
  std::string fragment;  // expected in the one error line
};

std::vector<BrokenModel> broken_models() {
  auto edit = [](const std::string& base, std::function<void(json&)> f) {
    return [=] {
      json j = shipped(base);
      f(j);
      return j;
    };
  };
  return {
      {"kernel as a string", edit("cnn", [](json& j) { j["layers"][0]["kernel"] = "3"; }), "layer 0 (conv): 'kernel' must be an integer"},
      {"negative kernel", edit("cnn", [](json& j) { j["layers"][0]["kernel"] = -1; }), "layer 0 (conv): 'kernel' must be in"},
      {"pool output off by one", edit("cnn", [](json& j) { j["layers"][1]["out"] = {16, 13, 13}; }), "layer 1 (maxpool): 'out'"},
      {"pool size 0", edit("cnn", [](json& j) { j["layers"][1]["size"] = 0; }), "layer 1 (maxpool): 'size'"},
      {"shape chain broken", edit("cnn", [](json& j) { j["layers"][2]["in"] = {16, 28, 28}; }), "layer 2 (conv): 'in'"},
      {"weight outside int8", edit("cnn", [](json& j) { j["layers"][2]["weights"][5] = 200; }), "layer 2 (conv): 'weights[5]'"},
      {"a weight missing", edit("cnn", [](json& j) { j["layers"][4]["weights"].erase(0); }), "layer 4 (fc): 'weights' must have 11520 entries"},
      {"a weight as text", edit("cnn", [](json& j) { j["layers"][4]["weights"][7] = "1"; }), "layer 4 (fc): 'weights[7]' must be an integer"},
      {"bias count", edit("cnn", [](json& j) { j["layers"][0]["bias"].push_back(1); }), "layer 0 (conv): 'bias' must have 16 entries"},
      {"bias beyond int32", edit("cnn", [](json& j) { j["layers"][0]["bias"][0] = 2147483648LL; }), "layer 0 (conv): 'bias[0]'"},
      {"shift 0", edit("cnn", [](json& j) { j["layers"][2]["shift"][3] = 0; }), "layer 2 (conv): 'shift[3]' must be in 1..62"},
      {"shift 63", edit("cnn", [](json& j) { j["layers"][4]["shift"][0] = 63; }), "layer 4 (fc): 'shift[0]' must be in 1..62"},
      {"negative m0", edit("cnn", [](json& j) { j["layers"][0]["m0"][1] = -5; }), "layer 0 (conv): 'm0[1]'"},
      {"fractional m0", edit("cnn", [](json& j) { j["layers"][0]["m0"][0] = 1.5; }), "layer 0 (conv): 'm0[0]' must be an integer"},
      {"hidden output beyond int8", edit("cnn", [](json& j) { j["layers"][0]["out_max"] = 255; }), "layer 0 (conv): 'out_max'"},
      {"out_min above out_max", edit("cnn", [](json& j) { j["layers"][4]["out_min"] = 40000; }), "layer 4 (fc): 'out_max'"},
      {"unknown layer kind", edit("cnn", [](json& j) { j["layers"][1]["type"] = "avgpool"; }), "layer 1: 'type' is 'avgpool'"},
      {"relu missing", edit("cnn", [](json& j) { j["layers"][2].erase("relu"); }), "layer 2 (conv): 'relu' is missing"},
      {"last layer not fc", edit("cnn", [](json& j) { j["layers"].erase(4); }), "layer 3 (maxpool): 'type' must be fc"},
      {"huge fc output", edit("mlp", [](json& j) { j["layers"][0]["out"] = {100000000, 1, 1}; }), "layer 0 (fc): 'out[0]'"},
      {"huge input", edit("mlp", [](json& j) { j["input"]["shape"] = {1, 4096, 4096}; }), "'input.shape' is too large"},
      {"input shape as text", edit("mlp", [](json& j) { j["input"]["shape"] = "1x28x28"; }), "'input.shape' must be an array"},
      {"no layers", edit("mlp", [](json& j) { j["layers"] = json::array(); }), "'layers' must be a non-empty array"},
      {"reference logits of the wrong length", edit("mlp", [](json& j) { j["reference_logits"][0].erase(0); }), "'reference_logits[0]'"},
  };
}

TEST(DnnModelFile, ShippedModelsPassTheCheck) {
  for (const std::string name : {"cnn", "mlp"}) {
    const gm::dnn::Network net = gm::dnn::parse_network(shipped(name).dump(), name);
    EXPECT_NO_THROW(net.validate(name));
    EXPECT_NO_THROW(gm::dnn::check_fits_data(net, 1, 28, 28, {0, 9, 3}));
  }
}

TEST(DnnModelFile, EveryBrokenModelIsRefusedNamingLayerAndField) {
  for (const auto& m : broken_models()) {
    SCOPED_TRACE(m.what);
    try {
      gm::dnn::parse_network(m.make().dump(), "x.json");
      ADD_FAILURE() << "accepted";
    } catch (const gm::DataError& e) {
      EXPECT_NE(std::string(e.what()).find(m.fragment), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
}

TEST(DnnModelFile, NotJsonIsOneLine) {
  ModelDirCleanup cleanup;
  std::string text = shipped("mlp").dump();
  text.resize(text.size() / 2);
  const fs::path p = write_model("cut.json", text);
  expect_one_line_error(run_cli("dnn eval --images 5 --model '" + p.string() + "'"), "is malformed: not valid JSON");
}

// Through the CLI, every broken model: exit 2, one line, nothing on stdout, from each entry that loads
// a model. The model is checked before the data is read, so these need no data set.
TEST(DnnModelFile, CliRefusesEveryBrokenModel) {
  ModelDirCleanup cleanup;
  int i = 0;
  for (const auto& m : broken_models()) {
    SCOPED_TRACE(m.what);
    const fs::path p = write_model("broken" + std::to_string(i++) + ".json", m.make().dump());
    expect_one_line_error(run_cli("dnn eval --images 10 --model '" + p.string() + "'"), m.fragment);
  }
  const BrokenModel one = broken_models().front();
  const fs::path p = write_model("broken-kernel.json", one.make().dump());
  expect_one_line_error(run_cli("dnn rtl --images 2 --model '" + p.string() + "'"), one.fragment);
  const fs::path out = gm::test::temp_dir("gm-model-test-char") / "out";
  expect_one_line_error(run_cli("characterize exact:s=1 --dnn --images 2 -o '" + out.string() + "' --model '" + p.string() + "'"),
                        one.fragment);
  EXPECT_FALSE(fs::exists(out / "report.md"));
  fs::remove_all(out);
}

// The case: a 2-channel input used to crash (10000 images) or read past the image buffer (100).
TEST(DnnModelFile, TwoChannelModelDoesNotFitTheData) {
  ModelDirCleanup cleanup;
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const fs::path p = write_model("twoch.json", two_channel_cnn().dump());
  EXPECT_NO_THROW(gm::dnn::load_network(p));  // well formed: it is the data it does not fit
  for (const char* images : {"10000", "100"}) {
    SCOPED_TRACE(images);
    expect_one_line_error(run_cli(std::string("dnn eval --images ") + images + " --model '" + p.string() + "'"),
                          "'input.shape' is [2, 28, 28] but the test images are [1, 28, 28]");
  }
  expect_one_line_error(run_cli("dnn rtl --images 2 --model '" + p.string() + "'"), "'input.shape' is [2, 28, 28]");
}

TEST(DnnModelFile, TooFewClassesForTheLabels) {
  ModelDirCleanup cleanup;
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const fs::path p = write_model("five.json", mlp_with_classes(5).dump());
  EXPECT_NO_THROW(gm::dnn::load_network(p));
  expect_one_line_error(run_cli("dnn eval --images 100 --model '" + p.string() + "'"),
                        "layer 2 (fc): 'out' gives 5 classes but the test labels go up to 9");
}

}  // namespace
