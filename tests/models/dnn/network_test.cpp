// The golden quantized DNN: IDX reader, requantization arithmetic, golden inference against an
// independent reference, accuracy trends, CLI errors. Needs no libtorch: the shipped model files
// carry the float network's logits for the first test images.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "tests/support/cli_util.hpp"
#include "models/dnn/network.hpp"
#include "models/dnn/idx.hpp"
#include "models/metrics.hpp"
#include "models/product_table.hpp"
#include "models/spec.hpp"
#include "tests/support/tools.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
// In gm::dnn rather than `using namespace` at file scope: in a unity group (GM_UNITY), a
// using-directive would reach the test files compiled after this one.
namespace gm::dnn {

using gm::test::run_cli;

namespace {

const fs::path kData = "/usr/share/datasets/fashion-mnist";  // the default data directory
using gm::test::temp_dir;

fs::path model_path(const std::string& name) { return fs::path(GM_SOURCE_DIR) / "models" / "dnn" / "weights" / (name + ".json"); }

std::vector<uint8_t> idx_bytes(uint8_t type, const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> b = {0, 0, type, static_cast<uint8_t>(dims.size())};
  for (uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(d >> s));
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

void write_plain(const fs::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_gz(const fs::path& p, const std::vector<uint8_t>& bytes) {
  gzFile g = gzopen(p.c_str(), "wb");
  ASSERT_NE(g, nullptr);
  gzwrite(g, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(g);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}


// A straightforward reference of the quantized network, written from docs/quantization.md without
// im2col and without the GEMM: direct convolution loops, exact products, 64-bit sums wrapped to 32
// bits at the end, rounding by floor division.
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::vector<int64_t> reference_forward(const Network& net, const uint8_t* px) {
  std::vector<int64_t> act(net.in_h * net.in_w);
  for (size_t i = 0; i < act.size(); ++i) act[i] = std::lround(std::floor(127.0 * px[i] / 255.0 + 0.5));
  for (const Layer& l : net.layers) {
    std::vector<int64_t> out(l.out_c * l.out_h * l.out_w);
    auto in_at = [&](int c, int y, int x) -> int64_t {
      if (y < 0 || y >= l.in_h || x < 0 || x >= l.in_w) return 0;
      return act[(c * l.in_h + y) * l.in_w + x];
    };
    for (int o = 0; o < l.out_c; ++o)
      for (int y = 0; y < l.out_h; ++y)
        for (int x = 0; x < l.out_w; ++x) {
          int64_t v = 0;
          if (l.kind == LayerKind::kMaxPool) {
            v = INT64_MIN;
            for (int dy = 0; dy < l.pool; ++dy)
              for (int dx = 0; dx < l.pool; ++dx) v = std::max(v, in_at(o, y * l.pool + dy, x * l.pool + dx));
          } else {
            int64_t sum = 0;
            if (l.kind == LayerKind::kConv) {
              for (int c = 0; c < l.in_c; ++c)
                for (int ky = 0; ky < l.kernel; ++ky)
                  for (int kx = 0; kx < l.kernel; ++kx)
                    sum += in_at(c, y + ky - l.pad, x + kx - l.pad) * l.weights[((c * l.kernel + ky) * l.kernel + kx) * l.out_c + o];
            } else {
              for (int64_t t = 0; t < l.k(); ++t) sum += act[t] * l.weights[t * l.out_c + o];
            }
            sum += l.bias[o];
            const int64_t acc = static_cast<int32_t>(static_cast<uint32_t>(sum));  // wrap to int32
            const __int128 scaled = static_cast<__int128>(acc) * l.requant[o].m0;
            const int64_t q = static_cast<int64_t>(floor_div(static_cast<int64_t>(2 * scaled + (int64_t{1} << l.requant[o].shift)),
                                                             int64_t{2} << l.requant[o].shift));
            v = std::clamp<int64_t>(q, l.out_min, l.out_max);
          }
          out[(o * l.out_h + y) * l.out_w + x] = v;
        }
    act = out;
  }
  return act;
}

}  // namespace

// ---- IDX ----------------------------------------------------------------------------------------

TEST(DnnIdx, ReadsPlainAndGzippedFilesAlike) {
  const fs::path d = temp_dir("gm-dnn-idx");
  const std::vector<uint8_t> pixels = {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};
  const auto bytes = idx_bytes(0x08, {2, 2, 3}, pixels);
  write_plain(d / "a.idx", bytes);
  write_gz(d / "a.idx.gz", bytes);
  for (const auto& p : {d / "a.idx", d / "a.idx.gz"}) {
    const IdxArray arr = read_idx(p, 3);
    EXPECT_EQ(arr.dims, (std::vector<uint32_t>{2, 2, 3})) << p;
    EXPECT_EQ(arr.data, pixels) << p;
    EXPECT_EQ(arr.item_size(), 6u);
  }
  fs::remove_all(d);
}

TEST(DnnIdx, MalformedFilesGiveOneLineErrors) {
  const fs::path d = temp_dir("gm-dnn-idxbad");
  write_plain(d / "magic.idx", idx_bytes(0x0d, {2}, {1, 2}));  // 0x0d = float, not unsigned byte
  EXPECT_NE(error_of([&] { read_idx(d / "magic.idx"); }).find("bad magic number 0x00000d01"), std::string::npos);
  write_plain(d / "short.idx", idx_bytes(0x08, {10, 2, 2}, std::vector<uint8_t>(39, 7)));  // one byte short
  EXPECT_NE(error_of([&] { read_idx(d / "short.idx"); }).find("truncated"), std::string::npos);
  write_plain(d / "tiny.idx", {0, 0});
  EXPECT_NE(error_of([&] { read_idx(d / "tiny.idx"); }).find("too short"), std::string::npos);
  write_plain(d / "dims.idx", idx_bytes(0x08, {4}, {1, 2, 3, 4}));
  EXPECT_NE(error_of([&] { read_idx(d / "dims.idx", 3); }).find("dimensions"), std::string::npos);
  // A gzip stream cut in half.
  write_gz(d / "cut.gz", idx_bytes(0x08, {1000}, std::vector<uint8_t>(1000, 3)));
  const auto full = fs::file_size(d / "cut.gz");
  fs::resize_file(d / "cut.gz", full / 2);
  EXPECT_NE(error_of([&] { read_idx(d / "cut.gz"); }).find("gzip"), std::string::npos);
  EXPECT_NE(error_of([&] { read_idx(d / "missing.idx"); }).find("does not exist"), std::string::npos);
  for (const auto& msg : {error_of([&] { read_idx(d / "magic.idx"); }), error_of([&] { read_idx(d / "short.idx"); })})
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  fs::remove_all(d);
}

TEST(DnnIdx, DataSetChecksCountsAndDirectory) {
  const fs::path d = temp_dir("gm-dnn-set");
  write_gz(d / "t10k-images-idx3-ubyte.gz", idx_bytes(0x08, {3, 2, 2}, std::vector<uint8_t>(12, 9)));
  write_plain(d / "t10k-labels-idx1-ubyte", idx_bytes(0x08, {3}, {0, 9, 4}));  // plain file found without .gz
  const ImageSet s = load_fashion_mnist(d, "t10k");
  EXPECT_EQ(s.count(), 3u);
  EXPECT_EQ(s.rows, 2);
  EXPECT_EQ(s.labels[1], 9);
  EXPECT_EQ(load_fashion_mnist(d, "t10k", 2).count(), 2u);
  write_plain(d / "t10k-labels-idx1-ubyte", idx_bytes(0x08, {2}, {0, 9}));
  EXPECT_NE(error_of([&] { load_fashion_mnist(d, "t10k"); }).find("3 images but 2 labels"), std::string::npos);
  EXPECT_NE(error_of([&] { load_fashion_mnist(d / "nope", "t10k"); }).find("does not exist"), std::string::npos);
  EXPECT_NE(error_of([&] { load_fashion_mnist(d, "train"); }).find("train-images"), std::string::npos);
  fs::remove_all(d);
}

TEST(DnnIdx, DataDirectoryOverride) {
  EXPECT_EQ(fashion_mnist_dir("/x/y"), fs::path("/x/y"));
  setenv("GREENMAC_FASHION_MNIST", "/from/env", 1);
  EXPECT_EQ(fashion_mnist_dir(), fs::path("/from/env"));
  unsetenv("GREENMAC_FASHION_MNIST");
  EXPECT_EQ(fashion_mnist_dir(), kData);
}

// ---- arithmetic ----------------------------------------------------------------------------------

TEST(DnnQuant, RequantizationHandComputed) {
  // 0.75 = 0.75 * 2^0: m0 = 0.75 * 2^31, shift 31.
  const Requant q = make_requant(0.75);
  EXPECT_EQ(q.m0, 1610612736);
  EXPECT_EQ(q.shift, 31);
  EXPECT_EQ(requantize(100, q), 75);
  EXPECT_EQ(requantize(2, q), 2);     // 1.5 rounds half up
  EXPECT_EQ(requantize(-2, q), -1);   // -1.5 rounds half up, towards +inf
  EXPECT_EQ(requantize(-3, q), -2);   // -2.25
  EXPECT_EQ(requantize(-5, q), -4);   // -3.75
  // 0.25 = 0.5 * 2^-1: m0 = 2^30, shift 32.
  const Requant h = make_requant(0.25);
  EXPECT_EQ(h.m0, 1 << 30);
  EXPECT_EQ(h.shift, 32);
  EXPECT_EQ(requantize(6, h), 2);    // 1.5
  EXPECT_EQ(requantize(-6, h), -1);  // -1.5
  EXPECT_EQ(requantize(INT32_MAX, h), 536870912);  // 2^29 - 0.25 -> 2^29
  EXPECT_EQ(requantize(INT32_MIN, h), -536870912);
  // Saturation folds the ReLU in.
  EXPECT_EQ(saturate(requantize(1000, q), 0, 127), 127);
  EXPECT_EQ(saturate(requantize(-1000, q), 0, 127), 0);
  EXPECT_EQ(saturate(requantize(-1000, q), -128, 127), -128);
  // A tiny multiplier caps the shift at 62.
  const Requant t = make_requant(1e-12);
  EXPECT_EQ(t.shift, 62);
  EXPECT_EQ(t.m0, std::llround(1e-12 * std::ldexp(1.0, 62)));
  // m0 never reaches 2^31: f just below 1 rounds up to 2^31 and renormalises.
  const Requant r = make_requant(std::nextafter(1.0, 0.0));
  EXPECT_EQ(r.m0, 1 << 30);
  EXPECT_EQ(r.shift, 30);
  EXPECT_EQ(add_wrap(INT32_MAX, 1), INT32_MIN);
}

TEST(DnnQuant, InputAndWeightMapping) {
  EXPECT_EQ(quantize_pixel(0), 0);
  EXPECT_EQ(quantize_pixel(255), 127);
  EXPECT_EQ(quantize_pixel(1), 0);     // 0.498
  EXPECT_EQ(quantize_pixel(2), 1);     // 0.996
  EXPECT_EQ(quantize_pixel(128), 64);  // 63.75
  for (int p = 0; p < 256; ++p) EXPECT_EQ(quantize_pixel(p), static_cast<int>(std::floor(127.0 * p / 255.0 + 0.5))) << p;
  EXPECT_EQ(quantize_weight(0.5, 1.0 / 127), 64);  // 63.5 rounds away from zero
  EXPECT_EQ(quantize_weight(-0.5, 1.0 / 127), -64);
  EXPECT_EQ(quantize_weight(2.0, 1.0 / 127), 127);
  EXPECT_EQ(quantize_weight(-2.0, 1.0 / 127), -127);  // symmetric: -128 never used
}

TEST(DnnGemm, TableEngineEqualsNaiveLoopsAndCountsEveryPair) {
  for (const std::string s : {"exact:s=1", "drum:k=3,s=1", "trunc:t=8,s=1"}) {
    const ProductTable table(parse_spec(s));
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<int> u(-128, 127), z(0, 3);
    const int m = 37, k = 29, n = 11;
    std::vector<int8_t> x(m * k), w(k * n);
    for (auto& v : x) v = z(rng) ? static_cast<int8_t>(u(rng)) : 0;  // many zeros: the skip path
    for (auto& v : w) v = static_cast<int8_t>(u(rng));
    for (int threads : {1, 2}) {
      std::vector<int32_t> y(m * n), yt(m * n);
      TableGemm(table, threads).gemm(x.data(), m, k, w.data(), n, y.data());
      OperandTrace tr;
      tr.stream_limit = 50;
      tr.stride = 7;
      TableGemm(table, threads, &tr).gemm(x.data(), m, k, w.data(), n, yt.data());
      uint64_t total = 0;
      for (auto c : tr.histogram) total += c;
      EXPECT_EQ(total, uint64_t{m} * k * n);
      EXPECT_EQ(tr.histogram[(uint8_t(x[0]) << 8) | uint8_t(w[0])] > 0, true);
      ASSERT_EQ(tr.stream.size(), 50u);
      EXPECT_EQ(tr.stream[1], std::make_pair(x[1], w[1 * n + 0]));  // output 0 sampled first, k in order
      EXPECT_EQ(tr.stream[k], std::make_pair(x[0], w[7]));          // then output 7: row 0, column 7
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
          int64_t acc = 0;
          for (int t = 0; t < k; ++t) acc += table.value(x[i * k + t], w[t * n + j]);
          EXPECT_EQ(y[i * n + j], static_cast<int32_t>(acc)) << s << " " << i << "," << j;
          EXPECT_EQ(yt[i * n + j], y[i * n + j]);
        }
    }
  }
}

// ---- the shipped networks ----------------------------------------------------------------------

TEST(DnnNetwork, ShippedFilesLoadAndAreSmall) {
  for (const std::string name : {"cnn", "mlp"}) {
    const Network net = load_network(model_path(name));
    EXPECT_EQ(net.name, name);
    EXPECT_LT(fs::file_size(model_path(name)), 2u << 20);
    EXPECT_EQ(net.classes(), 10);
    EXPECT_GE(net.reference_logits.size(), 32u);
    EXPECT_GT(net.float_accuracy, 0.8);
    EXPECT_EQ(net.float_images, 10000);
  }
  EXPECT_LE(load_network(model_path("cnn")).macs_per_image(), 1100000);
}

TEST(DnnNetwork, GoldenExactEqualsIndependentReference) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const ImageSet test = load_fashion_mnist(gm::fashion_mnist_dir(), "t10k", 24);
  const ProductTable exact(parse_spec("exact:s=1"));
  for (const std::string name : {"cnn", "mlp"}) {
    const Network net = load_network(model_path(name));
    TableGemm engine(exact, 2);
    const auto out = run_network(net, test.pixels.data(), test.count(), engine, 7);  // odd batch: batch edges
    for (size_t i = 0; i < test.count(); ++i) {
      const auto ref = reference_forward(net, test.image(i));
      for (int c = 0; c < 10; ++c) ASSERT_EQ(out[i * 10 + c], ref[c]) << name << " image " << i << " class " << c;
    }
  }
}

TEST(DnnNetwork, QuantizedTracksTheFloatNetwork) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const ProductTable exact(parse_spec("exact:s=1"));
  for (const std::string name : {"cnn", "mlp"}) {
    const Network net = load_network(model_path(name));
    const size_t n = net.reference_logits.size();
    const ImageSet test = load_fashion_mnist(gm::fashion_mnist_dir(), "t10k", n);
    TableGemm engine(exact, 2);
    const auto out = run_network(net, test.pixels.data(), n, engine);
    const double scale = net.layers.back().out_scale;
    size_t same = 0;
    double err = 0, mag = 0;
    for (size_t i = 0; i < n; ++i) {
      const auto& fl = net.reference_logits[i];
      same += argmax(out.data() + i * 10, 10) == static_cast<int>(std::max_element(fl.begin(), fl.end()) - fl.begin());
      for (int c = 0; c < 10; ++c) err += std::abs(out[i * 10 + c] * scale - fl[c]), mag += std::abs(fl[c]);
    }
    EXPECT_GE(same, n - 2) << name << ": int8 class differs from float on " << n - same << " of " << n << " images";
    EXPECT_LT(err / mag, 0.05) << name << ": relative logit error";
  }
}

TEST(DnnNetwork, TruncationNeverGainsMoreThanNoise) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const ImageSet test = load_fashion_mnist(gm::fashion_mnist_dir(), "t10k", 1000);
  const Network net = load_network(model_path("cnn"));
  double prev = 1.0;
  std::vector<double> acc;
  for (int t : {0, 6, 9, 11, 13}) {
    const ProductTable table(parse_spec("trunc:s=1,t=" + std::to_string(t)));
    TableGemm engine(table, 2);
    const double a = accuracy(run_network(net, test.pixels.data(), test.count(), engine), 10, test.labels.data(), test.count());
    EXPECT_LE(a, prev + 0.01) << "t=" << t;
    acc.push_back(a);
    prev = a;
  }
  EXPECT_LT(acc.back(), acc.front() - 0.05) << "t=13 should hurt clearly";
}

