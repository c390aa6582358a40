// Pareto fronts of (error, cost) points: the designs that no other design beats on both.
#pragma once

#include <vector>

namespace gm {

// front[i] is true when no point j has x_j <= x_i and y_j <= y_i with one of them strictly smaller.
// Both coordinates are minimised.
std::vector<bool> pareto_front(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace gm
