// Benchmarks run by `greenmac bench NAME`; each registers itself from its own bench_<name>.cpp.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace gm {

struct BenchDef {
  std::string help;
  std::function<int()> run;  // prints its figures, returns the exit code
};

std::map<std::string, BenchDef>& benches();

struct BenchRegistrar {
  BenchRegistrar(const std::string& name, BenchDef def) { benches()[name] = std::move(def); }
};

}  // namespace gm
