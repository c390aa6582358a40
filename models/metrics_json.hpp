// The JSON object of a design's error metrics, one key per ErrorMetrics field in the order of
// models/metrics.hpp. `greenmac metrics`, the characterize report and an evo library's ID.json all
// write it; J is nlohmann::json or nlohmann::ordered_json.
#pragma once

#include <nlohmann/json.hpp>

#include "models/metrics.hpp"

namespace gm {

template <class J>
J error_metrics_json(const ErrorMetrics& m) {
  return {{"er", m.er},     {"med", m.med},   {"nmed", m.nmed}, {"nmed_max", m.nmed_max}, {"mred", m.mred},
          {"wce", m.wce},   {"wcre", m.wcre}, {"bias", m.bias}, {"mse", m.mse},         {"var", m.var},
          {"zero_ok", m.zero_ok}, {"commutative", m.commutative}, {"pairs", m.pairs}, {"exhaustive", m.exhaustive},
          {"weighted", m.weighted}};
}

}  // namespace gm
