// Per-layer multipliers in the golden path: stable layer names, the LayerMultipliers parser and its
// errors, the LayerGemm engine against an independent layer-by-layer composition, the validation
// split, and the sensitivity worker against dnn_eval of the same single-layer configurations.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include "models/dnn/evaluate.hpp"
#include "models/dnn/idx.hpp"
#include "models/dnn/layer_gemm.hpp"
#include "models/dnn/layer_multipliers.hpp"
#include "models/dnn/layer_names.hpp"
#include "models/dnn/sensitivity.hpp"
#include "models/errors.hpp"
#include "models/product_table.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

using dnn::LayerMultipliers;

fs::path model_path(const std::string& name) {
  return fs::path(GM_SOURCE_DIR) / "models" / "dnn" / "weights" / (name + ".json");
}

// The message of the exception `f` throws, "" when it throws none; `E` must be what it throws.
template <class E>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

void expect_error_mentions(const std::string& msg, const std::vector<std::string>& fragments) {
  ASSERT_FALSE(msg.empty()) << "no error";
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
  for (const auto& f : fragments) EXPECT_NE(msg.find(f), std::string::npos) << "wanted '" << f << "' in: " << msg;
}

std::string canon(const std::string& spec) { return parse_spec(spec).canonical(); }

// Deterministic pseudo-random pixels (no data set needed): n images of 28x28.
std::vector<uint8_t> seeded_pixels(size_t n, uint32_t seed) {
  std::vector<uint8_t> px(n * 28 * 28);
  for (auto& p : px) p = static_cast<uint8_t>((seed = seed * 1103515245u + 12345u) >> 24);
  return px;
}

// ---- names ------------------------------------------------------------------------------------------

TEST(DnnLayers, ShippedNetworksAreNamedByKindAndOrdinal) {
  // docs/dnn.md: cnn = conv, maxpool, conv, maxpool, fc; mlp = fc, fc, fc.
  const dnn::Network cnn = dnn::load_network(model_path("cnn"));
  ASSERT_EQ(cnn.layers.size(), 5u);
  const std::vector<std::string> want = {"conv1", "pool1", "conv2", "pool2", "fc1"};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(dnn::layer_name(cnn, i), want[i]);
  EXPECT_THROW(dnn::layer_name(cnn, 5), std::out_of_range);
  const auto g = dnn::gemm_layers(cnn);
  ASSERT_EQ(g.size(), 3u);
  // By hand from the shapes: conv 1->16 3x3 on 28x28 outputs, conv 16->32 3x3 on 12x12, fc 1152->10.
  const int64_t macs[3] = {28 * 28 * 9 * 16, 12 * 12 * 144 * 32, 1152 * 10};
  const int64_t k[3] = {9, 144, 1152}, n[3] = {16, 32, 10};
  const size_t index[3] = {0, 2, 4};
  double share = 0;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(g[i].index, index[i]);
    EXPECT_EQ(g[i].k, k[i]) << g[i].name;
    EXPECT_EQ(g[i].n, n[i]) << g[i].name;
    EXPECT_EQ(g[i].macs_per_image, macs[i]) << g[i].name;
    EXPECT_DOUBLE_EQ(g[i].mac_share, static_cast<double>(macs[i]) / (macs[0] + macs[1] + macs[2]));
    EXPECT_EQ(g[i].description, cnn.layers[index[i]].describe());
    share += g[i].mac_share;
  }
  EXPECT_NEAR(share, 1.0, 1e-12);
  EXPECT_EQ(dnn::gemm_layer_name_list(cnn), "conv1, conv2, fc1");
  EXPECT_EQ(dnn::gemm_layer_name_list(dnn::load_network(model_path("mlp"))), "fc1, fc2, fc3");
}

TEST(DnnLayers, OrdinalsCountEachKindSeparately) {
  dnn::Network net;
  for (auto kind : {dnn::LayerKind::kFc, dnn::LayerKind::kConv, dnn::LayerKind::kMaxPool, dnn::LayerKind::kFc,
                    dnn::LayerKind::kConv}) {
    dnn::Layer l;
    l.kind = kind;
    net.layers.push_back(l);
  }
  const std::vector<std::string> want = {"fc1", "conv1", "pool1", "fc2", "conv2"};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(dnn::layer_name(net, i), want[i]);
}

