// greenmac dnn storage --array RxC [--model cnn|mlp|FILE] [--images N] [--batch B] [--mul SPEC]
//                      [--acc-depth D] [--no-requant] [--mem-energy FILE] [--data DIR] [--json]
//
// Prints, per conv/fc layer: MACs, array cycles (cycle model), utilization, zero-operand shares,
// buffer accesses and the storage energy of int8 beside fp32. Energies are TABLE ESTIMATES
// (energy per access x counted accesses), never measurements; the output says so.
#include "cli/commands/dnn_storage.hpp"

#include <cstdio>
#include <memory>
#include <tuple>
#include <nlohmann/json.hpp>

#include "cli/array_args.hpp"
#include "generator/array/array.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/energy/layer_stats.hpp"
#include "tb/array_runner.hpp"

namespace gm {
namespace {

struct StorageArgs {
  NetworkRunArgs run;  // --array --mul --model --images --data --json
  std::string mem_energy;
  size_t batch = 1;
  int acc_depth = -1;
  bool requant = true;
};

nlohmann::json accesses_json(const energy::AccessCounts& c) {
  return {{"weight_reads", c.weight_reads},           {"weight_writes", c.weight_writes},
          {"activation_reads", c.activation_reads},   {"accumulator_reads", c.accumulator_reads},
          {"accumulator_writes", c.accumulator_writes}, {"output_writes", c.output_writes},
          {"param_reads", c.param_reads},             {"dram_reads", c.dram_reads}};
}

nlohmann::json energy_json(const energy::StorageEnergy& e, double per) {
  return {{"weight_pj", e.weight / per},
          {"param_pj", e.param / per},
          {"activation_pj", e.activation / per},
          {"accumulator_pj", e.accumulator / per},
          {"output_pj", e.output / per},
          {"dram_pj", e.dram / per},
          {"on_chip_pj", e.on_chip() / per},
          {"outside_array_pj", e.outside_array() / per},
          {"total_pj", e.total() / per}};
}

int run_storage(const StorageArgs& a) {
  const auto [rows, cols] = a.run.dims();
  const Spec mul = a.run.spec();
  const ArrayConfig cfg = make_array_config(rows, cols, mul, "", 32, false, acc_depth_option(a.acc_depth), a.requant);
  const energy::MemEnergyTable table =
      a.mem_energy.empty() ? energy::default_mem_energy_table() : energy::load_mem_energy(a.mem_energy);
  const dnn::Network net = load_dnn_model(a.run.model);
  const ImageSet set = load_dnn_test_set(a.run.data, a.run.images, net);
  const ArrayTiming timing = array_timing(cfg);
  const energy::StorageReport rep = energy::layer_stats(net, set.pixels.data(), set.count(), shared_product_table(mul),
                                                        timing, table, a.batch, cfg.acc_width);
  const double n = static_cast<double>(rep.images);
  energy::StorageEnergy int8, fp32;
  double c8 = 0, c32 = 0;
  for (const auto& l : rep.layers) int8 += l.int8, fp32 += l.fp32, c8 += l.compute_int8_pj, c32 += l.compute_fp32_pj;

  if (a.run.json) {
    nlohmann::json j = {{"model", net.name},
                        {"array", a.run.array},
                        {"acc_depth", rep.acc_depth},
                        {"out_stage", a.requant},
                        {"mul", mul.canonical()},
                        {"images", rep.images},
                        {"batch", rep.batch},
                        {"energy_kind", "table estimate"},
                        {"table", {{"name", table.name}, {"node", table.node}, {"source", table.source}}}};
    j["layers"] = nlohmann::json::array();
    for (const auto& l : rep.layers)
      j["layers"].push_back({{"index", l.index},
                             {"layer", l.layer},
                             {"gemm", {{"m", l.m}, {"k", l.k}, {"n", l.n}}},
                             {"macs", l.macs / n},
                             {"cycles", l.cycles / n},
                             {"utilization", l.utilization},
                             {"zero_activation_share", l.zero_activation_share()},
                             {"zero_weight_share", l.zero_weight_share()},
                             {"zero_operand_share", l.zero_operand_share()},
                             {"accesses_total", accesses_json(l.accesses)},
                             {"storage_int8_estimate", energy_json(l.int8, n)},
                             {"storage_fp32_estimate", energy_json(l.fp32, n)},
                             {"compute_int8_estimate_pj", l.compute_int8_pj / n},
                             {"compute_fp32_estimate_pj", l.compute_fp32_pj / n}});
    j["total"] = {{"storage_int8_estimate", energy_json(int8, n)},
                  {"storage_fp32_estimate", energy_json(fp32, n)},
                  {"compute_int8_estimate_pj", c8 / n},
                  {"compute_fp32_estimate_pj", c32 / n}};
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("%s on a %s array (D=%lld, %s), %zu images, batch %zu, multiplier %s\n", net.name.c_str(),
              a.run.array.c_str(), static_cast<long long>(rep.acc_depth), a.requant ? "output stage" : "no output stage",
              rep.images, rep.batch, mul.canonical().c_str());
  std::printf("energies are TABLE ESTIMATES per image (%s; %s), not measurements\n", table.name.c_str(),
              table.node.c_str());
  std::printf("%-42s %10s %9s %6s %7s %7s %10s %10s %10s %10s %10s %10s\n", "layer (per image)", "MACs", "cycles",
              "util", "zero_a", "zero_w", "w_reads", "a_reads", "acc_rw", "out_wr", "int8 nJ", "fp32 nJ");
  for (const auto& l : rep.layers)
    std::printf("%-42s %10.0f %9.0f %5.1f%% %6.1f%% %6.1f%% %10.0f %10.0f %10.0f %10.0f %10.2f %10.2f\n",
                l.layer.substr(0, 42).c_str(), l.macs / n, l.cycles / n, 100 * l.utilization,
                100 * l.zero_activation_share(), 100 * l.zero_weight_share(), l.accesses.weight_reads / n,
                l.accesses.activation_reads / n, (l.accesses.accumulator_reads + l.accesses.accumulator_writes) / n,
                l.accesses.output_writes / n, l.int8.total() / n / 1000, l.fp32.total() / n / 1000);
  auto line = [&](const char* what, const energy::StorageEnergy& e, double compute) {
    std::printf("%-5s storage %9.2f nJ = outside the array %.2f (weight %.2f, activation %.2f, output %.2f, dram "
                "%.2f, params %.2f) + accumulator %.2f; MAC compute %.2f nJ\n",
                what, e.total() / n / 1000, e.outside_array() / n / 1000, e.weight / n / 1000,
                e.activation / n / 1000, e.output / n / 1000, e.dram / n / 1000, e.param / n / 1000,
                e.accumulator / n / 1000, compute / n / 1000);
  };
  std::printf("per image, table estimates:\n");
  line("int8", int8, c8);
  line("fp32", fp32, c32);
  std::printf("(the accumulator bank is inside the array netlist: a measured netlist energy already counts it)\n");
  std::printf("fp32 / int8 (storage + compute): %.2fx\n", (fp32.total() + c32) / (int8.total() + c8));
  return 0;
}

}  // namespace

RunFn add_dnn_storage(CLI::App& dnn) {
  auto a = std::make_shared<StorageArgs>();
  CLI::App* st = dnn.add_subcommand(
      "storage", "per-layer MACs, array cycles, utilization, zero shares, buffer accesses from the tiling schedule and "
                 "the storage energy (table estimate) of int8 beside fp32");
  a->run.add_to(*st, "multiplier spec of the golden inference (8-bit signed)");
  st->add_option("--batch", a->batch, "images per GEMM on the array (1: each image alone)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  st->add_option("--acc-depth", a->acc_depth, "accumulator entries per column D (default R + C)")
      ->check(CLI::Range(1, 4096));
  st->add_flag("--requant,!--no-requant", a->requant, "the array's output stage (8-bit outputs; default on)");
  st->add_option("--mem-energy", a->mem_energy, "energy-per-access table, JSON (docs/energy.md)");
  return [a] { return run_storage(*a); };
}

}  // namespace gm
