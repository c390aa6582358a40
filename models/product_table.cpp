#include "models/product_table.hpp"

#include <stdexcept>
#include <string>

namespace gm {

ProductTable::ProductTable(int w, bool is_signed, const ModelFn& model) : w_(w), is_signed_(is_signed) {
  if (w < 1 || w > kMaxTableWidth)
    throw std::invalid_argument("product table needs 1 <= w <= " + std::to_string(kMaxTableWidth) +
                                ", got w=" + std::to_string(w));
  entries_.resize(size());
  // The natural value of every pattern, computed once rather than per pair.
  std::vector<int64_t> value(side());
  for (uint64_t bits = 0; bits < side(); ++bits) value[bits] = operand(bits);
  int32_t* out = entries_.data();
  for (uint64_t a = 0; a < side(); ++a)
    for (uint64_t b = 0; b < side(); ++b) *out++ = static_cast<int32_t>(model(value[a], value[b]));
}

ProductTable::ProductTable(const Spec& spec) : ProductTable(spec.w, spec.is_signed, spec.def().make_model(spec)) {}

}  // namespace gm
