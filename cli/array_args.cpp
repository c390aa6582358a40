#include "cli/array_args.hpp"

#include "models/dnn/network.hpp"

namespace gm {

void ArrayArgs::add_to(CLI::App& sub, bool with_array) {
  if (with_array) sub.add_option("--array", array, "synthesize a whole RxC systolic array instead of SPEC... (e.g. 4x4)");
  sub.add_option("--mul", mul, "with --array: the multiplier of every PE (e.g. exact:w=8,s=1)");
  sub.add_option("--mul-map", mul_map, "with --array: per-row/column/PE multipliers (docs/array.md)");
  sub.add_option("--acc-width", acc_width, "with --array: accumulator bits (2w..64, default 32)");
  sub.add_flag("--zero-gate", zero_gate, "with --array: zero-gated PEs");
  sub.add_option("--acc-depth", acc_depth, "with --array: accumulator entries per column D (1..4096, "
                                                           "default R + C)");
  sub.add_flag("--requant", requant, "with --array: the output stage (bias, requantization, clamp; --acc-width 32); "
                                     "the GEMM gets random params from --seed");
  sub.add_option("--gemm", gemm_dims, "with --array: the GEMM whose streams give the activity, MxKxN "
                                      "(default 32x(2R)x(2C), random operands from --seed)");
}

bool ArrayArgs::given(const SpecArgs& designs) const {
  if (array.empty()) {
    if (!mul.empty() || !mul_map.empty() || !gemm_dims.empty() || zero_gate || acc_width != 32 || requant ||
        acc_depth != -1)
      throw UserError("--mul, --mul-map, --acc-width, --acc-depth, --requant, --zero-gate and --gemm need --array RxC "
                      "--mul SPEC");
    return false;
  }
  if (!designs.specs.empty() || !designs.set.empty())
    throw UserError("give either SPEC.../--set or --array RxC --mul SPEC, not both");
  if (mul.empty()) throw UserError("--array needs --mul SPEC (the multiplier of every PE)");
  return true;
}

ArrayConfig ArrayArgs::config() const {
  const auto [rows, cols] = parse_array_dims(array);
  return make_array_config(rows, cols, parse_spec(mul), mul_map, acc_width, zero_gate, acc_depth_option(acc_depth),
                           requant);
}

GemmProblem ArrayArgs::gemm(uint64_t seed) const {
  const ArrayConfig cfg = config();
  if (gemm_dims.empty()) return default_array_gemm(cfg, seed);
  int64_t m = 0, k = 0, n = 0;
  parse_gemm_dims(gemm_dims, m, k, n);
  return random_gemm(cfg, m, k, n, seed);
}

ArraySynthOptions ArrayArgs::options(const SynthOptions& synth, const std::string& keep_dir) const {
  ArraySynthOptions o;
  o.lib = synth.lib;
  o.clock_ns = synth.clock_ns;
  o.activity_model = synth.activity_model;
  o.keep_dir = keep_dir;
  return o;
}

void NetworkRunArgs::add_to(CLI::App& sub, const std::string& mul_help) {
  sub.add_option("--array", array, "array size RxC")->capture_default_str();
  sub.add_option("--mul", mul, mul_help)->capture_default_str();
  sub.add_option("--model", model, "cnn, mlp or a model file")->capture_default_str();
  sub.add_option("--images", images, "first N test images")->check(CLI::Range(1, 10000))->capture_default_str();
  sub.add_option("--data", data, "Fashion-MNIST directory (default $GREENMAC_FASHION_MNIST or "
                                  "/usr/share/datasets/fashion-mnist)");
  sub.add_flag("--json", json, "print JSON");
}

std::pair<int, int> NetworkRunArgs::dims() const { return parse_array_dims(array); }

Spec NetworkRunArgs::spec() const {
  const Spec s = parse_spec(mul);
  dnn::check_dnn_spec(s);
  return s;
}

}  // namespace gm
