// dnn_eval's operand traces in memory: complete, and the same pairs its trace files hold.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/dnn/evaluate.hpp"
#include "models/files.hpp"
#include "models/metrics.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

bool have_data() { return fs::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"); }

// Products per image of the shipped CNN, from its shapes in docs/dnn.md: conv 1->16 3x3 pad 1 on
// 28x28, maxpool 2, conv 16->32 3x3 pad 0 (14x14 -> 12x12), maxpool 2, fc 32*6*6 -> 10.
constexpr uint64_t kCnnMacsPerImage = (28 * 28) * (1 * 9) * 16 + (12 * 12) * (16 * 9) * 32 + (32 * 6 * 6) * 10;

void expect_same_pairs(const Distribution& memory, const Distribution& file, const std::string& what) {
  ASSERT_EQ(memory.entries.size(), file.entries.size()) << what;
  for (size_t i = 0; i < memory.entries.size(); ++i) {
    const auto &m = memory.entries[i], &f = file.entries[i];
    ASSERT_TRUE(m.a == f.a && m.b == f.b && m.p == f.p)
        << what << " entry " << i << ": (" << m.a << ", " << m.b << ", " << m.p << ") in memory, (" << f.a << ", " << f.b
        << ", " << f.p << ") from the file";
  }
}

TEST(DnnEval, KeptTracesCountEveryProductOfTheNetwork) {
  if (!have_data()) GTEST_SKIP() << "no Fashion-MNIST";
  static_assert(kCnnMacsPerImage == 787968);
  DnnEvalOptions opt;
  opt.specs = {parse_spec("drum:k=4,s=1"), parse_spec("trunc:t=6,s=1")};
  opt.images = 12;
  opt.batch = 5;  // several GEMM calls per layer: the histogram must add up across them
  opt.keep_traces = true;
  const DnnEvalReport rep = dnn_eval(opt);
  ASSERT_EQ(rep.rows.size(), 3u);  // exact:s=1 first
  for (const auto& row : rep.rows) {
    ASSERT_TRUE(row.trace) << row.name;
    EXPECT_EQ(row.trace->histogram_total(), 12 * kCnnMacsPerImage) << row.name;
    const Distribution h = row.trace->histogram_distribution("test");
    double sum = 0;
    for (const auto& e : h.entries) sum += e.p;
    EXPECT_NEAR(sum, 1.0, 1e-9) << row.name;
    EXPECT_FALSE(row.trace->stream.empty()) << row.name;
    EXPECT_TRUE(row.histogram_file.empty()) << row.name;  // no trace_dir: nothing written
  }
  // Later layers see the products of earlier ones: the truncating multiplier's histogram differs from exact's.
  EXPECT_NE(rep.rows[0].trace->histogram, rep.rows[2].trace->histogram);

  opt.keep_traces = false;
  for (const auto& row : dnn_eval(opt).rows) EXPECT_FALSE(row.trace) << row.name;
}

// characterize --dnn uses the traces in memory where it used to read the files back: the pairs and
// their probabilities must be exactly those the files give through parse_distribution.
TEST(DnnEval, TracesInMemoryEqualTheirFilesReadBack) {
  if (!have_data()) GTEST_SKIP() << "no Fashion-MNIST";
  const fs::path dir = test::temp_dir("gm-dnn-eval-traces");
  DnnEvalOptions opt;
  opt.specs = {parse_spec("drum:k=4,s=1")};
  opt.images = 8;
  opt.keep_traces = true;
  opt.trace_dir = dir.string();
  for (const auto& row : dnn_eval(opt).rows) {
    ASSERT_TRUE(row.trace && fs::exists(row.histogram_file) && fs::exists(row.stream_file)) << row.name;
    expect_same_pairs(row.trace->histogram_distribution("memory"),
                      parse_distribution(read_file(row.histogram_file), row.histogram_file), row.histogram_file);
    expect_same_pairs(row.trace->stream_distribution("memory"),
                      parse_distribution(read_file(row.stream_file), row.stream_file), row.stream_file);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gm
