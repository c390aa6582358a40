// greenmac gen-array --rows R --cols C --mul SPEC [--mul-map FILE] [--acc-width N] [--acc-depth D] [--requant]
// [--zero-gate] -o DIR:
// a weight-stationary systolic array (generator/array/array.hpp), one module per file, plus manifest.json.
#include <iostream>

#include "generator/array/array.hpp"
#include "cli/command.hpp"

namespace gm {
namespace {

struct GenArrayArgs {
  int rows = 8, cols = 8, acc_width = 32, acc_depth = -1;  // -1: --acc-depth not given
  std::string mul = "exact:s=1", mul_map, dir;
  bool zero_gate = false, lut = false, requant = false;
};

int run_gen_array(const GenArrayArgs& a) {
  const ArrayConfig cfg = make_array_config(a.rows, a.cols, parse_spec(a.mul), a.mul_map, a.acc_width, a.zero_gate,
                                            acc_depth_option(a.acc_depth), a.requant);
  const ArrayRtl rtl = generate_array(cfg, a.lut ? MulModel::kLut : MulModel::kGate);
  write_array(rtl, a.dir);
  std::cout << "wrote " << rtl.files.size() << " files and manifest.json to " << a.dir << ": " << rtl.top << " ("
            << cfg.rows << "x" << cfg.cols << ", " << cfg.distinct_specs().size() << " multiplier"
            << (cfg.distinct_specs().size() == 1 ? "" : "s") << (a.lut ? ", lookup tables for simulation" : "")
            << ")\n";
  std::cout << "K_max = " << rtl.k_max << " (largest K without " << cfg.acc_width
            << "-bit accumulator overflow; max |product| " << rtl.max_abs_product << ")\n";
  return 0;
}

const CommandRegistrar reg({
    .name = "gen-array",
    .help = "generate a weight-stationary systolic array of generated multipliers: DIR/*.v and manifest.json",
    .order = 25,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto a = std::make_shared<GenArrayArgs>();
          sub.add_option("--rows", a->rows, "PE rows (the K slice of a tile)")->required();
          sub.add_option("--cols", a->cols, "PE columns (the N slice of a tile)")->required();
          sub.add_option("--mul", a->mul, "multiplier spec of every PE (default exact:s=1)");
          sub.add_option("--mul-map", a->mul_map,
                         "file of per-row/column/PE multipliers: lines `row R SPEC`, `col C SPEC`, `pe R C SPEC`, "
                         "`all SPEC`; later lines win");
          sub.add_option("--acc-width", a->acc_width, "accumulator bits (2w..64, default 32)");
          sub.add_option("--acc-depth", a->acc_depth,
                         "accumulators per column, the most activation rows of a tile (1..4096, default rows + cols)");
          sub.add_flag("--requant", a->requant,
                       "output stage: bias add, requantization and clamp in RTL, parameters on p_data_i (needs "
                       "--acc-width 32)");
          sub.add_flag("--zero-gate", a->zero_gate,
                       "hold the multiplier operands when the activation or weight is 0 (needs M(x,0)=M(0,x)=0)");
          sub.add_flag("--lut", a->lut, "simulation only: multipliers as lookup tables of their truth tables");
          sub.add_option("-o,--out", a->dir, "output directory")->required();
          return [=] { return run_gen_array(*a); };
        },
});

}  // namespace
}  // namespace gm
