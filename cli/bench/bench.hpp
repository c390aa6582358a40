// Benchmarks run by `greenmac bench NAME`; each registers itself from its own bench_<name>.cpp.
// A bench reports its stages on the Progress that `greenmac bench` hands it (stderr only, so the
// figures on stdout are the same with --quiet): its own "steps" stage for the work it does itself,
// and the lower layers' stages (synth, verify, mutants, dnn, rtl) where it hands the Progress down.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <type_traits>

#include "models/progress.hpp"

namespace gm {

struct BenchDef {
  std::string help;
  std::function<int(Progress&)> run;  // prints its figures, returns the exit code
};

std::map<std::string, BenchDef>& benches();

// One named step of a bench's "steps" stage: begun here, counted done when `work` returns (not when
// it throws: the error is then the last line).
template <class Work>
auto bench_step(Progress& progress, const std::string& step, Work&& work) {
  progress.begin(step);
  if constexpr (std::is_void_v<decltype(work())>) {
    work();
    progress.end(step);
  } else {
    auto result = work();
    progress.end(step);
    return result;
  }
}

struct BenchRegistrar {
  BenchRegistrar(const std::string& name, BenchDef def) { benches()[name] = std::move(def); }
};

}  // namespace gm
