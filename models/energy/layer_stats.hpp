// Per-layer statistics of a network on the weight-stationary array, and its storage energy from the
// energy-per-access table (an ESTIMATE: table numbers times counted accesses, docs/energy.md),
// beside the same network in fp32 (the "quantization lever").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/dnn/network.hpp"
#include "models/energy/access_counts.hpp"
#include "models/energy/mem_energy.hpp"
#include "models/golden_gemm.hpp"
#include "models/product_table.hpp"

namespace gm::energy {

// Energy per buffer in pJ (table estimates).
struct StorageEnergy {
  double weight = 0, activation = 0, accumulator = 0, output = 0, dram = 0;
  double param = 0;  // output-stage parameters (weight buffer)
  double on_chip() const { return weight + param + activation + accumulator + output; }
  // Without the accumulators: greenmac's accumulator bank is flops inside the array netlist, whose
  // measured (netlist) energy already counts it. Add this, not total(), to a netlist energy.
  double outside_array() const { return weight + param + activation + output + dram; }
  double total() const { return on_chip() + dram; }
  StorageEnergy& operator+=(const StorageEnergy& o);
};

// Element widths of the storage: int8 (weights, activations 8, accumulator acc bits, outputs: with
// the output stage the narrowest of 8/16/32 bits that holds the layer's [out_min, out_max], e.g. 8
// for hidden layers and 16 for the scores; without it acc bits) or fp32 (32 everywhere).
// A column's field of a parameter beat (generator/array/array.hpp kParamFieldBits; the models cannot
// include the generator, and tests/models/energy checks the two agree).
inline constexpr int kOutParamBits = 136;

// Parameters: with the output stage the array's 136-bit parameter field per column (docs/array.md),
// charged at the weight buffer's read cost (they are stored beside the weights); fp32 a 32-bit bias.
struct ElementBits {
  int weight = 8, activation = 8, accumulator = 32, output = 8, param = 0;
};
ElementBits int8_bits(const ArrayTiming& a, const dnn::Layer& layer, int acc_width = 32);
ElementBits fp32_bits();

StorageEnergy storage_energy(const AccessCounts& c, const ElementBits& bits, const MemEnergyTable& t);

struct LayerEnergyStats {
  int index = 0;             // position in Network::layers
  std::string layer;         // Layer::describe()
  int64_t m = 0, k = 0, n = 0;  // GEMM shape of one batch run (m = batch images * rows per image)
  uint64_t gemm_runs = 0;    // batch runs (GEMMs) the images took
  uint64_t macs = 0;         // over all images
  uint64_t cycles = 0;       // array cycles, cycle model (gemm_cycles), over all batch runs
  double utilization = 0;    // macs / (cycles * R * C)
  uint64_t zero_activation_macs = 0, zero_weight_macs = 0, zero_operand_macs = 0;  // a = 0, b = 0, either
  double zero_activation_share() const { return macs ? double(zero_activation_macs) / macs : 0; }
  double zero_weight_share() const { return macs ? double(zero_weight_macs) / macs : 0; }
  double zero_operand_share() const { return macs ? double(zero_operand_macs) / macs : 0; }
  AccessCounts accesses;      // over all images
  StorageEnergy int8, fp32;   // pJ over all images (table estimates)
  double compute_int8_pj = 0, compute_fp32_pj = 0;  // macs * the table's MAC energies (estimates)
};

struct StorageReport {
  std::vector<LayerEnergyStats> layers;  // the conv and fc layers, in order
  size_t images = 0, batch = 1;
  int rows = 1, cols = 1;
  int64_t acc_depth = 1;
  MemEnergyTable table;
};

// Runs the golden inference of `count` images (28x28 pixels) through `table` in batches of `batch`
// images (batch 1: each image alone on the array, as the whole-inference energy flow runs it) and
// collects the statistics of every conv and fc layer on the array `a` (acc_width: the accumulators'
// bits). Zero shares count the MACs the array performs (im2col padding taps included, K/N padding of
// the array excluded).
StorageReport layer_stats(const dnn::Network& net, const uint8_t* pixels, size_t count, const ProductTable& table,
                          const ArrayTiming& a, const MemEnergyTable& mem, size_t batch = 1, int acc_width = 32);

}  // namespace gm::energy
