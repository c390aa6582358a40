#include "tb/dnn_on_rtl.hpp"

#include <chrono>

#include "models/dnn/evaluate.hpp"
#include "models/golden_gemm.hpp"
#include "models/dnn/idx.hpp"
#include "models/product_table.hpp"
#include "tb/pe_multiplier.hpp"

namespace gm {

void ArrayGemm::gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) {
  GemmProblem p;
  p.m = m;
  p.k = k;
  p.n = n;
  p.x.assign(x, x + m * k);
  p.w.assign(w, w + k * n);
  const GemmResult r = runner_.run(p);
  // The array's accumulators are acc-width (32) two's-complement values: the golden wrap32 sum.
  for (int64_t i = 0; i < m * n; ++i) y[i] = static_cast<int32_t>(r.y[i]);
  const ArrayConfig& cfg = runner_.config();
  cycles += r.cycles;
  cycles_model += gemm_cycles(cfg.rows, cfg.cols, m, k, n);
  macs += static_cast<uint64_t>(m * k * n);
  sim_cpu_seconds += r.cpu_seconds;
}

void check_dnn_rtl(const std::string& who, const std::string& name, const std::string& array, uint64_t images,
                   uint64_t mismatches, uint64_t cycles, uint64_t cycles_model, CheckLog& checks) {
  const std::string what = who + ": " + name + " on the " + array + " array, " + std::to_string(images) + " images: ";
  checks.expect(mismatches == 0, what + std::to_string(mismatches) + " logits differ from the golden inference");
  checks.expect(cycles == cycles_model,
                what + std::to_string(cycles) + " cycles, the cycle model says " + std::to_string(cycles_model));
}

DnnRtlReport dnn_rtl(const DnnRtlOptions& opt) {
  const Spec& spec = opt.mul;
  dnn::check_dnn_spec(spec);
  const dnn::Network net = load_dnn_model(opt.model);
  const ImageSet test = load_dnn_test_set(opt.data_dir, opt.images, net);
  const auto t0 = std::chrono::steady_clock::now();
  const PeMultiplier mul = prepare_pe_multiplier(spec, opt.mul_model, opt.mul_rtl);
  if (!mul.failure.empty()) {  // a lookup table that is not proven equal to the RTL runs nothing
    DnnRtlReport rep;
    rep.spec = spec.canonical();
    rep.name = spec.name();
    rep.array = std::to_string(opt.rows) + "x" + std::to_string(opt.cols);
    rep.model = opt.model;
    rep.mul_model = mul_model_name(mul.model);
    rep.mul_rtl = opt.mul_rtl;
    rep.mul_failure = mul.failure;
    return rep;
  }
  // 32-bit accumulators: the golden definition's wrap32 sums.
  const GemmRunner runner(make_array_config(opt.rows, opt.cols, spec, "", 32, false), mul.model, mul.rtl);
  ArrayGemm engine(runner);
  const auto rtl = dnn::run_network(net, test.pixels.data(), test.count(), engine, opt.batch);

  const ProductTable table(spec);
  dnn::TableGemm golden_engine(table);
  const auto golden = dnn::run_network(net, test.pixels.data(), test.count(), golden_engine, opt.batch);

  DnnRtlReport rep;
  rep.spec = spec.canonical();
  rep.name = spec.name();
  rep.array = std::to_string(opt.rows) + "x" + std::to_string(opt.cols);
  rep.model = opt.model;
  rep.images = test.count();
  for (size_t i = 0; i < rtl.size(); ++i) rep.mismatches += rtl[i] != golden[i];
  rep.accuracy = dnn::accuracy(rtl, net.classes(), test.labels.data(), test.count());
  rep.golden_accuracy = dnn::accuracy(golden, net.classes(), test.labels.data(), test.count());
  rep.cycles = engine.cycles;
  rep.cycles_model = engine.cycles_model;
  rep.macs = engine.macs;
  rep.sim_cpu_seconds = engine.sim_cpu_seconds;
  rep.build_seconds = runner.build_seconds();
  rep.mul_model = mul_model_name(mul.model);
  rep.mul_rtl = opt.mul_rtl;
  rep.mul_verified_pairs = mul.verified_pairs;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace gm