// ---- parsing -----------------------------------------------------------------------------------------

TEST(DnnLayers, OptionSplitsAtTheFirstEqualsSign) {
  const dnn::Network cnn = dnn::load_network(model_path("cnn"));
  LayerMultipliers lm;
  EXPECT_TRUE(lm.empty());
  dnn::add_mul_layer_option(lm, "conv2=drum:k=4,s=1");
  dnn::add_mul_layer_option(lm, "fc1=trunc:t=6,comp=1,s=1");
  EXPECT_FALSE(lm.empty());
  ASSERT_EQ(lm.overrides().size(), 2u);
  EXPECT_EQ(lm.overrides()[0].layer, "conv2");
  EXPECT_EQ(lm.spec_of("conv2").canonical(), canon("drum:k=4,s=1"));
  EXPECT_EQ(lm.spec_of("fc1").canonical(), canon("trunc:t=6,comp=1,s=1"));
  EXPECT_EQ(lm.spec_of("conv1").canonical(), canon("exact:s=1"));  // the default
  // Canonical: every conv/fc layer in network order, the default filled in.
  EXPECT_EQ(lm.canonical(cnn), "conv1=" + canon("exact:s=1") + ";conv2=" + canon("drum:k=4,s=1") + ";fc1=" +
                                   canon("trunc:t=6,comp=1,s=1"));
  const auto r = lm.resolve(cnn);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].index, 2u);
  EXPECT_EQ(r[1].name, "conv2");
}

TEST(DnnLayers, SameAssignmentSameCanonicalTextHoweverWritten) {
  const dnn::Network cnn = dnn::load_network(model_path("cnn"));
  LayerMultipliers a, b, c;
  dnn::add_mul_layer_option(a, "default=drum:k=4,s=1");
  dnn::add_mul_layer_option(a, "fc1=exact:s=1");
  dnn::add_mul_map_text(b, "# a map\nconv1 drum:k=4,s=1   # first\n\n  conv2\tdrum:s=1,k=4\nfc1 exact:s=1\n", "m.txt");
  dnn::add_mul_layer_option(c, "fc1=drum:k=4,s=1");
  EXPECT_EQ(a.canonical(cnn), b.canonical(cnn));
  EXPECT_EQ(a.name(cnn), b.name(cnn));
  EXPECT_NE(a.canonical(cnn), c.canonical(cnn));
  EXPECT_NE(a.name(cnn), c.name(cnn));
  EXPECT_EQ(a.name(cnn).rfind("gm_layers_", 0), 0u);
}

// One array per distinct spec in the hardware paths: two spellings of one spec are one spec, in the
// order of the first layer that uses it.
TEST(DnnLayers, DistinctSpecsAreCanonicalAndInFirstUseOrder) {
  const dnn::Network cnn = dnn::load_network(model_path("cnn"));
  LayerMultipliers a;
  dnn::add_mul_layer_option(a, "conv1=drum:k=4,s=1");
  dnn::add_mul_layer_option(a, "fc1=drum:s=1,k=4");
  const std::vector<Spec> specs = dnn::distinct_specs(a.resolve(cnn));  // conv2 keeps exact:s=1
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].canonical(), parse_spec("drum:k=4,s=1").canonical());
  EXPECT_EQ(specs[1].canonical(), parse_spec("exact:s=1").canonical());
  EXPECT_EQ(dnn::distinct_specs(LayerMultipliers().resolve(cnn)).size(), 1u);
}

