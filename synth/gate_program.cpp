#include "synth/gate_program.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace gm::gate {

namespace {

struct Shape {
  Op op;
  int arity;
};

// The fused shapes, tried in this order (the first match wins).
constexpr Shape kShapes[] = {
    {Op::Buf, 1},   {Op::Inv, 1},   {Op::And2, 2},  {Op::Nand2, 2}, {Op::Or2, 2},   {Op::Nor2, 2},
    {Op::Xor2, 2},  {Op::Xnor2, 2}, {Op::And3, 3},  {Op::Nand3, 3}, {Op::Or3, 3},   {Op::Nor3, 3},
    {Op::Aoi21, 3}, {Op::Oai21, 3}, {Op::Mux2, 3},  {Op::Nmux2, 3}, {Op::Maj3, 3},  {Op::Xor3, 3},
    {Op::Xnor3, 3}, {Op::Aoi22, 4}, {Op::Oai22, 4},
};

// Truth-table words: bit i of kPattern[v] is bit v of i (16 input combinations of 4 variables).
constexpr uint64_t kPattern[4] = {0xAAAA, 0xCCCC, 0xF0F0, 0xFF00};

// The shape's truth table with its operand t bound to variable perm[t].
uint64_t shape_table(Op op, int arity, const std::array<int, 4>& perm) {
  uint64_t v[6] = {0, ~uint64_t{0}, 0, 0, 0, 0};
  for (int t = 0; t < arity; ++t) v[2 + t] = kPattern[perm[t]];
  const Ins ins{op, 0, 2, static_cast<uint32_t>(arity > 1 ? 3 : 0), static_cast<uint32_t>(arity > 2 ? 4 : 0),
                static_cast<uint32_t>(arity > 3 ? 5 : 0)};
  run_program(&ins, &ins + 1, v);
  return v[0] & 0xFFFF;
}

// Lowers the postfix program: one instruction per operator into temporaries, constants from
// slots 0 and 1; the last result is copied into dst.
void lower(const LibExpr& expr, const std::vector<uint32_t>& var_slots, uint32_t dst, std::vector<Ins>& prog,
           uint32_t& next_temp) {
  std::vector<uint32_t> stack;
  for (const LibExpr::Step& st : expr.steps()) {
    switch (st.op) {
      case LibExpr::Op::Var: stack.push_back(var_slots.at(st.var)); break;
      case LibExpr::Op::Zero: stack.push_back(0); break;
      case LibExpr::Op::One: stack.push_back(1); break;
      case LibExpr::Op::Not: {
        const uint32_t t = next_temp++;
        prog.push_back({Op::Inv, t, stack.back(), 0, 0, 0});
        stack.back() = t;
        break;
      }
      default: {
        const uint32_t b = stack.back();
        stack.pop_back();
        const uint32_t t = next_temp++;
        const Op op = st.op == LibExpr::Op::And ? Op::And2 : st.op == LibExpr::Op::Or ? Op::Or2 : Op::Xor2;
        prog.push_back({op, t, stack.back(), b, 0, 0});
        stack.back() = t;
      }
    }
  }
  prog.push_back({Op::Buf, dst, stack.empty() ? 0u : stack.back(), 0, 0, 0});
}

}  // namespace

void compile_function(const LibExpr& expr, const std::vector<uint32_t>& var_slots, uint32_t dst,
                      std::vector<Ins>& prog, uint32_t& next_temp) {
  const int k = static_cast<int>(expr.vars().size());
  if (static_cast<int>(var_slots.size()) != k) throw std::logic_error("compile_function: one slot per variable");
  if (k <= 4) {
    uint64_t in[4] = {};  // eval reads only the first k; GCC cannot tell when inlined (unity builds)
    for (int v = 0; v < k; ++v) in[v] = kPattern[v];
    const uint64_t combos = uint64_t{1} << k;
    const uint64_t used = (uint64_t{1} << combos) - 1;
    const uint64_t table = expr.eval(in) & used;
    if (k == 0) {  // a constant
      prog.push_back({Op::Buf, dst, table & 1 ? 1u : 0u, 0, 0, 0});
      return;
    }
    for (const Shape& s : kShapes) {
      if (s.arity != k) continue;
      std::array<int, 4> perm = {0, 1, 2, 3};
      do {
        if ((shape_table(s.op, k, perm) & used) == table) {
          Ins ins{s.op, dst, 0, 0, 0, 0};
          uint32_t* ops[4] = {&ins.a, &ins.b, &ins.c, &ins.e};
          for (int t = 0; t < k; ++t) *ops[t] = var_slots[perm[t]];
          prog.push_back(ins);
          return;
        }
      } while (std::next_permutation(perm.begin(), perm.begin() + k));
    }
  }
  lower(expr, var_slots, dst, prog, next_temp);
}

}  // namespace gm::gate
