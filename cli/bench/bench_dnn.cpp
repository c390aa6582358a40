// greenmac bench dnn: throughput of the golden int8 inference (product-table GEMM) on the shipped CNN
// and MLP, with int8-exact and one approximate multiplier: images/s and GMAC/s (one MAC = one product
// looked up and accumulated); then the RTL path: the full 10,000-image test set through the Verilated
// 8x8 array with lookup-table (target: <= 90 s of run time; the profile-guided harness that `dnn rtl`
// builds for 10,000 images, and the plain one for the ratio) and with gate-level PE multipliers, the
// logits checked against the golden inference.
#include <cstdio>

#include "cli/bench/bench.hpp"
#include "models/dnn/evaluate.hpp"
#include "tb/dnn_on_rtl.hpp"

namespace gm {
namespace {

int bench_dnn(Progress& progress) {
  const size_t images = 2000;
  std::printf("%-6s %-26s %8s %10s %9s %9s\n", "model", "multiplier", "images", "images/s", "GMAC/s", "accuracy");
  for (const std::string model : {"cnn", "mlp"}) {
    DnnEvalOptions opt;
    opt.model = model;
    opt.images = images;
    opt.specs = {parse_spec("drum:k=4,s=1")};
    opt.progress = &progress;  // a "dnn" stage per model
    const DnnEvalReport rep = dnn_eval(opt);
    for (const auto& r : rep.rows)
      std::printf("%-6s %-26s %8zu %10.0f %9.2f %8.2f%%\n", model.c_str(), r.spec.c_str(), rep.images, rep.images / r.seconds,
                  static_cast<double>(rep.macs_per_image) * rep.images / r.seconds / 1e9, 100 * r.accuracy);
  }
  std::printf("(golden path: every product looked up in the multiplier's 8-bit product table; GMAC/s counts every "
              "nominal MAC of the network, although zero activations are skipped when P(0, b) = 0 for every b; all cores)\n");

  // The RTL path with each PE multiplier model: the same 10,000 images, logits and cycles checked.
  CheckLog checks;
  std::printf("\nRTL: cnn, the 10,000 test images through the Verilated 8x8 array in batches of 2,500, one simulator per "
              "core; wall includes the harness build (0 when cached), run = wall - build\n");
  std::printf("%-10s %8s %8s %8s %9s %10s %9s %14s %9s %9s\n", "mul", "wall s", "build s", "run s", "sim cpu s",
              "images/s", "M MAC/s", "cycles", "mismatch", "accuracy");
  struct Row {
    MulModel model;
    HarnessTuning tuning;
    const char* name;
  };
  // lut twice, profile-guided (what `dnn rtl` builds for 10,000 images) and plain: their ratio of
  // simulation CPU is measured in the same run.
  double cpu_pgo = 0, cpu_plain = 0;
  for (const Row& row : {Row{MulModel::kLut, HarnessTuning::kProfileGuided, "lut"},
                         Row{MulModel::kLut, HarnessTuning::kPlain, "lut plain"},
                         Row{MulModel::kGate, HarnessTuning::kPlain, "gates"}}) {
    DnnRtlOptions ro;
    ro.mul = parse_spec("drum:k=4,s=1");
    ro.images = 10000;
    ro.batch = 2500;  // 4 batches: 12 simulator starts (each loads its tables) spread over the workers
    ro.mul_model = row.model;
    ro.tuning = row.tuning;
    ro.progress = &progress;  // stages "build" and "rtl" per row
    const DnnRtlReport rr = dnn_rtl(ro);
    const double run = rr.seconds - rr.build_seconds;
    std::printf("%-10s %8.1f %8.1f %8.1f %9.1f %10.1f %9.1f %14llu %9llu %8.2f%%%s\n", row.name, rr.seconds,
                rr.build_seconds, run, rr.sim_cpu_seconds, rr.images / run, rr.macs / rr.sim_cpu_seconds / 1e6,
                static_cast<unsigned long long>(rr.cycles), static_cast<unsigned long long>(rr.mismatches),
                100 * rr.accuracy, row.tuning == HarnessTuning::kProfileGuided ? "   target: run <= 90 s" : "");
    check_dnn_rtl("bench dnn (" + std::string(row.name) + ")", rr, checks);
    if (row.model == MulModel::kLut)
      (row.tuning == HarnessTuning::kProfileGuided ? cpu_pgo : cpu_plain) = rr.sim_cpu_seconds;
  }
  std::printf("lut simulation CPU, profile-guided / plain harness: %.2f\n", cpu_pgo / cpu_plain);
  std::printf("(%s; lut: the table is used after the gate-level RTL is verified equal to it on all 65,536 pairs; "
              "cycle model checked)\n", "drum:k=4,s=1");
  return checks.finish();
}

const BenchRegistrar reg("dnn", {"golden int8 DNN throughput (images/s, GMAC/s), and the 10k test set through the Verilated 8x8 array (lut and gate multipliers)", bench_dnn});

}  // namespace
}  // namespace gm
