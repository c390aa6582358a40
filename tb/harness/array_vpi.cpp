// The Icarus adapter of the array's stream protocol (tb/array_stream.hpp): a VPI module that the
// fixed bench tb/harness/array_tb.v calls every cycle, so that Icarus runs the very protocol the
// Verilator harness and the gate-level simulator run. greenmac builds it at run time (c++ -shared,
// -I data_dir()) and runs
//   vvp -M DIR -m gm_array_stream sim.vvp +gm_jobs=JOBS +gm_results=RESULTS
// with the files of tb/array_job_file.hpp.
//
// System tasks, in the bench's order:
//   $gm_stream_open(ROWS, COLS, W, ACC, DEPTH, OUT_STAGE)   reads the jobs; once, before the first cycle
//   $gm_stream_drive(running, rst_sync_ni, w_valid_i, w_data_i, w_pad_i, x_valid_i, x_data_i, x_last_i,
//                    x_first_k_i, x_last_k_i, p_valid_i, p_data_i, y_ready_i)
//        sets this cycle's inputs; running = 0 once every job is done (results written)
//   $gm_stream_sense(w_ready_o, x_ready_o, p_ready_o, y_valid_o, y_last_o, y_data_o)
//        reads the settled outputs; the rising edge follows
// A failed run (stuck array, y_last_o out of place, x or z in a result) prints one line on stderr and
// exits vvp with status 3.
#include <vpi_user.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "tb/array_job_file.hpp"
#include "tb/array_stream.hpp"

namespace {

struct Bench {
  gm::ArrayShape shape;
  std::vector<gm::GemmJobData> jobs;
  size_t next_job = 0;
  std::unique_ptr<gm::ArrayStream> stream;
  FILE* results = nullptr;
  std::chrono::steady_clock::time_point t0;
  uint64_t cpu0 = 0;
  std::vector<uint32_t> y_words;
};

Bench& bench() {
  static Bench b;
  return b;
}

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "gm_gemm (icarus): %s\n", why.c_str());
  if (bench().results) std::fclose(bench().results);
  std::exit(3);
}

std::vector<vpiHandle> task_args() {
  std::vector<vpiHandle> args;
  const vpiHandle call = vpi_handle(vpiSysTfCall, nullptr);
  if (const vpiHandle it = vpi_iterate(vpiArgument, call))
    while (const vpiHandle a = vpi_scan(it)) args.push_back(a);
  return args;
}

std::string plusarg(const std::string& name) {
  s_vpi_vlog_info info{};
  vpi_get_vlog_info(&info);
  const std::string prefix = "+" + name + "=";
  for (int i = 0; i < info.argc; ++i)
    if (std::string(info.argv[i]).rfind(prefix, 0) == 0) return std::string(info.argv[i]).substr(prefix.size());
  fail("vvp needs " + prefix + "FILE");
}

int get_int(vpiHandle h) {
  s_vpi_value v{};
  v.format = vpiIntVal;
  vpi_get_value(h, &v);
  return v.value.integer;
}

void put_bit(vpiHandle h, bool b) {
  s_vpi_value v{};
  v.format = vpiScalarVal;
  v.value.scalar = b ? vpi1 : vpi0;
  vpi_put_value(h, &v, nullptr, vpiNoDelay);
}

void put_words(vpiHandle h, const std::vector<uint32_t>& words) {
  std::vector<s_vpi_vecval> vec(words.size());
  for (size_t i = 0; i < words.size(); ++i) vec[i].aval = static_cast<PLI_INT32>(words[i]), vec[i].bval = 0;
  s_vpi_value v{};
  v.format = vpiVectorVal;
  v.value.vector = vec.data();
  vpi_put_value(h, &v, nullptr, vpiNoDelay);
}

// An x or z reads as 0, as an `if` in the bench would take it.
bool get_bit(vpiHandle h) {
  s_vpi_value v{};
  v.format = vpiScalarVal;
  vpi_get_value(h, &v);
  return v.value.scalar == vpi1;
}

// False when any bit is x or z.
bool get_words(vpiHandle h, std::vector<uint32_t>& words) {
  s_vpi_value v{};
  v.format = vpiVectorVal;
  vpi_get_value(h, &v);
  bool known = true;
  for (size_t i = 0; i < words.size(); ++i) {
    words[i] = static_cast<uint32_t>(v.value.vector[i].aval);
    known = known && v.value.vector[i].bval == 0;
  }
  return known;
}

