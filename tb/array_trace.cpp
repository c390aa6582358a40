#include "tb/array_trace.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "models/errors.hpp"
#include "models/files.hpp"
#include "tb/array_job_file.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

// The array's harness with tracing compiled in: its own cache kind, binary, define and flag.
HarnessBuild trace_harness_build(const ArrayConfig& cfg, MulModel mul_model) {
  HarnessBuild b = array_harness_build(cfg, mul_model, generate_array(cfg, mul_model).files, HarnessTuning::kPlain);
  b.kind = "gemm-trace";
  b.what = "traced array harness";
  b.binary = "gm_gemm_trace";
  b.defines.push_back("-DGM_TRACE=1");
  b.verilator_flags.push_back("--trace-fst");
  return b;
}

}  // namespace

std::vector<WaveGroup> gemm_trace_groups(const ArrayConfig& cfg, int64_t target_col) {
  // Verilator puts the top's ports in TOP and the array's signals in TOP.<module>.
  const std::string top = "TOP." + cfg.name();
  const int w = cfg.w(), acc = cfg.acc_width;
  const WaveFormat operand = cfg.is_signed() ? WaveFormat::kSigned : WaveFormat::kUnsigned;
  const auto port = [&](const char* name, int width, WaveFormat f = WaveFormat::kBinary) {
    return WaveSignal{wave_name(top, name, width), f};
  };
  std::vector<WaveGroup> groups = {
      {"clock and reset", {port("clk_i", 1), port("rst_sync_ni", 1)}},
      {"weights in", {port("w_valid_i", 1), port("w_ready_o", 1), port("w_pad_i", 1),
                      port("w_data_i", cfg.cols * w, WaveFormat::kHex)}},
      {"activations in", {port("x_valid_i", 1), port("x_ready_o", 1), port("x_last_i", 1), port("x_first_k_i", 1),
                          port("x_last_k_i", 1), port("x_data_i", cfg.rows * w, WaveFormat::kHex)}},
      {"results out", {port("y_valid_o", 1), port("y_ready_i", 1), port("y_last_o", 1),
                       port("y_data_o", cfg.cols * acc, WaveFormat::kHex)}},
  };
  // PE (r, c) of the target's column: where its sum enters (row 0) and leaves (the last row).
  const int c = static_cast<int>(target_col % cfg.cols);
  for (const int r : {0, cfg.rows - 1}) {
    const std::string pe = top + ".g_row[" + std::to_string(r) + "].g_col[" + std::to_string(c) + "].u_pe";
    groups.push_back({"PE (" + std::to_string(r) + ", " + std::to_string(c) + ")",
                      {{wave_name(pe, "x_valid_i", 1), WaveFormat::kBinary}, {wave_name(pe, "x_i", w), operand},
                       {wave_name(pe, "mul_a_o", w), operand}, {wave_name(pe, "mul_b_o", w), operand},
                       {wave_name(pe, "psum_i", acc), WaveFormat::kSigned},
                       {wave_name(pe, "psum_o", acc), WaveFormat::kSigned}}});
    if (cfg.rows == 1) break;
  }
  return groups;
}

GemmTrace trace_gemm(const ArrayConfig& cfg, MulModel mul_model, const GemmProblem& p, int64_t target,
                     const fs::path& dir) {
  if (!have_tool("verilator"))
    throw UserError("verilator is not installed (not on PATH); install it with `apt-get install verilator`");
  ensure_output_dir(dir, "--trace");
  const HarnessBuild b = trace_harness_build(cfg, mul_model);
  const std::string key = b.key();
  const auto entry = b.store().get(key);
  const fs::path harness_dir = entry ? *entry : b.build(key);

  const ScratchDir run("gm-gemm-trace");
  std::string jobs;
  begin_gemm_jobs(jobs, 1);
  append_gemm_job(jobs, p.m, p.k, p.n, p.stall_seed, p.x, p.w, p.params);
  write_file_atomic(run / "in.bin", jobs);
  // The harness runs in its entry, where the lookup tables' .hex files are.
  const RunResult r = run_program({(harness_dir / b.binary).string(), (run / "in.bin").string(),
                                   (run / "out.bin").string(), (run / "trace.fst").string(), std::to_string(target),
                                   std::to_string(kTraceCyclesAround), std::to_string(kTraceFirstCycles)},
                                  {.cwd = harness_dir});
  if (!r.ok())
    throw std::runtime_error("the traced array harness failed (exit " + std::to_string(r.exit_code) + "): " + r.output.substr(0, 600));
  GemmTrace out;
  try {
    const auto j = nlohmann::json::parse(r.output.substr(r.output.rfind('{')));
    out.target_edge = j.at("target_edge"), out.from = j.at("from"), out.to = j.at("to");
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("the traced array harness printed no window (") + e.what() + "): " + r.output.substr(0, 600));
  }
  std::ifstream results(run / "out.bin", std::ios::binary);
  GemmJobResult res;
  if (!read_gemm_result(results, p.m * p.n, res)) throw std::runtime_error("the traced array harness wrote no result");
  out.y = std::move(res.y);
  const std::string name = cfg.name();
  out.fst = dir / (name + ".fst");
  out.gtkw = dir / (name + ".gtkw");
  write_file_atomic(out.fst, read_file(run / "trace.fst"));
  write_file_atomic(out.gtkw, gtkw_text(out.fst, gemm_trace_groups(cfg, target >= 0 ? target % p.n : 0)));
  return out;
}

}  // namespace gm
