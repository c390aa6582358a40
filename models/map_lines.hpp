// The line format of greenmac's map files (gen-array's --mul-map, the DNN's per-layer --mul-map):
// `#` starts a comment that runs to the end of the line, blank lines are skipped, and the rest of a
// line is whitespace-separated tokens. Each kind of file gives the tokens its own meaning.
#pragma once

#include <string>
#include <vector>

namespace gm {

struct MapLine {
  std::string where;                // "origin:line number", for messages
  std::vector<std::string> tokens;  // at least one
  std::string text() const;         // the tokens joined by single spaces (the line without its comment)
};

// The non-blank lines of `text`; `origin` (a file name) starts each line's `where`.
std::vector<MapLine> map_lines(const std::string& text, const std::string& origin);

}  // namespace gm
