// Error metrics: the formulas on small synthetic models whose figures are worked out by hand below,
// the distribution weighting and its file format, the normalisers, the sampled path above w = 12,
// and the `greenmac metrics` command (JSON keys, CSV header, bad input).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.hpp"
#include "models/files.hpp"
#include "models/metrics.hpp"
#include "tests/support/cli_util.hpp"

namespace fs = std::filesystem;
using gm::ErrorMetrics;
using gm::test::count_lines;
using gm::test::expect_one_line_error;
using gm::test::run_cli;

namespace {

constexpr double kTol = 1e-12;

// sum_{k in [lo, hi], k != 0, keep(k)} 1/|k|
double inverse_sum(int lo, int hi, bool odd_only = false) {
  double s = 0;
  for (int k = lo; k <= hi; ++k)
    if (k != 0 && (!odd_only || k % 2 != 0)) s += 1.0 / std::abs(k);
  return s;
}

gm::Distribution dist(const std::string& text) { return gm::parse_distribution(text, "test.dist"); }

}  // namespace

TEST(Metrics, NormalisersAreFullScaleAndLargestProduct) {
  EXPECT_EQ(gm::full_scale(8), 65536.0);
  EXPECT_EQ(gm::largest_product(8, false), 255.0 * 255.0);
  EXPECT_EQ(gm::largest_product(8, true), 128.0 * 128.0);  // (-128) * (-128)
  EXPECT_EQ(gm::largest_product(4, false), 225.0);
  EXPECT_EQ(gm::largest_product(4, true), 64.0);
}

TEST(Metrics, ExactModelHasNoError) {
  for (bool s : {false, true}) {
    const auto m = gm::compute_metrics([](int64_t a, int64_t b) { return a * b; }, 6, s);
    EXPECT_EQ(m.pairs, 4096u);
    EXPECT_TRUE(m.exhaustive);
    EXPECT_FALSE(m.weighted);
    EXPECT_EQ(m.er, 0);
    EXPECT_EQ(m.med, 0);
    EXPECT_EQ(m.mred, 0);
    EXPECT_EQ(m.wce, 0);
    EXPECT_EQ(m.wcre, 0);
    EXPECT_EQ(m.bias, 0);
    EXPECT_EQ(m.mse, 0);
    EXPECT_EQ(m.var, 0);
    EXPECT_TRUE(m.zero_ok);
    EXPECT_TRUE(m.commutative);
  }
}

// approx = a*b + 1 on unsigned 4-bit operands (largest 226 still fits the 8-bit word): every pair is
// off by exactly +1. Relative error 1/(ab) over the 15 x 15 pairs with ab != 0: its mean is
// (sum_{a=1..15} 1/a)^2 / 225; its largest value is 1 at a = b = 1.
TEST(Metrics, ModelThatAddsOneToEveryProduct) {
  const auto m = gm::compute_metrics([](int64_t a, int64_t b) { return a * b + 1; }, 4, false);
  EXPECT_EQ(m.pairs, 256u);
  EXPECT_EQ(m.er, 1.0);
  EXPECT_EQ(m.med, 1.0);
  EXPECT_NEAR(m.nmed, 1.0 / 256, kTol);
  EXPECT_NEAR(m.nmed_max, 1.0 / 225, kTol);
  EXPECT_NEAR(m.mred, std::pow(inverse_sum(1, 15), 2) / 225, kTol);
  EXPECT_EQ(m.wce, 1);
  EXPECT_NEAR(m.wcre, 1.0, kTol);
  EXPECT_EQ(m.bias, 1.0);
  EXPECT_EQ(m.mse, 1.0);
  EXPECT_EQ(m.var, 0.0);
  EXPECT_FALSE(m.zero_ok);  // 0 * x = 1
  EXPECT_TRUE(m.commutative);
}

