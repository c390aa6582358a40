// A small Liberty (.lib) reader: what the synthesis flow needs from a standard-cell library, and no
// more. Cell areas (for the NAND2-equivalent count), pin directions, each output pin's `function`
// parsed into a Boolean expression, and the `ff` group of flip-flops (next_state, clocked_on, the
// state variables, clear/preset), so that a mapped netlist can be simulated gate by gate.
//
// Timing and power tables are skipped: OpenSTA reads those.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gm {

// A Boolean expression in Liberty syntax, compiled to a postfix program over variables (pin or state
// names). Operators, highest precedence first: !x and x' (not), ^ (xor), & * or juxtaposition (and),
// + | (or); constants 0 and 1.
class LibExpr {
 public:
  LibExpr() = default;
  // Throws std::runtime_error with a one-line message when the text does not parse.
  static LibExpr parse(const std::string& text);

  const std::vector<std::string>& vars() const { return vars_; }
  bool empty() const { return ops_.empty(); }

  // Evaluates bit-parallel: bit k of the result uses bit k of every input word. `in` is indexed
  // like vars().
  uint64_t eval(const uint64_t* in) const;

  // The postfix program (for compilers of the function: synth/gate_program.hpp).
  enum class Op : uint8_t { Var, Zero, One, Not, And, Or, Xor };
  struct Step {
    Op op;
    uint32_t var;
  };
  const std::vector<Step>& steps() const { return ops_; }

 private:
  friend class LibExprParser;
  std::vector<Step> ops_;
  std::vector<std::string> vars_;
};

struct LibPin {
  std::string name;
  std::string direction;  // input | output | inout | internal
  std::string function;   // as written; "" for inputs
  LibExpr expr;           // parsed function (outputs only)
};

// An edge-triggered flip-flop: ff (IQ, IQN) { next_state; clocked_on; clear; preset }.
struct LibFlop {
  std::string iq, iqn;  // state variables the output functions refer to
  LibExpr next_state, clocked_on, clear, preset;
};

struct LibCell {
  std::string name;
  double area = 0;
  std::vector<LibPin> pins;
  bool has_ff = false;
  bool has_latch = false;  // latches and state tables are not simulated
  LibFlop ff;

  const LibPin* pin(const std::string& name) const;
};

struct Liberty {
  std::string name;  // library(...) name
  std::map<std::string, LibCell> cells;

  const LibCell* cell(const std::string& name) const;
};

// Parses Liberty text; throws UserError naming the problem (and line) when the text is not Liberty.
Liberty parse_liberty(const std::string& text, const std::string& origin = "liberty");

// Reads and parses a file; throws UserError when it is missing or malformed.
Liberty read_liberty(const std::filesystem::path& path);

}  // namespace gm