TEST(DnnLayers, BadAssignmentsAreOneLineErrorsThatSayHowToFix) {
  const dnn::Network cnn = dnn::load_network(model_path("cnn"));
  LayerMultipliers lm;
  for (const std::string bad : {"conv1", "=drum:k=4,s=1", "conv1="})
    expect_error_mentions(error_of<UserError>([&] { dnn::add_mul_layer_option(lm, bad); }), {"LAYER=SPEC", bad});
  // Unsigned, too narrow or too wide, and a malformed spec: SpecError naming the layer.
  for (const std::string bad : {"conv1=drum:k=4", "conv1=exact:s=1,w=3", "conv1=exact:s=1,w=9"})
    expect_error_mentions(error_of<SpecError>([&] { dnn::add_mul_layer_option(lm, bad); }),
                          {"layer conv1", "signed multiplier of 4 to 8 bits"});
  expect_error_mentions(error_of<SpecError>([&] { dnn::add_mul_layer_option(lm, "conv1=nosuch:s=1"); }),
                        {"layer conv1", "nosuch"});
  EXPECT_TRUE(lm.empty()) << "a refused assignment leaves nothing behind";
  // A layer given twice, across an option and a map file.
  dnn::add_mul_map_text(lm, "conv1 drum:k=4,s=1\n", "m.txt");
  expect_error_mentions(error_of<UserError>([&] { dnn::add_mul_layer_option(lm, "conv1=drum:k=5,s=1"); }),
                        {"layer conv1", "twice", "m.txt:1", "--mul-layer"});
  dnn::add_mul_layer_option(lm, "default=drum:k=6,s=1");
  expect_error_mentions(error_of<UserError>([&] { dnn::add_mul_map_text(lm, "\n\ndefault exact:s=1", "n.txt"); }),
                        {"default", "twice", "n.txt:3"});
  // A name the network does not have: found when checked against it, with the valid names.
  dnn::add_mul_layer_option(lm, "conv3=drum:k=4,s=1");
  for (const auto& f : std::vector<std::function<void()>>{[&] { lm.check(cnn); }, [&] { (void)lm.resolve(cnn); },
                                                           [&] { (void)lm.canonical(cnn); }})
    expect_error_mentions(error_of<UserError>(f), {"'conv3'", "conv1, conv2, fc1", "--list-layers"});
  LayerMultipliers pool;
  dnn::add_mul_layer_option(pool, "pool1=drum:k=4,s=1");  // pooling multiplies nothing
  expect_error_mentions(error_of<UserError>([&] { pool.check(cnn); }), {"'pool1'", "conv1, conv2, fc1"});
}

TEST(DnnLayers, MalformedOrMissingMapFilesAreOneLineErrors) {
  LayerMultipliers lm;
  expect_error_mentions(error_of<UserError>([&] { dnn::add_mul_map_text(lm, "conv1 drum:k=4,s=1\nfc1\n", "m.txt"); }),
                        {"m.txt:2", "LAYER SPEC"});
  expect_error_mentions(
      error_of<UserError>([&] { dnn::add_mul_map_text(lm, "conv1 = drum:k=4,s=1\n", "m.txt"); }), {"m.txt:1", "LAYER SPEC"});
  expect_error_mentions(error_of<SpecError>([&] { dnn::add_mul_map_text(lm, "# x\nconv2 drum:k=99,s=1\n", "m.txt"); }),
                        {"m.txt:2", "layer conv2"});
  const fs::path dir = test::temp_dir("gm-layer-map");
  expect_error_mentions(error_of<UserError>([&] { dnn::add_mul_map_file(lm, (dir / "none.txt").string()); }),
                        {"none.txt", "LAYER SPEC"});
  expect_error_mentions(error_of<UserError>([&] { dnn::add_mul_map_file(lm, dir.string()); }), {dir.string()});
  std::ofstream(dir / "ok.txt") << "conv2 drum:k=4,s=1\n";
  const LayerMultipliers from = dnn::layer_multipliers_from_options({"fc1=mitchell:s=1"}, (dir / "ok.txt").string());
  EXPECT_EQ(from.spec_of("conv2").canonical(), canon("drum:k=4,s=1"));
  EXPECT_EQ(from.spec_of("fc1").canonical(), canon("mitchell:s=1"));
  fs::remove_all(dir);
}

// ---- the engine ----------------------------------------------------------------------------------------

// The reference: run_layer layer by layer, each conv/fc layer with a TableGemm of its own spec.
std::vector<int32_t> compose(const dnn::Network& net, const std::vector<uint8_t>& px, size_t images,
                             const std::vector<std::string>& spec_of_layer) {
  std::vector<int32_t> act(px.size());
  for (size_t i = 0; i < px.size(); ++i) act[i] = dnn::quantize_pixel(px[i]);
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const ProductTable table(parse_spec(spec_of_layer[i].empty() ? "exact:s=1" : spec_of_layer[i]));
    dnn::TableGemm engine(table, 1);
    act = dnn::run_layer(net.layers[i], act, images, engine);
  }
  return act;
}

