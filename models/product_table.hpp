// The full product table of a design: every product word for every operand pair, built once from the
// design's model and shared by the error metrics, the table exports (TFApprox, AdaPT) and the DNN
// emulation, which all look products up instead of calling the model again.
//
// Entries are indexed by the operands' w-bit patterns, index = (a_bits << w) | b_bits, so row a holds
// the products a * b for b = 0 .. 2^w-1 in pattern order (a signed operand 0x80 at w=8 is -128).
// Each entry is the model's value: the 2w-bit product word read as signed (s=1) or unsigned (s=0).
// Only for w <= 12: 2^24 entries of 4 bytes (64 MiB) is the largest table; wider designs are
// characterised from sampled pairs instead.
#pragma once

#include <cstdint>
#include <vector>

#include "models/arith.hpp"
#include "models/pairs.hpp"
#include "models/spec.hpp"

namespace gm {

inline constexpr int kMaxTableWidth = kMaxExhaustiveWidth;  // 12: 2w = 24 bits fit int32

class ProductTable {
 public:
  // Calls model(a, b) once per pair. Throws std::invalid_argument for w outside 1..kMaxTableWidth
  // (callers refuse wider designs with a user-facing message first).
  ProductTable(int w, bool is_signed, const ModelFn& model);
  explicit ProductTable(const Spec& spec);

  int w() const { return w_; }
  bool is_signed() const { return is_signed_; }
  uint64_t side() const { return uint64_t{1} << w_; }     // 2^w operand patterns
  uint64_t size() const { return side() * side(); }        // 2^(2w) entries

  // The product for operand patterns a_bits, b_bits (each 0 .. 2^w-1).
  int32_t at(uint64_t a_bits, uint64_t b_bits) const { return entries_[(a_bits << w_) | b_bits]; }
  // The product for operands in their natural range (signed: -2^(w-1) .. 2^(w-1)-1).
  int32_t value(int64_t a, int64_t b) const { return at(operand_bits(a, w_), operand_bits(b, w_)); }
  // The natural value of an operand pattern.
  int64_t operand(uint64_t bits) const { return wrap(static_cast<int64_t>(bits), w_, is_signed_); }

  const std::vector<int32_t>& entries() const { return entries_; }

 private:
  int w_;
  bool is_signed_;
  std::vector<int32_t> entries_;
};

}  // namespace gm
