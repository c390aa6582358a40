// Running the built greenmac binary from tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <vector>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "tb/process.hpp"

namespace gm::test {

struct CliResult {
  int rc = -1;
  std::string out;  // stdout only
  std::string err;  // stderr only
};

// Splits command text into words the way a POSIX shell quotes them ('...', "...", backslash), with
// no expansion of any kind: the tests write arguments as text, greenmac gets them as an argv.
inline std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word), word.clear(), in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const size_t end = text.find('\'', i + 1);
      if (end == std::string::npos) throw std::invalid_argument("unterminated ' in: " + text);
      word += text.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && std::string("\"\\$`").find(text[i + 1]) != std::string::npos) ++i;
        word += text[i];
      }
      if (i >= text.size()) throw std::invalid_argument("unterminated \" in: " + text);
    } else if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// Runs `BINARY ARGS` from an argument vector (ARGS is split by split_words); `env` holds
// NAME=VALUE words set for the run, e.g. "PATH=/x "; `cwd`, when given, is its working directory.
// stdout goes to a temporary file and stderr is captured, so the two streams stay apart.
inline CliResult run_binary(const std::filesystem::path& binary, const std::string& args, const std::string& env = "",
                            const std::filesystem::path& cwd = {}) {
  CliResult r;
  std::vector<std::string> argv = {binary.string()};
  for (auto& w : split_words(args)) argv.push_back(std::move(w));
  std::string out_path = (std::filesystem::temp_directory_path() / "gm-cli-stdout-XXXXXX").string();
  const int fd = mkstemp(out_path.data());
  if (fd < 0) return r;
  close(fd);
  const gm::RunResult res = gm::run_program(argv, {.cwd = cwd, .stdout_file = out_path, .env = split_words(env)});
  r.rc = res.exit_code;
  r.err = res.output;
  std::ifstream in(out_path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  r.out = ss.str();
  std::remove(out_path.c_str());
  return r;
}

// run_binary with the greenmac of the build tree.
inline CliResult run_cli(const std::string& args, const std::string& env = "",
                         const std::filesystem::path& cwd = {}) {
  return run_binary(GM_BINARY, args, env, cwd);
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
