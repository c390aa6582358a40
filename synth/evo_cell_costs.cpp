#include "synth/evo_cell_costs.hpp"

#include <limits>
#include <optional>

#include "models/errors.hpp"
#include "synth/liberty.hpp"

namespace gm {
namespace {

// A function of inputs (x, y) as 4 bits: bit (2y + x).
using Truth = unsigned;

Truth op_truth(evo::GateOp op) {
  Truth t = 0;
  for (unsigned y = 0; y < 2; ++y)
    for (unsigned x = 0; x < 2; ++x) {
      bool v = false;
      switch (op) {
        case evo::GateOp::kAnd: v = x & y; break;
        case evo::GateOp::kOr: v = x | y; break;
        case evo::GateOp::kXor: v = x ^ y; break;
        case evo::GateOp::kNand: v = !(x & y); break;
        case evo::GateOp::kNor: v = !(x | y); break;
        case evo::GateOp::kXnor: v = !(x ^ y); break;
        case evo::GateOp::kAndNot: v = x & !y; break;
        case evo::GateOp::kOrNot: v = x | !y; break;
        case evo::GateOp::kNot: v = !x; break;
        case evo::GateOp::kBuf: v = x; break;
      }
      if (v) t |= 1u << (2 * y + x);
    }
  return t;
}

struct CellFn {
  Truth truth;  // over (first input, second input); a one-input cell ignores y
  double area;
};

// The cell's single output function over its inputs, or nothing for cells of another shape.
std::optional<CellFn> two_input_function(const LibCell& cell) {
  if (cell.has_ff || cell.has_latch) return std::nullopt;
  std::vector<const LibPin*> ins, outs;
  for (const auto& p : cell.pins) (p.direction == "input" ? ins : outs).push_back(&p);
  if (outs.size() != 1 || outs[0]->expr.empty() || ins.empty() || ins.size() > 2) return std::nullopt;
  const LibExpr& e = outs[0]->expr;
  std::vector<uint64_t> vals(e.vars().size(), 0);
  for (size_t v = 0; v < e.vars().size(); ++v) {
    if (e.vars()[v] == ins[0]->name) vals[v] = 0b1010;  // x over the patterns 2y + x
    else if (ins.size() == 2 && e.vars()[v] == ins[1]->name) vals[v] = 0b1100;
    else return std::nullopt;
  }
  return CellFn{static_cast<Truth>(e.eval(vals.data()) & 0xf), cell.area};
}

Truth with_inversions(Truth t, bool inv_x, bool inv_y, bool inv_out) {
  Truth r = 0;
  for (unsigned y = 0; y < 2; ++y)
    for (unsigned x = 0; x < 2; ++x) {
      const unsigned xx = x ^ inv_x, yy = y ^ inv_y;
      bool v = (t >> (2 * yy + xx)) & 1;
      if (v ^ inv_out) r |= 1u << (2 * y + x);
    }
  return r;
}

Truth swapped(Truth t) {
  Truth r = 0;
  for (unsigned y = 0; y < 2; ++y)
    for (unsigned x = 0; x < 2; ++x)
      if ((t >> (2 * x + y)) & 1) r |= 1u << (2 * y + x);
  return r;
}

}  // namespace

evo::GateCosts evo_gate_costs(const std::filesystem::path& liberty) {
  const Liberty lib = read_liberty(liberty);
  std::vector<CellFn> cells;
  for (const auto& [name, cell] : lib.cells)
    if (auto f = two_input_function(cell)) cells.push_back(*f);
  constexpr double kNone = std::numeric_limits<double>::infinity();
  double inv = kNone;
  for (const CellFn& c : cells)
    if (c.truth == op_truth(evo::GateOp::kNot)) inv = std::min(inv, c.area);
  if (inv == kNone)
    throw UserError(liberty.string() + " has no inverter cell; give a standard-cell Liberty file (e.g. --lib osu018)");
  evo::GateCosts costs;
  costs.library = liberty.string();
  for (int o = 0; o < evo::kGateOpCount; ++o) {
    const auto op = static_cast<evo::GateOp>(o);
    if (op == evo::GateOp::kBuf) continue;
    const Truth target = op_truth(op);
    double best = kNone;
    for (const CellFn& c : cells)
      for (int m = 0; m < 8; ++m) {
        const bool ix = m & 1, iy = m & 2, io = m & 4;
        const Truth t = with_inversions(c.truth, ix, iy, io);
        if (t == target || swapped(t) == target) best = std::min(best, c.area + inv * (ix + iy + io));
      }
    if (best == kNone)
      throw UserError(liberty.string() + " has no cell that realises " + evo::op_name(op) +
                      " with inverters; give a standard-cell Liberty file (e.g. --lib osu018)");
    costs.area[static_cast<size_t>(o)] = best;
  }
  return costs;
}

}  // namespace gm
