#include "models/energy/layer_stats.hpp"

#include <map>
#include <stdexcept>

namespace gm::energy {

StorageEnergy& StorageEnergy::operator+=(const StorageEnergy& o) {
  weight += o.weight, param += o.param, activation += o.activation;
  accumulator += o.accumulator, output += o.output, dram += o.dram;
  return *this;
}

ElementBits int8_bits(const ArrayTiming& a, const dnn::Layer& layer, int acc_width) {
  auto fits = [&](int bits) {
    return layer.out_min >= -(int64_t{1} << (bits - 1)) && layer.out_max < (int64_t{1} << (bits - 1));
  };
  const int out = !a.out_stage ? acc_width : fits(8) ? 8 : fits(16) ? 16 : 32;
  return {8, 8, acc_width, out, a.out_stage ? kOutParamBits : 0};
}

ElementBits fp32_bits() { return {32, 32, 32, 32, 32}; }

StorageEnergy storage_energy(const AccessCounts& c, const ElementBits& b, const MemEnergyTable& t) {
  auto rw = [](const MemCost& m, uint64_t reads, uint64_t writes, int bits) {
    return (double(reads) * m.read_pj_per_bit() + double(writes) * m.write_pj_per_bit()) * bits;
  };
  StorageEnergy e;
  e.weight = rw(t.weight, c.weight_reads, c.weight_writes, b.weight);
  e.activation = rw(t.activation, c.activation_reads, 0, b.activation);
  e.accumulator = rw(t.accumulator, c.accumulator_reads, c.accumulator_writes, b.accumulator);
  e.output = rw(t.output, 0, c.output_writes, b.output);
  e.param = rw(t.weight, c.param_reads, 0, b.param);
  e.dram = t.has_dram ? rw(t.dram, c.dram_reads, 0, b.weight) : 0;
  return e;
}

namespace {

// Forwards every layer to the golden engine and records, per layer, the MACs with a zero operand
// and the array's accesses and cycles of that GEMM.
class StatsEngine : public dnn::GemmEngine {
 public:
  StatsEngine(const dnn::Network& net, const ProductTable& table, const ArrayTiming& a, StorageReport& rep)
      : inner_(table, 1), a_(a), rep_(rep) {
    for (size_t i = 0; i < net.layers.size(); ++i)
      if (net.layers[i].is_gemm()) {
        slot_[&net.layers[i]] = rep_.layers.size();
        LayerEnergyStats s;
        s.index = static_cast<int>(i);
        s.layer = net.layers[i].describe();
        rep_.layers.push_back(s);
      }
  }
  void gemm(const int8_t* x, int64_t m, int64_t k, const int8_t* w, int64_t n, int32_t* y) override {
    inner_.gemm(x, m, k, w, n, y);
  }
  void gemm_layer(const int8_t* x, int64_t m, int64_t k, const dnn::Layer& layer, int32_t* out) override {
    const auto it = slot_.find(&layer);
    if (it == slot_.end()) throw std::logic_error("layer_stats: a GEMM of a layer outside the network");
    record(rep_.layers[it->second], x, m, k, layer);
    inner_.gemm_layer(x, m, k, layer, out);
  }

 private:
  void record(LayerEnergyStats& s, const int8_t* x, int64_t m, int64_t k, const dnn::Layer& layer) const {
    const int64_t n = layer.n();
    // Zero weights per K row: a MAC (i, t, j) has a zero operand when x[i][t] = 0 or w[t][j] = 0.
    std::vector<uint64_t> zw_row(k, 0);
    uint64_t zw = 0;
    for (int64_t t = 0; t < k; ++t)
      for (int64_t j = 0; j < n; ++j) zw_row[t] += layer.weights[t * n + j] == 0;
    for (int64_t t = 0; t < k; ++t) zw += zw_row[t];
    uint64_t za_macs = 0, either = 0;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t t = 0; t < k; ++t) {
        if (x[i * k + t] == 0) za_macs += n, either += n;
        else either += zw_row[t];
      }
    s.m = m, s.k = k, s.n = n;  // the last run's shape (a smaller last batch shows as such)
    ++s.gemm_runs;
    s.macs += uint64_t(m) * k * n;
    s.zero_activation_macs += za_macs;
    s.zero_weight_macs += zw * uint64_t(m);
    s.zero_operand_macs += either;
    s.cycles += gemm_cycles(a_, m, k, n);
    s.accesses += gemm_accesses(a_, m, k, n);
  }
  dnn::TableGemm inner_;
  ArrayTiming a_;
  StorageReport& rep_;
  std::map<const dnn::Layer*, size_t> slot_;
};

}  // namespace

StorageReport layer_stats(const dnn::Network& net, const uint8_t* pixels, size_t count, const ProductTable& table,
                          const ArrayTiming& a, const MemEnergyTable& mem, size_t batch, int acc_width) {
  if (batch < 1) throw std::invalid_argument("layer_stats: batch must be >= 1");
  StorageReport rep;
  rep.images = count, rep.batch = batch, rep.rows = a.rows, rep.cols = a.cols, rep.acc_depth = a.acc_depth;
  rep.table = mem;
  StatsEngine engine(net, table, a, rep);
  dnn::run_network(net, pixels, count, engine, batch);
  const ElementBits b32 = fp32_bits();
  for (LayerEnergyStats& s : rep.layers) {
    const ElementBits b8 = int8_bits(a, net.layers[s.index], acc_width);
    s.utilization = s.cycles ? double(s.macs) / (double(s.cycles) * a.rows * a.cols) : 0;
    s.int8 = storage_energy(s.accesses, b8, mem);
    s.fp32 = storage_energy(s.accesses, b32, mem);
    s.compute_int8_pj = double(s.macs) * mem.int8_mac_pj;
    s.compute_fp32_pj = double(s.macs) * mem.fp32_mac_pj;
  }
  return rep;
}

}  // namespace gm::energy