PLI_INT32 open_task(PLI_BYTE8*) {
  Bench& b = bench();
  const auto args = task_args();
  if (args.size() != 6) fail("$gm_stream_open takes ROWS, COLS, W, ACC, DEPTH, OUT_STAGE");
  b.shape = {get_int(args[0]), get_int(args[1]), get_int(args[2]), get_int(args[3]), get_int(args[4]),
             get_int(args[5]) != 0};
  std::string why;
  if (!gm::read_gemm_jobs(plusarg("gm_jobs").c_str(), b.shape.out_stage, b.jobs, why)) fail(why);
  const std::string out = plusarg("gm_results");
  b.results = std::fopen(out.c_str(), "wb");
  if (!b.results) fail("cannot write " + out);
  b.y_words.assign(gm::bus_words(b.shape.cols * b.shape.acc), 0);
  return 0;
}

// Finishes the current job (if any) and starts the next; false when none is left.
bool next_job(Bench& b) {
  if (b.stream) {
    gm::GemmJobResult r;
    r.wall_ns = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - b.t0).count());
    r.cpu_ns = gm::thread_cpu_ns() - b.cpu0;
    r.cycles = b.stream->cycles();
    r.y = b.stream->y();
    gm::write_gemm_result(b.results, r);
    b.stream.reset();
  }
  if (b.next_job == b.jobs.size()) return false;
  b.t0 = std::chrono::steady_clock::now();
  b.cpu0 = gm::thread_cpu_ns();
  b.stream = std::make_unique<gm::ArrayStream>(b.shape, b.jobs[b.next_job++].view());
  return true;
}

PLI_INT32 drive_task(PLI_BYTE8*) {
  Bench& b = bench();
  const auto a = task_args();
  if (a.size() != 13) fail("$gm_stream_drive takes 13 arguments");
  if (!b.results) fail("$gm_stream_open was not called");
  if (!b.stream || !b.stream->running()) {
    if (!next_job(b)) {
      std::fclose(b.results);
      b.results = nullptr;
      put_bit(a[0], false);
      return 0;
    }
  }
  const gm::ArrayInputs& in = b.stream->drive();
  put_bit(a[0], true);
  put_bit(a[1], in.rst_n);
  put_bit(a[2], in.w_valid);
  if (in.w_new) put_words(a[3], b.stream->w_data());
  put_bit(a[4], in.w_pad);
  put_bit(a[5], in.x_valid);
  if (in.x_new) put_words(a[6], b.stream->x_data());
  put_bit(a[7], in.x_last);
  put_bit(a[8], in.x_first_k);
  put_bit(a[9], in.x_last_k);
  put_bit(a[10], in.p_valid);
  if (in.p_new) put_words(a[11], b.stream->p_data());
  put_bit(a[12], in.y_ready);
  return 0;
}

PLI_INT32 sense_task(PLI_BYTE8*) {
  Bench& b = bench();
  const auto a = task_args();
  if (a.size() != 6) fail("$gm_stream_sense takes 6 arguments");
  if (!b.stream) fail("$gm_stream_sense before $gm_stream_drive");
  gm::ArrayOutputs out{get_bit(a[0]), get_bit(a[1]), get_bit(a[3]), get_bit(a[4])};
  out.p_ready = get_bit(a[2]);
  if (b.stream->sense(out)) {
    if (!get_words(a[5], b.y_words)) fail("a result beat has x or z bits");
    b.stream->take_result(b.y_words.data());
  }
  if (!b.stream->running() && !b.stream->ok()) fail(b.stream->error());
  b.stream->clocked();  // the bench's rising edge follows at once
  if (!b.stream->running() && !b.stream->ok()) fail(b.stream->error());
  return 0;
}

void register_task(const char* name, PLI_INT32 (*call)(PLI_BYTE8*)) {
  s_vpi_systf_data tf{};
  tf.type = vpiSysTask;
  tf.tfname = const_cast<PLI_BYTE8*>(name);
  tf.calltf = call;
  vpi_register_systf(&tf);
}

void register_tasks() {
  register_task("$gm_stream_open", open_task);
  register_task("$gm_stream_drive", drive_task);
  register_task("$gm_stream_sense", sense_task);
}

}  // namespace

extern "C" {
void (*vlog_startup_routines[])() = {register_tasks, nullptr};
}
