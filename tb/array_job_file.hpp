// The files between greenmac and a simulator that runs GEMMs on the array (tb/array_stream.hpp):
// written by tb/array_runner.cpp, read by the Verilator harness (tb/harness/array_main.cpp) and by
// the Icarus bench's VPI module (tb/harness/array_vpi.cpp). Binary, native byte order:
//
//   jobs     int64 count, then per GEMM: int64 m, k, n, stall_seed, has_params; int32 x[m*k];
//            int32 w[k*n]; when has_params (out stage): int64 params[n][5] = bias, m0, shift,
//            out_min, out_max of each output column
//   results  per GEMM: uint64 cycles, uint64 wall_nanoseconds, uint64 cpu_nanoseconds; int64 y[m*n]
//
// Header-only and free of greenmac's libraries: the run-time-compiled harnesses include it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <istream>
#include <string>
#include <vector>

#include "tb/array_stream.hpp"

namespace gm {

// One GEMM of a jobs file, owning its operands.
struct GemmJobData {
  int64_t m = 0, k = 0, n = 0;
  uint64_t stall_seed = 0;
  std::vector<int32_t> x, w;
  std::vector<OutParams> params;  // n entries, or none without the out stage
  StreamJob view() const { return {m, k, n, stall_seed, x.data(), w.data(), params.empty() ? nullptr : params.data()}; }
};

// The time and results of one GEMM.
struct GemmJobResult {
  uint64_t cycles = 0, wall_ns = 0, cpu_ns = 0;
  std::vector<int64_t> y;
};

namespace job_file {
template <typename T>
void put(std::string& buf, const T* data, size_t n) {
  buf.append(reinterpret_cast<const char*>(data), n * sizeof(T));
}
template <typename T>
bool get(FILE* f, std::vector<T>& v, int64_t n) {
  v.resize(static_cast<size_t>(n));
  return std::fread(v.data(), sizeof(T), v.size(), f) == v.size();
}
}  // namespace job_file

// Host side: the jobs file's first field, then one append per GEMM.
inline void begin_gemm_jobs(std::string& buf, int64_t count) { job_file::put(buf, &count, 1); }
inline void append_gemm_job(std::string& buf, int64_t m, int64_t k, int64_t n, uint64_t stall_seed,
                            const std::vector<int32_t>& x, const std::vector<int32_t>& w,
                            const std::vector<OutParams>& params) {
  const int64_t hdr[5] = {m, k, n, static_cast<int64_t>(stall_seed), params.empty() ? 0 : 1};
  job_file::put(buf, hdr, 5);
  job_file::put(buf, x.data(), x.size());
  job_file::put(buf, w.data(), w.size());
  for (const OutParams& p : params) {
    const int64_t f[5] = {p.bias, p.m0, p.shift, p.out_min, p.out_max};
    job_file::put(buf, f, 5);
  }
}

// Simulator side: false (reason in `why`) when the file is missing, truncated or malformed.
// need_params: the array has the out stage, so every job must carry params (and only then).
inline bool read_gemm_jobs(const char* path, bool need_params, std::vector<GemmJobData>& jobs, std::string& why) {
  FILE* in = std::fopen(path, "rb");
  if (!in) {
    why = std::string("cannot read ") + path;
    return false;
  }
  int64_t count = 0;
  bool ok = std::fread(&count, sizeof count, 1, in) == 1 && count >= 0;
  for (int64_t i = 0; ok && i < count; ++i) {
    GemmJobData j;
    int64_t hdr[5];
    ok = std::fread(hdr, sizeof hdr, 1, in) == 1;
    if (!ok) break;
    j.m = hdr[0], j.k = hdr[1], j.n = hdr[2], j.stall_seed = static_cast<uint64_t>(hdr[3]);
    ok = j.m > 0 && j.k > 0 && j.n > 0 && (hdr[4] != 0) == need_params && job_file::get(in, j.x, j.m * j.k) &&
         job_file::get(in, j.w, j.k * j.n);
    if (ok && need_params) {
      std::vector<int64_t> f;
      ok = job_file::get(in, f, j.n * 5);
      for (int64_t c = 0; ok && c < j.n; ++c)
        j.params.push_back({static_cast<int32_t>(f[c * 5]), static_cast<int32_t>(f[c * 5 + 1]),
                            static_cast<int>(f[c * 5 + 2]), static_cast<int32_t>(f[c * 5 + 3]),
                            static_cast<int32_t>(f[c * 5 + 4])});
    }
    jobs.push_back(std::move(j));
  }
  std::fclose(in);
  if (!ok) why = std::string(path) + " is truncated or malformed (or its params do not match the array's out stage)";
  return ok;
}

inline void write_gemm_result(FILE* out, const GemmJobResult& r) {
  const uint64_t hdr[3] = {r.cycles, r.wall_ns, r.cpu_ns};
  std::fwrite(hdr, sizeof hdr, 1, out);
  std::fwrite(r.y.data(), sizeof(int64_t), r.y.size(), out);
}

// Host side: false when the file ends early.
inline bool read_gemm_result(std::istream& in, int64_t y_count, GemmJobResult& r) {
  uint64_t hdr[3] = {0, 0, 0};
  in.read(reinterpret_cast<char*>(hdr), sizeof hdr);
  r.cycles = hdr[0], r.wall_ns = hdr[1], r.cpu_ns = hdr[2];
  r.y.resize(static_cast<size_t>(y_count));
  in.read(reinterpret_cast<char*>(r.y.data()), static_cast<std::streamsize>(r.y.size() * sizeof(int64_t)));
  return static_cast<bool>(in);
}

// CPU time of this thread: a simulation's speed on one core, whatever else the machine runs.
inline uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace gm
