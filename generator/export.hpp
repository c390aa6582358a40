// Exports of a design for use outside greenmac (docs/export.md):
//
//   lut-bin   the 2^w x 2^w product table as raw little-endian words, in the layout TFApprox
//             (ehw-fit/tf-approximate) reads for 8-bit unsigned multipliers: uint16 at a*256 + b.
//   c-header  the same table as a C header `const <int>_t lut[2^w][2^w]`, the form AdaPT
//             (dimdano/adapt) includes from cpu-kernels/axx_mults/<name>.h and indexes lut[a][b].
//   c-model   a standalone C function `int64_t <name>(int64_t a, int64_t b)` translated from the
//             design's generated Verilog, one C statement per `assign`, so it is gate-accurate:
//             it computes what the netlist computes, not what the model says.
#pragma once

#include <string>
#include <vector>

#include "models/product_table.hpp"
#include "models/spec.hpp"

namespace gm {

enum class ExportFormat { kLutBin, kCHeader, kCModel };

// "lut-bin", "c-header", "c-model"; throws UserError naming the valid formats otherwise.
ExportFormat parse_export_format(const std::string& text);

// The file content for a design. Table formats throw UserError above w = kMaxTableWidth.
std::string export_design(const Spec& spec, ExportFormat format);

// Bytes per table element: 2 when the 2w-bit product fits 16 bits (w <= 8), else 4.
int table_element_bytes(int w);

std::string lut_bin(const ProductTable& table);
std::string c_header(const Spec& spec, const ProductTable& table);
std::string c_model(const Spec& spec);

// The translator behind c_model, for any netlist Verilog in the form the generators emit: ports
// a_i[w-1:0], b_i[w-1:0], y_o[2w-1:0]; `assign name = expr;` over scalar wires (or bits of vector
// wires), a_i[k], b_i[k], 1'b0/1'b1 with ~ & | ^ ?: and parentheses; or, for the behavioural
// baseline, a single `assign y_o = ... * ...;`. `comment` lines open the file. Throws
// std::runtime_error naming the construct it cannot translate.
std::string verilog_to_c(const std::string& verilog, const std::string& function, int w, bool is_signed,
                         const std::vector<std::string>& comment);

}  // namespace gm
