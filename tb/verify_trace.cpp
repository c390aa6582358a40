#include "tb/verify_trace.hpp"

#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "generator/sim_top.hpp"
#include "models/errors.hpp"
#include "models/families/ext.hpp"
#include "models/files.hpp"
#include "models/install_layout.hpp"
#include "models/pairs.hpp"
#include "tb/harness_build.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

constexpr const char* kTraceTop = "gm_verify_trace";
constexpr const char* kTraceTopFile = "rtl/gm_verify_trace.v";

// The traced harness of one design. Its own cache kind, main file and flags: never the fast one.
HarnessBuild trace_harness_build(const Spec& spec, const std::string& text) {
  HarnessBuild b{.kind = "verilator-trace", .what = "traced verify harness",
                 .main_cpp = "tb/harness/verify_trace_main.cpp", .top = kTraceTop, .binary = "gm_vtrace",
                 .link_models = true};
  b.verilator_flags = {"--trace-fst", "-GWidth=" + std::to_string(spec.w), "-GSlots=" + std::to_string(sim_slots(1))};
  b.files.push_back({std::string(kTraceTop) + ".v", read_file(data_file(kTraceTopFile))});
  b.files.push_back({std::string(kSimTop) + ".v", sim_top_verilog({spec})});
  b.files.push_back({std::string(kSimSlot) + ".v", read_file(data_file(kSimSlotFile))});
  b.files.push_back({spec.name() + ".v", text});
  return b;
}

std::string trace_config(const Spec& spec, const VerifyOptions& opt, const fs::path& fst) {
  std::ostringstream os;
  const uint64_t random_pairs = spec.w > kMaxExhaustiveWidth ? opt.random_pairs : 0;
  if (random_pairs)
    os << "pairs random " << random_pairs << " " << opt.seed << "\n";
  else
    os << "pairs exhaustive\n";
  if (spec.family == "ext") os << "ext-salt " << external_table_salt() << "\n";
  os << "design " << spec.canonical() << "\n";
  os << "window " << kTraceFailingPairs << " " << kTracePairsAround << " " << kTraceFirstPairs << "\n";
  os << "fst " << fst.string() << "\n";
  return os.str();
}

}  // namespace

std::vector<WaveGroup> verify_trace_groups(const Spec& spec) {
  // Verilator puts the top's ports in TOP and the top module's signals in TOP.<top>.
  const std::string top = std::string("TOP.") + kTraceTop, dut = top + ".u_vtop.u0";
  const WaveFormat operand = spec.is_signed ? WaveFormat::kSigned : WaveFormat::kUnsigned;
  const int w = spec.w, yw = spec.out_width();
  return {
      {"pair", {{wave_name(top, "pair_i", 64), WaveFormat::kUnsigned}, {wave_name(top, "mismatch_o", 1), WaveFormat::kBinary}}},
      {"operands", {{wave_name(top, "a_i", w), operand}, {wave_name(top, "b_i", w), operand}}},
      {"products", {{wave_name(top, "expected_i", 32), WaveFormat::kHex}, {wave_name(top, "product_o", 32), WaveFormat::kHex},
                    {wave_name(dut, "y_o", yw), operand}}},
  };
}

VerifyTrace trace_verify(const Spec& spec, const VerifyOptions& opt, const fs::path& dir) {
  if (!have_tool("verilator"))
    throw UserError("verilator is not installed (not on PATH); install it with `apt-get install verilator`");
  ensure_output_dir(dir, "--trace");
  if (spec.w * 2 > kSlotBits) throw UserError("--trace needs products of at most 32 bits, " + spec.name() + " has wider");
  spec.def().make_model(spec);  // an external design's truth table must be in the cache before the harness reads it
  const HarnessBuild b = trace_harness_build(spec, design_text(spec, opt));
  const std::string key = b.key();
  const auto entry = b.store().get(key);
  const fs::path harness = (entry ? *entry : b.build(key)) / b.binary;

  const ScratchDir run("gm-verify-trace");
  write_file_atomic(run / "config.txt", trace_config(spec, opt, run / "trace.fst"));
  const RunResult r = run_program({harness.string(), (run / "config.txt").string()}, {.cwd = run.path()});
  if (!r.ok()) throw std::runtime_error("the traced verify harness failed (exit " + std::to_string(r.exit_code) + "): " + r.output.substr(0, 600));
  VerifyTrace out;
  try {
    const auto j = nlohmann::json::parse(r.output.substr(r.output.rfind('{')));
    out.traced = j.at("traced"), out.failing = j.at("failing"), out.first_failing = j.at("first_failing");
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("the traced verify harness printed no result (") + e.what() + "): " + r.output.substr(0, 600));
  }
  out.fst = dir / (spec.name() + ".fst");
  out.gtkw = dir / (spec.name() + ".gtkw");
  write_file_atomic(out.fst, read_file(run / "trace.fst"));
  write_file_atomic(out.gtkw, gtkw_text(out.fst, verify_trace_groups(spec)));
  return out;
}

}  // namespace gm