// ---- CLI -------------------------------------------------------------------------------------------

TEST(DnnCli, BadInputIsExitTwoWithOneLine) {
  auto r = run_cli("dnn eval --model /nonexistent/m.json --images 5");
  gm::test::expect_one_line_error(r, "model file '/nonexistent/m.json' does not exist");
  r = run_cli("dnn eval --mul drum:k=4 --images 5");  // unsigned
  gm::test::expect_one_line_error(r, "signed multiplier of 4 to 8 bits");
  r = run_cli("dnn eval --mul exact:w=6,s=1 --images 5");  // narrower than the pixels of the first layer
  gm::test::expect_one_line_error(r, "the first layer keeps 8 bits");
  r = run_cli("dnn eval --data /nonexistent/dir --images 5");
  gm::test::expect_one_line_error(r, "data directory '/nonexistent/dir' does not exist");
  r = run_cli("dnn eval --images 5", "GREENMAC_FASHION_MNIST=/nonexistent/env ");
  gm::test::expect_one_line_error(r, "");
  const fs::path d = temp_dir("gm-dnn-cli");
  write_plain(d / "bad.json", {'{', '}'});
  r = run_cli("dnn eval --model " + (d / "bad.json").string() + " --images 5");
  gm::test::expect_one_line_error(r, "malformed");
  fs::remove_all(d);
}