TEST(DnnLayers, LayerGemmEqualsLayerByLayerCompositionWithEachLayersTable) {
  const dnn::Network cnn = dnn::load_network(model_path("cnn"));
  const size_t images = 9;
  const auto px = seeded_pixels(images, 7);
  LayerMultipliers lm;
  dnn::add_mul_layer_option(lm, "conv1=trunc:t=8,s=1");
  dnn::add_mul_layer_option(lm, "fc1=drum:k=3,s=1");
  dnn::add_mul_layer_option(lm, "default=mitchell:s=1");
  dnn::LayerGemm engine(cnn, lm, 2);
  EXPECT_EQ(engine.distinct_specs(), 3u);
  EXPECT_EQ(engine.spec_of_layer(2).canonical(), canon("mitchell:s=1"));
  EXPECT_THROW((void)engine.spec_of_layer(1), std::out_of_range);  // pool1
  const auto out = dnn::run_network(cnn, px.data(), images, engine, 4);  // batches of 4, 4, 1
  const auto ref = compose(cnn, px, images, {"trunc:t=8,s=1", "", "mitchell:s=1", "", "drum:k=3,s=1"});
  EXPECT_EQ(out, ref);
  EXPECT_EQ(engine.macs(), images * static_cast<uint64_t>(cnn.macs_per_image()));
  // The dispatch matters: the uniform networks of each of its multipliers compute something else.
  for (const std::string s : {"trunc:t=8,s=1", "mitchell:s=1", "drum:k=3,s=1"}) {
    const ProductTable t(parse_spec(s));
    dnn::TableGemm uniform(t, 1);
    EXPECT_NE(dnn::run_network(cnn, px.data(), images, uniform, 4), out) << s;
  }
  // A GEMM on weights of no layer of the network is refused, not run with some table.
  std::vector<int8_t> w(4, 1), x(4, 1);
  std::vector<int32_t> y(4);
  EXPECT_THROW(engine.gemm(x.data(), 1, 4, w.data(), 1, y.data()), std::logic_error);
}

TEST(DnnLayers, EveryLayerXIsExactlyX) {
  for (const std::string model : {"cnn", "mlp"}) {
    const dnn::Network net = dnn::load_network(model_path(model));
    const auto px = seeded_pixels(6, 11);
    for (const std::string s : {"drum:k=4,s=1", "etm:l=2,s=1"}) {
      LayerMultipliers by_default(parse_spec(s)), by_name;
      for (const auto& g : dnn::gemm_layers(net)) dnn::add_mul_layer_option(by_name, g.name + "=" + s);
      const ProductTable t(parse_spec(s));
      dnn::TableGemm uniform(t, 1);
      const auto want = dnn::run_network(net, px.data(), 6, uniform, 5);
      dnn::LayerGemm a(net, by_default, 1), b(net, by_name, 1);
      EXPECT_EQ(dnn::run_network(net, px.data(), 6, a, 5), want) << model << " " << s;
      EXPECT_EQ(dnn::run_network(net, px.data(), 6, b, 5), want) << model << " " << s;
      EXPECT_EQ(by_default.canonical(net), by_name.canonical(net));
    }
  }
}

// ---- dnn_eval's per-layer row and the data splits ------------------------------------------------------

