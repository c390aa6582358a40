// Verilator harness of `greenmac verify --trace` (tb/verify_trace.hpp): one design in gm_verify_trace
// (rtl/gm_verify_trace.v), built with --trace-fst. It walks the design's pair stream untraced to
// find the pairs worth seeing, then re-simulates only those, one pair per time step, into an FST:
//   the first FAILS failing pairs, each with up to AROUND pairs before and after it (in the order
//   the verification visits them), or the first FIRST pairs when the design never fails.
// The expected product (the design's C++ model) is driven into the wrapper so that it is in the
// waveform beside the design's own.
//
// Usage: gm_vtrace CONFIG. CONFIG lines:
//   pairs exhaustive | pairs random N SEED
//   ext-salt HEX        (external designs' truth tables, see models/families/ext.hpp; before design)
//   design CANONICAL-SPEC
//   (pairs and ext-salt are read by tb/harness/verify_config.hpp, shared with verify_main.cpp)
//   window FAILS AROUND FIRST
//   fst PATH
// Output: one JSON line {"pairs":P,"traced":T,"failing":F,"first_failing":K} (K = -1 when none):
// T pairs written to the FST, F of them failing.
// The shape follows Verilator's examples/make_tracing_c/sim_main.cpp.
#include <verilated.h>
#include <verilated_fst_c.h>

#include <cstdio>
#include <deque>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "Vgm_verify_trace.h"
#include "models/pairs.hpp"
#include "models/spec.hpp"
#include "tb/harness/verify_config.hpp"

namespace {

struct Pair {
  uint64_t k, a, b;  // index in the stream, operand bit patterns
};

struct Config {
  gm::harness::PairsConfig pairs;
  std::string spec, fst;
  uint64_t fails = 16, around = 2, first = 64;
};

bool read_config(const char* path, Config& c) {
  const bool read = gm::harness::read_verify_config(path, c.pairs, [&](const std::string& kind, std::istringstream& ls) {
    if (kind == "design") {
      ls >> c.spec;
    } else if (kind == "window") {
      ls >> c.fails >> c.around >> c.first;
    } else if (kind == "fst") {
      std::getline(ls >> std::ws, c.fst);
    }
  });
  return read && !c.spec.empty() && !c.fst.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  if (argc < 2 || !read_config(argv[1], c)) {
    std::cerr << "usage: gm_vtrace CONFIG (with a design and an fst line)\n";
    return 2;
  }
  const gm::Spec spec = gm::parse_spec(c.spec);
  const gm::ModelFn model = spec.def().make_model(spec);
  const int w = spec.w;
  const uint64_t out_mask = spec.out_width() >= 64 ? ~0ull : (uint64_t{1} << spec.out_width()) - 1;

  const std::unique_ptr<VerilatedContext> context{new VerilatedContext};
  context->commandArgs(argc, argv);
  context->traceEverOn(true);
  const std::unique_ptr<Vgm_verify_trace> top{new Vgm_verify_trace{context.get(), "TOP"}};

  // Drives one pair and evaluates; returns whether the design's product differs from the model's.
  const auto apply = [&](const Pair& p) {
    top->a_i = static_cast<uint32_t>(p.a);
    top->b_i = static_cast<uint32_t>(p.b);
    top->pair_i = p.k;
    const int64_t a = gm::wrap(static_cast<int64_t>(p.a), w, spec.is_signed);
    const int64_t b = gm::wrap(static_cast<int64_t>(p.b), w, spec.is_signed);
    top->expected_i = static_cast<uint32_t>(static_cast<uint64_t>(model(a, b)) & out_mask);
    top->eval();
    return top->mismatch_o != 0;
  };

  // Pass 1, untraced: the pairs to show. `recent` holds the last AROUND pairs before the current one.
  gm::PairStream stream(w, c.pairs.random_pairs, c.pairs.seed);
  const uint64_t total = stream.total();
  std::vector<Pair> shown;
  std::deque<Pair> recent;
  uint64_t failing = 0, after = 0;
  int64_t first_failing = -1;
  for (uint64_t k = 0; k < total; ++k) {
    Pair p{k, 0, 0};
    stream.pair(k, p.a, p.b);
    const bool fail = failing < c.fails && apply(p);
    if (fail) {
      if (first_failing < 0) first_failing = static_cast<int64_t>(k);
      ++failing;
      for (const Pair& r : recent) shown.push_back(r);
      recent.clear();
      shown.push_back(p);
      after = c.around;
    } else if (after > 0) {
      shown.push_back(p);
      --after;
    } else if (failing == c.fails) {
      break;  // every failing pair found has its pairs after it
    } else {
      recent.push_back(p);
      if (recent.size() > c.around) recent.pop_front();
    }
  }
  if (failing == 0) {  // a design that never fails: the first pairs of the stream
    gm::PairStream again(w, c.pairs.random_pairs, c.pairs.seed);
    for (uint64_t k = 0; k < total && k < c.first; ++k) {
      Pair p{k, 0, 0};
      again.pair(k, p.a, p.b);
      shown.push_back(p);
    }
  }

  // Pass 2: one pair per time step into the FST. A last dump one step on gives the last pair a width.
  VerilatedFstC fst;
  top->trace(&fst, 99);
  fst.open(c.fst.c_str());
  uint64_t t = 0, traced_failing = 0;
  for (const Pair& p : shown) {
    traced_failing += apply(p);
    fst.dump(t++);
  }
  fst.dump(t);
  fst.close();
  top->final();
  std::printf("{\"pairs\":%llu,\"traced\":%llu,\"failing\":%llu,\"first_failing\":%lld}\n",
              static_cast<unsigned long long>(total), static_cast<unsigned long long>(shown.size()),
              static_cast<unsigned long long>(traced_failing), static_cast<long long>(first_failing));
  return 0;
}
