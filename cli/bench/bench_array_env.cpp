#include "cli/bench/bench_array_env.hpp"

#include <cstdlib>
#include <regex>
#include <string>

#include "models/errors.hpp"

namespace gm {

std::pair<int, int> bench_array_from_env() {
  const char* env = std::getenv("GREENMAC_BENCH_ARRAY");
  if (!env) return {4, 4};
  std::smatch m;
  const std::string text = env;
  if (!std::regex_match(text, m, std::regex(R"((\d{1,2})x(\d{1,2}))")))
    throw UserError("GREENMAC_BENCH_ARRAY must be RxC (e.g. 8x8), got '" + text + "'");
  return {std::stoi(m[1]), std::stoi(m[2])};
}

}  // namespace gm
