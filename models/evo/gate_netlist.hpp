// The gate netlist of an evolved multiplier: the chromosome of the `evo` family's search (Cartesian
// genetic programming) and the stored form of its circuits (docs/families/evo.md).
//
// Operands a[w], b[w] (w bits each, read as signed or unsigned), the constants 0 and 1, and gates
// of two inputs in topological order: a gate reads only the constants, the operand bits and the
// gates before it, so the netlist is a DAG by construction, as a CGP genome is. The product's 2w
// bits y0..y(2w-1) each name one net.
//
// Nets share one index space, the CGP convention, so that a simulator can keep one word per net:
//
//     0 const 0 | 1 const 1 | 2 .. w+1  a0 .. a(w-1) | w+2 .. 2w+1  b0 .. b(w-1) | 2w+2 + k  gate k
//
// The text format (.gmnet), one item per line, tokens separated by one space:
//
//     gmnet 1 w=4 s=0          header: format version, operand width, signedness
//     g0 = and a0 b0           gate k, in order from g0: `gK = OP IN0 IN1` (NOT, BUF: `gK = OP IN0`)
//     g1 = andnot g0 b3
//     y0 = g0                  output bit i, in order from y0 to y(2w-1): `yI = NET`
//     y1 = 0
//
// A net is written `0`, `1`, `aI`, `bI` or `gK`. Lines starting with '#' and empty lines are
// ignored (they are not part of the content). The canonical text is the header, the gates and the
// outputs in that form with '\n' line ends and no comment; the content id is the first 12 hex
// digits of its SHA-256, so two files with the same gates have one id whatever their comments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gm::evo {

inline constexpr int kMinWidth = 2;
inline constexpr int kMaxWidth = 8;          // 2^16 operand pairs: the simulator's table
inline constexpr int kMaxGates = 1 << 16;    // a parser limit against hostile files
inline constexpr int kFormatVersion = 1;
inline constexpr size_t kIdDigits = 12;      // hex digits of the content id

// The two-input functions of a standard cell library, plus NOT and BUF (which read in0 only).
enum class GateOp : uint8_t {
  kAnd,     // x & y
  kOr,      // x | y
  kXor,     // x ^ y
  kNand,    // ~(x & y)
  kNor,     // ~(x | y)
  kXnor,    // ~(x ^ y)
  kAndNot,  // x & ~y
  kOrNot,   // x | ~y
  kNot,     // ~x
  kBuf,     // x
};
inline constexpr int kGateOpCount = 10;

const char* op_name(GateOp op);   // "and", "or", ..., "andnot", "ornot", "not", "buf"
bool op_is_unary(GateOp op);      // NOT and BUF
bool op_from_name(const std::string& name, GateOp& op);

struct Gate {
  GateOp op = GateOp::kAnd;
  uint32_t in0 = 0, in1 = 0;  // net indices; in1 is ignored (and kept 0) for NOT and BUF
  bool operator==(const Gate&) const = default;
};

struct GateNetlist {
  int w = 4;
  bool is_signed = false;
  std::vector<Gate> gates;
  std::vector<uint32_t> outputs;  // 2w nets, product bit 0 first

  static constexpr uint32_t kConst0 = 0, kConst1 = 1;
  uint32_t net_a(int i) const { return 2 + static_cast<uint32_t>(i); }
  uint32_t net_b(int i) const { return 2 + static_cast<uint32_t>(w + i); }
  uint32_t first_gate_net() const { return 2 + 2 * static_cast<uint32_t>(w); }
  uint32_t net_of_gate(size_t k) const { return first_gate_net() + static_cast<uint32_t>(k); }
  size_t net_count() const { return first_gate_net() + gates.size(); }

  // Appends a gate reading nets before it; returns its net. Throws std::logic_error on a forward
  // reference (a program bug: files go through parse_gate_netlist).
  uint32_t add(GateOp op, uint32_t in0, uint32_t in1 = kConst0);

  bool operator==(const GateNetlist&) const = default;
};

// The name of a net in the text format: "0", "1", "a3", "b0", "g12".
std::string net_text(const GateNetlist& n, uint32_t net);

// Parses .gmnet text. Every problem (syntax, a width out of 2..8, a reference to a later or the
// same gate, a missing or repeated output, more than kMaxGates gates, control or non-ASCII
// characters) throws gm::UserError with one line: "<origin>:<line>: what is wrong; how to fix it".
GateNetlist parse_gate_netlist(const std::string& text, const std::string& origin);

// The canonical text (see the format above). parse_gate_netlist(canonical_text(n)) == n for every
// valid n whose unary gates have in1 = 0.
std::string canonical_text(const GateNetlist& n);

// The first kIdDigits hex digits of SHA-256(canonical_text(n)).
std::string content_id(const GateNetlist& n);

// True when `id` is kIdDigits lower-case hex digits.
bool is_content_id(const std::string& id);

// The gates some output depends on, as a mask over gate indices (1 = active).
void mark_active(const GateNetlist& n, std::vector<uint8_t>& active);

// The same circuit with only its active gates, renumbered in order: what a library stores.
GateNetlist compacted(const GateNetlist& n);

}  // namespace gm::evo
