// Running the built greenmac binary from tests.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace gm::test {

struct CliResult {
  int rc = -1;
  std::string out;  // stdout and stderr
};

// Runs `greenmac ARGS` through the shell (ARGS is shell text); `env` is prefixed, e.g. "PATH=/x ".
inline CliResult run_cli(const std::string& args, const std::string& env = "") {
  const std::string cmd = env + "'" + std::string(GM_BINARY) + "' " + args + " 2>&1";
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// A bad command: exit 2 and exactly one line that starts with the error prefix and names `fragment`.
inline void expect_one_line_error(const CliResult& r, const std::string& fragment) {
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_EQ(count_lines(r.out), 1) << r.out;
  EXPECT_EQ(r.out.rfind("greenmac: error: ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(fragment), std::string::npos) << "wanted '" << fragment << "' in: " << r.out;
}

}  // namespace gm::test
