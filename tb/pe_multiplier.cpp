#include "tb/pe_multiplier.hpp"

#include <sstream>

#include "generator/registry.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/scratch.hpp"
#include "tb/process.hpp"
#include "tb/tool_log.hpp"
#include "tb/verify.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

constexpr const char* kWrapper = "gm_mul_rtl_check";

// A module that instantiates the multiplier by name with the PE's port names and widths: Verilator
// reports a missing module, a missing or extra port, or a width that differs, as an error.
std::string wrapper_verilog(const Spec& spec) {
  const std::string w = std::to_string(spec.w - 1), p = std::to_string(2 * spec.w - 1);
  return "module " + std::string(kWrapper) + " (input wire [" + w + ":0] a_i, input wire [" + w +
         ":0] b_i, output wire [" + p + ":0] y_o);\n  " + spec.name() +
         " u_mul (.a_i(a_i), .b_i(b_i), .y_o(y_o));\nendmodule\n";
}

// The first "%Error..." line of a Verilator log, without the prefix.
std::string first_error(const std::string& log) {
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("%Error", 0) == 0) {
      const size_t colon = line.find(": ");
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  return log.substr(0, 200);
}

}  // namespace

MulModel parse_mul_model(const std::string& name) {
  if (name == "gates") return MulModel::kGate;
  if (name == "lut") return MulModel::kLut;
  throw UserError("unknown multiplier model '" + name + "'; use --mul-model gates or --mul-model lut");
}

std::string mul_model_name(MulModel m) { return m == MulModel::kGate ? "gates" : "lut"; }

void check_mul_rtl_file(const Spec& spec, const fs::path& file) {
  if (!have_tool("verilator"))
    throw UserError("verilator is not installed (not on PATH); install it with `apt-get install verilator`");
  const std::string text = read_file(file);  // UserError when unreadable
  ScratchDir dir("gm-mul-rtl");
  write_file_atomic(dir / "wrapper.v", wrapper_verilog(spec));
  write_file_atomic(dir / "mul.v", text);
  const RunResult r = run_program({"verilator", "--lint-only", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                                   "-Wwarn-WIDTH", "-Werror-WIDTH", "-Werror-PINMISSING", "--top-module", kWrapper,
                                   "wrapper.v", "mul.v"},
                                  {.cwd = dir.path()});
  if (r.ok()) return;
  if (const auto in_file = first_user_source_error(r.output, {{"mul.v", file}}, "verilator"))
    throw UserError("--mul-rtl: " + *in_file);
  const std::string w = std::to_string(spec.w), p = std::to_string(2 * spec.w);
  throw UserError("--mul-rtl " + file.string() + " must define module " + spec.name() + " (a_i[" + w + "], b_i[" + w +
                  "] in, y_o[" + p + "] out) for " + spec.canonical() + ": " + first_error(r.output));
}

PeMultiplier prepare_pe_multiplier(const Spec& spec, MulModel model, const fs::path& mul_rtl) {
  PeMultiplier out;
  out.model = model;
  std::string text;
  if (!mul_rtl.empty()) {
    check_mul_rtl_file(spec, mul_rtl);
    text = read_file(mul_rtl);
    if (model == MulModel::kGate) out.rtl.push_back({spec.name() + ".v", text});
  }
  if (model == MulModel::kGate) return out;
  // The table replaces the RTL only once the RTL is proven equal to it on every pair.
  if (text.empty()) text = rtl::generate_verilog(spec);
  VerifyOptions vopt;
  const VerifyResult v = verify_rtl({{spec, spec.name(), text}}, vopt).front();
  out.verified = v.pass() && v.exhaustive;
  out.verified_pairs = v.pairs;
  if (!out.verified) {
    const std::string rtl_name = mul_rtl.empty() ? "the generated RTL of " + spec.name() : mul_rtl.string();
    out.failure = "--mul-model lut: " + rtl_name + " differs from the model of " + spec.canonical() + " on " +
                  std::to_string(v.mismatches) + " of " + std::to_string(v.pairs) + " operand pairs (first: a=" +
                  std::to_string(v.a) + " b=" + std::to_string(v.b) + " expected " + std::to_string(v.expected) +
                  " got " + std::to_string(v.got) + "); the lookup table would not stand for it";
  }
  return out;
}

}  // namespace gm