// Signed 4-bit (-8..7), approx = a*b - 2: every pair off by -2. Normaliser of nmed_max: 2^(2w-2) = 64.
// mred = 2 * (sum over the 15 non-zero a of 1/|a|)^2 / 225, with sum = H7 + H8.
TEST(Metrics, SignedModelThatSubtractsTwo) {
  const auto m = gm::compute_metrics([](int64_t a, int64_t b) { return a * b - 2; }, 4, true);
  EXPECT_EQ(m.er, 1.0);
  EXPECT_EQ(m.med, 2.0);
  EXPECT_NEAR(m.nmed, 2.0 / 256, kTol);
  EXPECT_NEAR(m.nmed_max, 2.0 / 64, kTol);
  EXPECT_NEAR(m.mred, 2 * std::pow(inverse_sum(-8, 7), 2) / 225, kTol);
  EXPECT_EQ(m.wce, 2);
  EXPECT_NEAR(m.wcre, 2.0, kTol);
  EXPECT_EQ(m.bias, -2.0);
  EXPECT_EQ(m.mse, 4.0);
  EXPECT_EQ(m.var, 0.0);
}

// Exact except 3 x 5 = 19 (e = +4): one pair in 256.
TEST(Metrics, ModelWrongOnOnePairOnly) {
  auto model = [](int64_t a, int64_t b) { return (a == 3 && b == 5) ? 19 : a * b; };
  const auto m = gm::compute_metrics(model, 4, false);
  EXPECT_NEAR(m.er, 1.0 / 256, kTol);
  EXPECT_NEAR(m.med, 4.0 / 256, kTol);
  EXPECT_NEAR(m.nmed, 4.0 / 65536, kTol);
  EXPECT_NEAR(m.nmed_max, 4.0 / 256 / 225, kTol);
  EXPECT_NEAR(m.mred, (4.0 / 15) / 225, kTol);
  EXPECT_EQ(m.wce, 4);
  EXPECT_NEAR(m.wcre, 4.0 / 15, kTol);
  EXPECT_NEAR(m.bias, 4.0 / 256, kTol);
  EXPECT_NEAR(m.mse, 16.0 / 256, kTol);
  EXPECT_NEAR(m.var, 16.0 / 256 - (4.0 / 256) * (4.0 / 256), kTol);
  EXPECT_TRUE(m.zero_ok);
  EXPECT_FALSE(m.commutative);  // 5 x 3 is exact
}

// approx = a*b with bit 0 cleared: e = -1 exactly when a and b are both odd (8 x 8 of 256 pairs).
TEST(Metrics, ModelThatDropsTheLowestProductBit) {
  const auto m = gm::compute_metrics([](int64_t a, int64_t b) { return (a * b) & ~int64_t{1}; }, 4, false);
  EXPECT_EQ(m.er, 0.25);
  EXPECT_EQ(m.med, 0.25);
  EXPECT_EQ(m.bias, -0.25);
  EXPECT_EQ(m.mse, 0.25);
  EXPECT_NEAR(m.var, 0.25 - 0.0625, kTol);
  EXPECT_EQ(m.wce, 1);
  EXPECT_NEAR(m.wcre, 1.0, kTol);
  EXPECT_NEAR(m.mred, std::pow(inverse_sum(1, 15, true), 2) / 225, kTol);
  EXPECT_TRUE(m.zero_ok);
}