TEST(DnnLayers, EvalRowEqualsTheIndependentCompositionOnTestImages) {
  if (!test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  DnnEvalOptions opt;
  opt.images = 300;
  opt.specs = {parse_spec("trunc:t=6,s=1")};
  LayerMultipliers lm;
  dnn::add_mul_layer_option(lm, "conv2=trunc:t=6,s=1");
  opt.layers = lm;
  const DnnEvalReport rep = dnn_eval(opt);
  ASSERT_EQ(rep.rows.size(), 3u);  // exact, trunc, the per-layer row last
  const DnnEvalRow& row = rep.rows[2];
  const dnn::Network cnn = dnn::load_network(model_path("cnn"));
  EXPECT_EQ(row.spec, lm.canonical(cnn));
  EXPECT_EQ(row.name, lm.name(cnn));
  ASSERT_EQ(row.layers.size(), 3u);
  EXPECT_EQ(row.layers[1], std::make_pair(std::string("conv2"), canon("trunc:t=6,s=1")));
  EXPECT_EQ(row.layers[0], std::make_pair(std::string("conv1"), canon("exact:s=1")));
  const ImageSet test = load_fashion_mnist(fashion_mnist_dir(), "t10k", 300);
  const auto ref = compose(cnn, test.pixels, test.count(), {"", "", "trunc:t=6,s=1", "", ""});
  EXPECT_DOUBLE_EQ(row.accuracy, dnn::accuracy(ref, 10, test.labels.data(), test.count()));
  EXPECT_EQ(row.macs, 300 * static_cast<uint64_t>(cnn.macs_per_image()));
}

TEST(DnnLayers, ValidationSplitIsTheLastTenThousandTrainingImages) {
  if (!test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const dnn::Network mlp = dnn::load_network(model_path("mlp"));
  const ImageSet val = load_dnn_images("", DnnSplit::kVal, 0, mlp);
  ASSERT_EQ(val.count(), 10000u);
  // Independently: the raw training IDX arrays, from image 50,000 on.
  const fs::path dir = fashion_mnist_dir();
  auto file = [&](const std::string& stem) { return fs::exists(dir / (stem + ".gz")) ? dir / (stem + ".gz") : dir / stem; };
  const IdxArray images = read_idx(file("train-images-idx3-ubyte"), 3);
  const IdxArray labels = read_idx(file("train-labels-idx1-ubyte"), 1);
  ASSERT_EQ(images.count(), 60000u);
  for (size_t i : {size_t{0}, size_t{1}, size_t{4321}, size_t{9999}}) {
    EXPECT_EQ(val.labels[i], labels.data[50000 + i]) << i;
    for (size_t p = 0; p < 784; p += 37) ASSERT_EQ(val.image(i)[p], images.data[(50000 + i) * 784 + p]) << i << " " << p;
  }
  const ImageSet first = load_dnn_images("", DnnSplit::kVal, 25, mlp);
  ASSERT_EQ(first.count(), 25u);
  EXPECT_TRUE(std::equal(first.pixels.begin(), first.pixels.end(), val.pixels.begin()));
  const ImageSet test = load_dnn_images("", DnnSplit::kTest, 25, mlp);
  EXPECT_NE(test.pixels, first.pixels);
  EXPECT_EQ(parse_dnn_split("val"), DnnSplit::kVal);
  EXPECT_EQ(parse_dnn_split("test"), DnnSplit::kTest);
  expect_error_mentions(error_of<UserError>([] { (void)parse_dnn_split("train"); }), {"'train'", "test", "val"});
  DnnEvalOptions opt;
  opt.model = "mlp";
  opt.images = 40;
  opt.split = DnnSplit::kVal;
  EXPECT_EQ(dnn_eval(opt).split, "val");
}

// Training, fine-tuning and calibration read only the images before the validation split, and the
// shipped models say they were trained on them alone.
TEST(DnnLayers, TrainingSplitStopsWhereTheValidationSplitBegins) {
  if (!test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const dnn::Network mlp = dnn::load_network(model_path("mlp"));
  const ImageSet all = load_dnn_images("", DnnSplit::kTrain, 0, mlp);
  ASSERT_EQ(all.count(), 50000u);
  EXPECT_EQ(load_dnn_images("", DnnSplit::kTrain, 60000, mlp).count(), 50000u) << "never into the validation split";
  const ImageSet val = load_dnn_images("", DnnSplit::kVal, 1, mlp);
  const fs::path dir = fashion_mnist_dir();
  auto file = [&](const std::string& stem) { return fs::exists(dir / (stem + ".gz")) ? dir / (stem + ".gz") : dir / stem; };
  const IdxArray images = read_idx(file("train-images-idx3-ubyte"), 3);
  EXPECT_TRUE(std::equal(all.pixels.end() - 784, all.pixels.end(), images.data.begin() + 49999 * 784)) << "image 49,999 last";
  EXPECT_TRUE(std::equal(val.pixels.begin(), val.pixels.end(), images.data.begin() + 50000 * 784)) << "image 50,000 is val";
  for (const char* m : {"cnn", "mlp"})
    EXPECT_NE(dnn::load_network(model_path(m)).training.find(" 50000 training images"), std::string::npos) << m;
}

// ---- sensitivity ---------------------------------------------------------------------------------------

TEST(DnnLayers, SensitivityEqualsEvalOfTheSingleLayerConfigurations) {
  if (!test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  for (const std::string model : {"cnn", "mlp"}) {
    DnnSensitivityOptions so;
    so.model = model;
    so.images = 150;
    so.batch = 60;  // several batches: the shared exact prefix is per batch
    so.specs = {parse_spec("exact:s=1"), parse_spec("trunc:t=6,s=1")};
    const DnnSensitivityReport rep = dnn_sensitivity(so);
    ASSERT_EQ(rep.rows.size(), 2u);
    ASSERT_EQ(rep.layers.size(), 3u);
    EXPECT_EQ(rep.split, "test");
    // The exact multiplier: every sensitivity is the exact accuracy.
    for (double a : rep.rows[0].only_layer) EXPECT_DOUBLE_EQ(a, rep.exact_accuracy) << model;
    EXPECT_DOUBLE_EQ(rep.rows[0].all_layers, rep.exact_accuracy) << model;
    // Each layer alone, and all layers, through dnn_eval's own engines.
    DnnEvalOptions eo;
    eo.model = model;
    eo.images = 150;
    eo.specs = {parse_spec("trunc:t=6,s=1")};
    for (size_t g = 0; g < rep.layers.size(); ++g) {
      LayerMultipliers lm;
      dnn::add_mul_layer_option(lm, rep.layers[g].name + "=trunc:t=6,s=1");
      eo.layers = lm;
      const DnnEvalReport ev = dnn_eval(eo);
      EXPECT_DOUBLE_EQ(ev.rows[0].accuracy, rep.exact_accuracy) << model;
      EXPECT_DOUBLE_EQ(ev.rows[1].accuracy, rep.rows[1].all_layers) << model;
      EXPECT_DOUBLE_EQ(ev.rows[2].accuracy, rep.rows[1].only_layer[g]) << model << " " << rep.layers[g].name;
    }
  }
}

TEST(DnnLayers, AMultiplierThatBreaksZeroTimesZeroMovesEveryLayer) {
  if (!test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const Spec broken = parse_spec("bam:h=1,v=0,s=1");
  ASSERT_NE(ProductTable(broken).value(0, 0), 0) << "the test needs M(0,0) != 0";
  DnnSensitivityOptions so;
  so.model = "mlp";  // every layer of it multiplies many zeros (pixels and ReLU outputs)
  so.images = 200;
  so.specs = {broken};
  const DnnSensitivityReport rep = dnn_sensitivity(so);
  for (size_t g = 0; g < rep.layers.size(); ++g)
    EXPECT_NE(rep.rows[0].only_layer[g], rep.exact_accuracy) << rep.layers[g].name;
}

// The lever: approximating only the least sensitive layer costs less accuracy than approximating
// every layer (trunc:t=6 loses points in the CNN; its least sensitive layer is cheap to approximate).
TEST(DnnLayers, OnlyTheLeastSensitiveLayerLosesLessThanAllLayers) {
  if (!test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  DnnSensitivityOptions so;
  so.images = 500;
  so.specs = {parse_spec("trunc:t=6,s=1")};
  const DnnSensitivityReport rep = dnn_sensitivity(so);
  const auto& row = rep.rows[0];
  const double best = *std::max_element(row.only_layer.begin(), row.only_layer.end());
  EXPECT_LT(rep.exact_accuracy - best, rep.exact_accuracy - row.all_layers);
  EXPECT_GT(rep.exact_accuracy - row.all_layers, 0.01) << "all layers truncated should cost clearly";
}

TEST(DnnLayers, SensitivityRefusesBadInputBeforeWork) {
  DnnSensitivityOptions so;
  expect_error_mentions(error_of<UserError>([&] { (void)dnn_sensitivity(so); }), {"--mul"});
  so.specs = {parse_spec("drum:k=4")};
  expect_error_mentions(error_of<SpecError>([&] { (void)dnn_sensitivity(so); }), {"signed multiplier of 4 to 8 bits"});
}

}  // namespace
}  // namespace gm
