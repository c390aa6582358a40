// Running the built greenmac binary from tests.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace gm::test {

struct CliResult {
  int rc = -1;
  std::string out;  // stdout only
  std::string err;  // stderr only
};

// Runs `greenmac ARGS` through the shell (ARGS is shell text); `env` is prefixed, e.g. "PATH=/x ".
// stdout comes through the pipe; stderr goes to a temporary file so the two streams stay apart.
inline CliResult run_cli(const std::string& args, const std::string& env = "") {
  CliResult r;
  std::string err_path = (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
  err_path += "/gm-cli-stderr-XXXXXX";
  const int fd = mkstemp(err_path.data());
  if (fd < 0) return r;
  close(fd);
  // Braces group the command so that `2>` applies to greenmac and not to an env assignment.
  const std::string cmd = "{ " + env + "'" + std::string(GM_BINARY) + "' " + args + " ; } 2>'" + err_path + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p) {
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int st = pclose(p);
    r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }
  std::ifstream in(err_path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  std::remove(err_path.c_str());
  return r;
}

inline int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// A bad command: exit 2, nothing on stdout, and exactly one stderr line that starts with the error
// prefix and names `fragment`.
inline void expect_one_line_error(const CliResult& r, const std::string& fragment) {
  EXPECT_EQ(r.rc, 2) << "stderr: " << r.err << "stdout: " << r.out;
  EXPECT_EQ(r.out, "") << "stdout should be empty on a user error";
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_EQ(r.err.rfind("greenmac: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << "wanted '" << fragment << "' in: " << r.err;
}

}  // namespace gm::test