// The one-wrong-pair model weighted: (3,5) with weight 1 (e = 4, |exact| = 15) and (2,2) with 3 (e = 0).
TEST(Metrics, DistributionWeightsEveryPair) {
  auto model = [](int64_t a, int64_t b) { return (a == 3 && b == 5) ? 19 : a * b; };
  const auto d = dist("3 5 1\n2 2 3\n");
  gm::MetricOptions opt;
  opt.dist = &d;
  const auto m = gm::compute_metrics(model, 4, false, opt);
  EXPECT_TRUE(m.weighted);
  EXPECT_EQ(m.pairs, 2u);
  EXPECT_EQ(m.er, 0.25);
  EXPECT_EQ(m.med, 1.0);
  EXPECT_EQ(m.bias, 1.0);
  EXPECT_EQ(m.mse, 4.0);
  EXPECT_EQ(m.var, 3.0);
  EXPECT_EQ(m.wce, 4);
  EXPECT_NEAR(m.wcre, 4.0 / 15, kTol);
  EXPECT_NEAR(m.mred, 0.25 * 4.0 / 15, kTol);
  EXPECT_NEAR(m.nmed, 1.0 / 256, kTol);
  EXPECT_NEAR(m.nmed_max, 1.0 / 225, kTol);
  // Properties of the design, still over every pair.
  EXPECT_FALSE(m.commutative);
  EXPECT_TRUE(m.zero_ok);

  // Weights are normalised: scaling them changes nothing; a repeated pair adds up.
  const auto scaled = dist("3 5 2.5\n2 2 7.5\n");
  opt.dist = &scaled;
  EXPECT_NEAR(gm::compute_metrics(model, 4, false, opt).med, 1.0, kTol);
  const auto repeated = dist("3 5 1\n2 2 2\n3 5 1\n");
  opt.dist = &repeated;
  EXPECT_NEAR(gm::compute_metrics(model, 4, false, opt).er, 0.5, kTol);

  // A pair of weight zero never happens: it counts neither in the means nor in the maxima.
  const auto zero = dist("3 5 0\n2 2 1\n");
  opt.dist = &zero;
  const auto mz = gm::compute_metrics(model, 4, false, opt);
  EXPECT_EQ(mz.er, 0);
  EXPECT_EQ(mz.wce, 0);
  EXPECT_EQ(mz.wcre, 0);
}

// mred is a mean over the pairs with exact != 0, weighted: (0,5) counts in er and med, not in mred.
TEST(Metrics, WeightedMredSkipsZeroProducts) {
  const auto d = dist("0 5 1\n3 5 1\n");
  gm::MetricOptions opt;
  opt.dist = &d;
  const auto m = gm::compute_metrics([](int64_t a, int64_t b) { return a * b + 1; }, 4, false, opt);
  EXPECT_EQ(m.er, 1.0);
  EXPECT_EQ(m.med, 1.0);
  EXPECT_NEAR(m.mred, 1.0 / 15, kTol);
  EXPECT_NEAR(m.wcre, 1.0 / 15, kTol);
}

TEST(Metrics, SignedDistributionUsesSignedOperands) {
  const auto d = dist("# weights of signed operands\n-8 -8 1   # most negative squared\n-1 7 1\n");
  gm::MetricOptions opt;
  opt.dist = &d;
  // Off by one only at (-8) * (-8) = 64.
  auto model = [](int64_t a, int64_t b) { return a * b + (a == -8 && b == -8 ? 1 : 0); };
  const auto m = gm::compute_metrics(model, 4, true, opt);
  EXPECT_EQ(m.er, 0.5);
  EXPECT_NEAR(m.wcre, 1.0 / 64, kTol);
  EXPECT_THROW(gm::check_distribution(d, 4, false, "x"), gm::SpecError);  // -8 is no unsigned operand
}

