// Checks of the progress a command prints on stderr (models/progress.hpp) when stderr is not a
// terminal, as run_cli captures it: plain lines, each named after the command.
#pragma once

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace gm::test {

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Every stderr line is a progress line of `command` ("greenmac: dnn tune: ..."), and none is a
// terminal redraw (a partial line).
inline void expect_only_progress_lines(const std::string& err, const std::string& command) {
  const std::string prefix = "greenmac: " + command + ": ";
  size_t start = 0;
  for (size_t end; (end = err.find('\n', start)) != std::string::npos; start = end + 1)
    EXPECT_EQ(err.compare(start, prefix.size(), prefix), 0) << err.substr(start, end - start);
  EXPECT_EQ(start, err.size()) << "a partial line (a terminal redraw) in a non-terminal log: " << err;
}

// The last progress line of `command`: "greenmac: COMMAND: done in M:SS: STAGE D/T UNIT, ...".
inline std::string final_progress_line(const std::string& err, const std::string& command) {
  const size_t at = err.rfind("greenmac: " + command + ": done in ");
  if (at == std::string::npos) return "";
  return err.substr(at, err.find('\n', at) - at);
}

// Every "DONE/TOTAL" count of a final line is complete; and there is at least one.
inline void expect_every_stage_done(const std::string& final_line) {
  static const std::regex count(R"(\b(\d+)/(\d+)\b)");
  int counts = 0;
  for (std::sregex_iterator it(final_line.begin(), final_line.end(), count), end; it != end; ++it, ++counts)
    EXPECT_EQ((*it)[1].str(), (*it)[2].str()) << final_line;
  EXPECT_GT(counts, 0) << "no counted stage in: '" << final_line << "'";
}

}  // namespace gm::test
