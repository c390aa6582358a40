// Verilator harness for `greenmac verify`: drives gm_vtop (many designs of one width, see
// generator/sim_top.hpp) with every operand pair (or corner cases plus seeded random pairs) and
// compares each design's product with its C++ model, bit for bit.
//
// Usage: gm_vsim CONFIG. CONFIG lines:
//   pairs exhaustive | pairs random N SEED
//   design SLOT CANONICAL-SPEC
//   ext-salt HEX   (the key part of external designs' truth tables, see models/families/ext.hpp; before designs)
// (pairs and ext-salt are read by tb/harness/verify_config.hpp, shared with verify_trace_main.cpp).
// Output: one JSON object per design per line:
//   {"slot":0,"pairs":65536,"mismatches":0}  and, on a mismatch, "a","b","expected","got" of the first.
// The shape follows Verilator's examples/make_tracing_c/sim_main.cpp.
#include <verilated.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "Vgm_vtop.h"
#include "models/pairs.hpp"
#include "models/spec.hpp"
#include "tb/harness/verify_config.hpp"

namespace {

struct Design {
  int slot;
  gm::Spec spec;
  gm::ModelFn model;
  uint64_t mismatches = 0;
  int64_t a = 0, b = 0, expected = 0, got = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: gm_vsim CONFIG\n";
    return 2;
  }
  gm::harness::PairsConfig pairs;
  std::vector<Design> designs;
  const bool read = gm::harness::read_verify_config(argv[1], pairs, [&](const std::string& kind, std::istringstream& ls) {
    if (kind != "design") return;
    Design d;
    std::string spec;
    ls >> d.slot >> spec;
    d.spec = gm::parse_spec(spec);
    d.model = d.spec.def().make_model(d.spec);
    designs.push_back(std::move(d));
  });
  if (!read) {
    std::cerr << "gm_vsim: cannot read " << argv[1] << "\n";
    return 2;
  }
  if (designs.empty()) {
    std::cerr << "gm_vsim: no designs in " << argv[1] << "\n";
    return 2;
  }

  const std::unique_ptr<VerilatedContext> context{new VerilatedContext};
  context->commandArgs(argc, argv);
  const std::unique_ptr<Vgm_vtop> top{new Vgm_vtop{context.get(), "TOP"}};

  // Designs of one width may differ in signedness: the stream gives bit patterns and each design
  // reads them as its own operands.
  const int w = designs.front().spec.w;
  gm::PairStream stream(w, pairs.random_pairs, pairs.seed);
  const uint64_t total = stream.total();
  for (uint64_t k = 0; k < total; ++k) {
    uint64_t ua, ub;
    stream.pair(k, ua, ub);
    top->a_i = static_cast<uint32_t>(ua);
    top->b_i = static_cast<uint32_t>(ub);
    top->eval();
    for (auto& d : designs) {
      const int64_t a = gm::wrap(static_cast<int64_t>(ua), w, d.spec.is_signed);
      const int64_t b = gm::wrap(static_cast<int64_t>(ub), w, d.spec.is_signed);
      const int64_t got = gm::wrap(static_cast<int64_t>(top->y_o[d.slot]), d.spec.out_width(), d.spec.is_signed);
      const int64_t expected = d.model(a, b);
      if (got != expected && d.mismatches++ == 0) {
        d.a = a;
        d.b = b;
        d.expected = expected;
        d.got = got;
      }
    }
  }
  top->final();

  for (const auto& d : designs) {
    std::printf("{\"slot\":%d,\"pairs\":%llu,\"mismatches\":%llu", d.slot,
                static_cast<unsigned long long>(total), static_cast<unsigned long long>(d.mismatches));
    if (d.mismatches)
      std::printf(",\"a\":%lld,\"b\":%lld,\"expected\":%lld,\"got\":%lld", static_cast<long long>(d.a),
                  static_cast<long long>(d.b), static_cast<long long>(d.expected), static_cast<long long>(d.got));
    std::printf("}\n");
  }
  return 0;
}
