#include "tb/prove.hpp"

#include <chrono>
#include <sstream>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "generator/registry.hpp"
#include "tb/tool_log.hpp"
#include "models/arith.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

bool model_is_exact_product(const Spec& spec) { return spec.family == "exact" || spec.family == "yosys"; }

std::string reference_header(const Spec& spec, const std::string& module) {
  std::ostringstream os;
  os << "module " << module << " (\n  input  wire [" << spec.w - 1 << ":0] a_i,\n  input  wire ["
     << spec.w - 1 << ":0] b_i,\n  output reg  [" << 2 * spec.w - 1 << ":0] y_o\n);\n";
  return os.str();
}

// Behavioural exact product: what every exact architecture must equal.
std::string product_reference(const Spec& spec, const std::string& module) {
  std::ostringstream os;
  os << reference_header(spec, module);
  os << "  always @* y_o = " << (spec.is_signed ? "$signed(a_i) * $signed(b_i)" : "a_i * b_i") << ";\nendmodule\n";
  return os.str();
}

// The model's truth table as a case statement over {a_i, b_i}.
std::string table_reference(const Spec& spec, const std::string& module) {
  const int w = spec.w;
  const ModelFn model = spec.def().make_model(spec);
  std::ostringstream os;
  os << reference_header(spec, module);
  os << "  always @* begin\n    case ({a_i, b_i})\n";
  const uint64_t n = uint64_t{1} << w, ymask = (uint64_t{1} << (2 * w)) - 1;
  for (uint64_t ua = 0; ua < n; ++ua)
    for (uint64_t ub = 0; ub < n; ++ub) {
      const int64_t y = model(wrap(static_cast<int64_t>(ua), w, spec.is_signed), wrap(static_cast<int64_t>(ub), w, spec.is_signed));
      os << "      " << 2 * w << "'d" << ((ua << w) | ub) << ": y_o = " << 2 * w << "'d"
         << (static_cast<uint64_t>(y) & ymask) << ";\n";
    }
  os << "      default: y_o = " << 2 * w << "'d0;\n    endcase\n  end\nendmodule\n";
  return os.str();
}

}  // namespace

ProveResult prove_design(const Spec& spec, const fs::path& rtl_dir, int timeout_s) {
  if (!have_tool("yosys"))
    throw UserError("yosys is not installed (not on PATH); install it with `apt-get install yosys`");
  ProveResult r;
  r.spec = spec;
  const bool exact = model_is_exact_product(spec);
  r.reference = exact ? "a*b" : "truth table";
  if (!exact && spec.w > kMaxTruthTableWidth)
    throw UserError(spec.name() + ": a truth-table proof is limited to w <= " + std::to_string(kMaxTruthTableWidth) +
                    "; use `greenmac verify` (exhaustive up to w=12) for wider approximate designs");
  const std::string dut = rtl_dir.empty() ? rtl::generate_verilog(spec) : read_file(rtl_dir / (spec.name() + ".v"));
  const ScratchDir dir("gm-prove");
  const std::string ref_name = spec.name() + "_ref";
  write_file_atomic(dir / "dut.v", dut);
  write_file_atomic(dir / "ref.v", exact ? product_reference(spec, ref_name) : table_reference(spec, ref_name));
  // Fixed file names in the working directory; the module names are greenmac's (spec names).
  std::ostringstream script;
  script << "read_verilog dut.v ref.v; proc; memory; opt_clean; flatten; "
         << "miter -equiv -flatten -make_outputs " << spec.name() << " " << ref_name << " gm_miter; "
         << "hierarchy -top gm_miter; sat -verify -prove trigger 0 gm_miter";
  const auto t0 = std::chrono::steady_clock::now();
  const RunResult res = run_program({"yosys", "-q", "-p", script.str()}, {.cwd = dir.path(), .timeout_s = timeout_s});
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.timed_out = res.timed_out;
  r.proved = res.ok();
  if (!r.proved && !r.timed_out && !rtl_dir.empty()) {
    // A file Yosys cannot read is the user's mistake, not a failed proof.
    const auto user_error = first_user_source_error(res.output, {{"dut.v", rtl_dir / (spec.name() + ".v")}}, "yosys");
    if (user_error) throw UserError(*user_error);
  }
  if (!r.proved) r.log = res.output.substr(0, 4000);
  return r;
}

}  // namespace gm