TEST(Metrics, DistributionFileErrorsNameTheLine) {
  auto message = [](const std::string& text) {
    try {
      gm::parse_distribution(text, "ops.txt");
    } catch (const gm::SpecError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("# header\n\n1 2 3\n1 2\n").find("ops.txt line 4"), std::string::npos);
  EXPECT_NE(message("1 x 1\n").find("line 1: operand b 'x'"), std::string::npos);
  EXPECT_NE(message("1 2 -1\n").find("weight '-1'"), std::string::npos);
  EXPECT_NE(message("1 2 nan\n").find("weight 'nan'"), std::string::npos);
  EXPECT_NE(message("1 2 3 4\n").find("three fields"), std::string::npos);
  EXPECT_NE(message("0 0 0\n1 1 0\n").find("all zero"), std::string::npos);
  EXPECT_NE(message("# nothing\n").find("no 'a b weight' lines"), std::string::npos);
  EXPECT_EQ(message("1 2 1e-3  # comment after the data\n+3 4 2\r\n"), "no error");

  const auto d = dist("1 1 1\n200 1 1\n");
  try {
    gm::check_distribution(d, 8, true, "exact:s=1,w=8");
    ADD_FAILURE() << "200 accepted as a signed 8-bit operand";
  } catch (const gm::SpecError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("-128..127"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

// Above w = 12: corner pairs plus seeded random pairs, flagged as not exhaustive.
TEST(Metrics, WideDesignsAreSampled) {
  gm::MetricOptions opt;
  opt.random_pairs = 200'000;
  const auto m = gm::compute_metrics([](int64_t a, int64_t b) { return a * b + 1; }, 14, false, opt);
  EXPECT_FALSE(m.exhaustive);
  EXPECT_EQ(m.pairs, 200'000u);
  EXPECT_EQ(m.er, 1.0);
  EXPECT_EQ(m.med, 1.0);
  EXPECT_NEAR(m.nmed, 1.0 / std::ldexp(1.0, 28), 1e-20);
  EXPECT_FALSE(m.zero_ok);
  EXPECT_TRUE(m.commutative);
  // A design wrong only when a > b is caught as not commutative from the sample.
  const auto nc = gm::compute_metrics([](int64_t a, int64_t b) { return a * b + (a > b ? 1 : 0); }, 13, true, opt);
  EXPECT_FALSE(nc.commutative);
  EXPECT_NEAR(nc.er, 0.5, 0.01);
  // With a distribution the figures are exact over its pairs, whatever the width.
  const auto d = dist("8191 8191 1\n-3 5 1\n");
  opt.dist = &d;
  EXPECT_THROW(gm::compute_metrics([](int64_t a, int64_t b) { return a * b; }, 14, false, opt), gm::SpecError);
  const auto w = gm::compute_metrics([](int64_t a, int64_t b) { return a * b - (a < 0 ? 4 : 0); }, 14, true, opt);
  EXPECT_EQ(w.pairs, 2u);
  EXPECT_EQ(w.med, 2.0);
  EXPECT_EQ(w.bias, -2.0);
  EXPECT_EQ(w.wce, 4);
}

// Every registered design: the table-based figures against a direct loop over the model.
TEST(Metrics, RegisteredDesignsAgreeWithADirectLoop) {
  for (const auto& spec : gm::default_set()) {
    const auto model = spec.def().make_model(spec);
    const int64_t lo = gm::operand_min(8, spec.is_signed), hi = gm::operand_max(8, spec.is_signed);
    double wrong = 0, sum_abs = 0, sum = 0;
    int64_t worst = 0;
    bool zero_ok = true;
    for (int64_t a = lo; a <= hi; ++a)
      for (int64_t b = lo; b <= hi; ++b) {
        const int64_t e = model(a, b) - a * b;
        wrong += e != 0;
        sum_abs += std::abs(e);
        sum += e;
        worst = std::max<int64_t>(worst, std::abs(e));
        if ((a == 0 || b == 0) && model(a, b) != 0) zero_ok = false;
      }
    const auto m = gm::compute_metrics(spec);
    EXPECT_EQ(m.spec, spec.canonical());
    EXPECT_EQ(m.name, spec.name());
    EXPECT_NEAR(m.er, wrong / 65536, kTol) << m.spec;
    EXPECT_NEAR(m.med, sum_abs / 65536, 1e-9) << m.spec;
    EXPECT_NEAR(m.bias, sum / 65536, 1e-9) << m.spec;
    EXPECT_EQ(m.wce, worst) << m.spec;
    EXPECT_EQ(m.zero_ok, zero_ok) << m.spec;
  }
}

// ---- the command ------------------------------------------------------------------------------

TEST(MetricsCli, JsonHasExactlyTheDocumentedKeys) {
  const auto r = run_cli("metrics exact 'exact:s=1,arch=booth4' --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  const std::vector<std::string> required = {"spec", "name", "er",   "med",  "nmed", "nmed_max", "mred",
                                             "wce",  "wcre", "bias", "mse",  "var",  "zero_ok",  "commutative"};
  const std::vector<std::string> extra = {"pairs", "exhaustive", "weighted"};
  for (const auto& o : j) {
    for (const auto& k : required) EXPECT_TRUE(o.contains(k)) << k;
    for (const auto& [k, v] : o.items())
      EXPECT_TRUE(std::count(required.begin(), required.end(), k) || std::count(extra.begin(), extra.end(), k))
          << "undocumented key " << k;
    EXPECT_TRUE(o["zero_ok"].is_boolean());
    EXPECT_TRUE(o["er"].is_number());
    EXPECT_EQ(o["pairs"], 65536);
  }
  EXPECT_EQ(j[1]["spec"], "exact:arch=booth4,s=1,w=8");
  EXPECT_EQ(j[1]["name"], "gm_exact_s8_booth4");
}

TEST(MetricsCli, CsvHasOneHeaderRowWithTheColumns) {
  const auto r = run_cli("metrics exact yosys:s=1 --csv");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(count_lines(r.out), 3);
  const std::string header = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(header.rfind("spec,name,er,med,nmed,nmed_max,mred,wce,wcre,bias,mse,var,zero_ok,commutative", 0), 0u)
      << header;
  // The canonical spec has commas, so it is quoted.
  EXPECT_NE(r.out.find("\n\"exact:arch=dadda,s=0,w=8\",gm_exact_u8_dadda,0"), std::string::npos) << r.out;
}

TEST(MetricsCli, DefaultOutputIsATableWithARowPerDesign) {
  const auto r = run_cli("metrics exact 'exact:w=4,s=1'");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(count_lines(r.out), 4);  // title, header, two rows
  EXPECT_NE(r.out.find("MRED%"), std::string::npos);
  EXPECT_NE(r.out.find("exact:arch=dadda,s=1,w=4"), std::string::npos);
}

TEST(MetricsCli, WideDesignReportsItsSample) {
  const auto r = run_cli("metrics 'exact:w=16' --json");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j[0]["pairs"], 10'000'000);
  EXPECT_EQ(j[0]["exhaustive"], false);
  EXPECT_EQ(j[0]["wce"], 0);
}

TEST(MetricsCli, DistributionFile) {
  const fs::path dir = gm::test::temp_dir("gm-test-metrics");
  const auto write = [&](const std::string& name, const std::string& text) {
    gm::write_file_atomic(dir / name, text);
    return (dir / name).string();
  };
  const auto good = run_cli("metrics 'exact:s=1' --json --dist " + write("good.txt", "# a b weight\n-128 -128 1\n3 -5 2\n"));
  ASSERT_EQ(good.rc, 0) << good.out;
  const auto j = nlohmann::json::parse(good.out);
  EXPECT_EQ(j[0]["weighted"], true);
  EXPECT_EQ(j[0]["pairs"], 2);

  expect_one_line_error(run_cli("metrics exact --dist " + (dir / "missing.txt").string()), "cannot read");
  expect_one_line_error(run_cli("metrics exact --dist " + dir.string()), "is a directory");
  expect_one_line_error(run_cli("metrics exact --dist " + write("bad.txt", "1 2 3\n4 five 6\n")), "bad.txt line 2");
  expect_one_line_error(run_cli("metrics exact --dist " + write("range.txt", "1 2 3\n256 0 1\n")),
                        "outside the range of exact:arch=dadda,s=0,w=8 (0..255)");
  expect_one_line_error(run_cli("metrics exact --dist " + write("zero.txt", "1 2 0\n")), "all zero");
  // The file is fine for the unsigned design but not for the signed one: nothing is printed.
  expect_one_line_error(run_cli("metrics exact 'exact:s=1' --csv --dist " + write("u.txt", "200 3 1\n")), "-128..127");
  fs::remove_all(dir);
}

TEST(MetricsCli, BadInput) {
  expect_one_line_error(run_cli("metrics"), "no designs given");
  expect_one_line_error(run_cli("metrics nosuch"), "unknown family 'nosuch'");
}
