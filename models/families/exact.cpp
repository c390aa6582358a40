// exact and yosys: the exact product. Every exact architecture and the behavioural `a*b` baseline share
// this model, since they differ only in structure.
#include "models/arith.hpp"

namespace gm {
namespace {

ModelFn exact_product(const Spec& spec) {
  const int w = spec.w;
  const bool s = spec.is_signed;
  return [w, s](int64_t a, int64_t b) { return wrap(a * b, 2 * w, s); };
}

const FamilyRegistrar exact_family({
    .name = "exact",
    .summary = "exact multiplier built from AND gates, full and half adders and a ripple-carry adder",
    .reference = "array: Baugh-Wooley 1973 (signed); dadda: Dadda 1965; wallace: Wallace 1964; "
                 "booth4: modified (radix-4) Booth, MacSorley 1961",
    .signed_mode = "baugh-wooley (array, dadda, wallace); booth recoding (booth4)",
    .params = {{.key = "arch",
                .help = "structure: dadda tree (default), carry-save array, wallace tree or radix-4 Booth",
                .choices = {"dadda", "array", "wallace", "booth4"}}},
    .check = nullptr,
    .make_model = exact_product,
    .default_points = {"arch=dadda", "arch=array", "arch=booth4"},
});

const FamilyRegistrar yosys_family({
    .name = "yosys",
    .summary = "behavioural a*b, left to the synthesis tool: the baseline every design is compared with",
    .reference = "Verilog `*` operator",
    .signed_mode = "$signed operands",
    .params = {},
    .check = nullptr,
    .make_model = exact_product,
    .default_points = {},
});

}  // namespace
}  // namespace gm
