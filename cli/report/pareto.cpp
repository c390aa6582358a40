#include "cli/report/pareto.hpp"

#include <cstddef>

namespace gm {

std::vector<bool> pareto_front(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<bool> front(x.size(), true);
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = 0; j < x.size() && front[i]; ++j)
      if (j != i && x[j] <= x[i] && y[j] <= y[i] && (x[j] < x[i] || y[j] < y[i])) front[i] = false;
  return front;
}

}  // namespace gm
