// greenmac bench dnn: throughput of the golden int8 inference (product-table GEMM) on the shipped CNN
// and MLP, with int8-exact and one approximate multiplier: images/s and GMAC/s (one MAC = one product
// looked up and accumulated). The RTL (systolic-array) figures join here once that engine plugs in.
#include <cstdio>

#include "generator/bench.hpp"
#include "generator/dnn_eval.hpp"

namespace gm {
namespace {

int bench_dnn() {
  const size_t images = 2000;
  std::printf("%-6s %-26s %8s %10s %9s %9s\n", "model", "multiplier", "images", "images/s", "GMAC/s", "accuracy");
  for (const std::string model : {"cnn", "mlp"}) {
    DnnEvalOptions opt;
    opt.model = model;
    opt.images = images;
    opt.specs = {parse_spec("drum:k=4,s=1")};
    const DnnEvalReport rep = dnn_eval(opt);
    for (const auto& r : rep.rows)
      std::printf("%-6s %-26s %8zu %10.0f %9.2f %8.2f%%\n", model.c_str(), r.spec.c_str(), rep.images, rep.images / r.seconds,
                  static_cast<double>(rep.macs_per_image) * rep.images / r.seconds / 1e9, 100 * r.accuracy);
  }
  std::printf("(golden path: every product looked up in the multiplier's 8-bit product table; GMAC/s counts every "
              "nominal MAC of the network, although zero activations are skipped when P(0, b) = 0 for every b; all cores)\n");
  return 0;
}

const BenchRegistrar reg("dnn", {"golden int8 DNN inference throughput (images/s, GMAC/s), exact and drum:k=4,s=1", bench_dnn});

}  // namespace
}  // namespace gm
