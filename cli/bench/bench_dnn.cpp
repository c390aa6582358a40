// greenmac bench dnn: throughput of the golden int8 inference (product-table GEMM) on the shipped CNN
// and MLP, with int8-exact and one approximate multiplier: images/s and GMAC/s (one MAC = one product
// looked up and accumulated); then the RTL path: the full 10,000-image test set through the Verilated
// 8x8 array (target: <= 3 minutes), with the logits checked against the golden inference.
#include <cstdio>

#include "cli/bench/bench.hpp"
#include "models/dnn/evaluate.hpp"
#include "tb/dnn_on_rtl.hpp"

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

  DnnRtlOptions ro;
  ro.mul = parse_spec("drum:k=4,s=1");
  ro.images = 10000;
  const DnnRtlReport rr = dnn_rtl(ro);
  std::printf("\nRTL: cnn, %s on the Verilated %s array (lookup-table multipliers), %zu images\n", rr.spec.c_str(),
              rr.array.c_str(), rr.images);
  std::printf("  wall seconds %.1f (target <= 180, harness build %.1f s included)\n", rr.seconds, rr.build_seconds);
  std::printf("  images/s %.1f, simulated M MAC/s %.1f (simulation CPU %.1f s)\n", rr.images / rr.seconds,
              rr.macs / rr.sim_cpu_seconds / 1e6, rr.sim_cpu_seconds);
  std::printf("  cycles %llu, cycle model %llu; logit mismatches against golden: %llu; accuracy %.2f%%\n",
              static_cast<unsigned long long>(rr.cycles), static_cast<unsigned long long>(rr.cycles_model),
              static_cast<unsigned long long>(rr.mismatches), 100 * rr.accuracy);
  CheckLog checks;
  check_dnn_rtl("bench dnn", rr, checks);
  return checks.finish();
}

const BenchRegistrar reg("dnn", {"golden int8 DNN throughput (images/s, GMAC/s), and the 10k test set through the Verilated 8x8 array", bench_dnn});

}  // namespace
}  // namespace gm