TEST(DnnCli, EvalJsonAndTraces) {
  if (!gm::test::fashion_mnist_present()) GTEST_SKIP() << "no Fashion-MNIST";
  const fs::path d = temp_dir("gm-dnn-trace");
  const auto r = run_cli("dnn eval --model mlp --images 20 --mul drum:k=4,s=1 --json --trace-dir " + d.string());
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["spec"], parse_spec("exact:s=1").canonical());
  EXPECT_EQ(j[1]["spec"], parse_spec("drum:k=4,s=1").canonical());
  for (const auto& row : j) {
    for (const char* key : {"spec", "model", "images", "accuracy", "float_accuracy", "macs_per_image"})
      EXPECT_TRUE(row.contains(key)) << key;
    EXPECT_EQ(row["images"], 20);
    const std::string hist = row["trace"]["histogram"], stream = row["trace"]["stream"];
    const std::string text = read_text(hist);
    const Distribution dist = parse_distribution(text, hist);
    EXPECT_GT(dist.entries.size(), 100u);
    std::istringstream in(text);
    std::string line;
    uint64_t total = 0;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      int a, b;
      uint64_t c;
      std::istringstream(line) >> a >> b >> c;
      total += c;
    }
    EXPECT_EQ(total, 20 * row["macs_per_image"].get<uint64_t>());
    std::ifstream f(stream);
    int64_t pairs = 0;
    while (std::getline(f, line))
      if (!line.empty() && line[0] != '#') ++pairs;
    EXPECT_GT(pairs, 1000);
    EXPECT_LE(pairs, 100000);
  }
  fs::remove_all(d);
}

}  // namespace gm::dnn
