// Helpers the family tests share: a family's spec text, the model it names, and the sign-magnitude
// wrapping every signed family applies around its unsigned core.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>

#include "models/spec.hpp"

namespace gm::test {

// "FAMILY:KEY=VAL,..." in the order given, e.g. spec("drum", {{"w", 8}, {"s", 1}, {"k", 4}}).
inline std::string spec(const std::string& family, std::initializer_list<std::pair<const char*, int64_t>> params) {
  std::string text = family;
  char sep = ':';
  for (const auto& [key, value] : params) {
    text += sep + std::string(key) + "=" + std::to_string(value);
    sep = ',';
  }
  return text;
}

// The model of a spec text, parsed as the command line parses it.
inline gm::ModelFn model(const std::string& text) {
  const gm::Spec spec = gm::parse_spec(text);
  return spec.def().make_model(spec);
}

// A signed reference from an unsigned one: the product of the magnitudes |a|, |b|, negated when the
// signs differ, then read back as the signed 2w-bit word the hardware outputs (so a magnitude that
// overflows 2w bits wraps).
inline int64_t sign_magnitude_reference(int64_t a, int64_t b, int w, const std::function<int64_t(uint64_t, uint64_t)>& magnitude) {
  const int64_t m = magnitude(static_cast<uint64_t>(std::llabs(a)), static_cast<uint64_t>(std::llabs(b)));
  int64_t v = ((a < 0) != (b < 0)) ? -m : m;
  const int64_t range = int64_t{1} << (2 * w);
  v = ((v % range) + range) % range;
  return v >= range / 2 ? v - range : v;
}

}  // namespace gm::test
