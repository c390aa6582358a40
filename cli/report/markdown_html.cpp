#include "cli/report/markdown_html.hpp"

#include <map>
#include <optional>
#include <vector>

namespace gm {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

size_t indent_of(std::string_view line) {
  size_t n = 0;
  for (char c : line) {
    if (c == ' ') n += 1;
    else if (c == '\t') n += 4;
    else break;
  }
  return n;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != lower(prefix[i])) return false;
  return true;
}

// CommonMark's escapable characters: a backslash before one of them makes it literal text.
bool is_escapable(char c) { return std::string_view("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").find(c) != std::string_view::npos; }

// `[text](target)` starting at t[open] == '['; nested brackets and parentheses are balanced.
struct LinkParts {
  std::string_view text, target;
  size_t end;  // one past the ')'
};

std::optional<LinkParts> parse_link(std::string_view t, size_t open) {
  int depth = 0;
  size_t close = std::string_view::npos;
  for (size_t i = open; i < t.size(); ++i) {
    if (t[i] == '\\') { ++i; continue; }
    if (t[i] == '[') ++depth;
    if (t[i] == ']' && --depth == 0) { close = i; break; }
  }
  if (close == std::string_view::npos || close + 1 >= t.size() || t[close + 1] != '(') return std::nullopt;
  depth = 0;
  for (size_t i = close + 1; i < t.size(); ++i) {
    if (t[i] == '(') ++depth;
    if (t[i] == ')' && --depth == 0) {
      std::string_view target = trim(t.substr(close + 2, i - close - 2));
      const size_t space = target.find(' ');  // a "title" after the address is dropped
      if (space != std::string_view::npos) target = target.substr(0, space);
      if (target.size() >= 2 && target.front() == '<' && target.back() == '>') target = target.substr(1, target.size() - 2);
      return LinkParts{t.substr(open + 1, close - open - 1), target, i + 1};
    }
  }
  return std::nullopt;
}

std::string default_image(const std::string& alt, const std::string& src) {
  const std::string href = safe_href(src);
  const bool relative = !href.empty() && href.find(':') == std::string::npos && href.front() != '#';
  if (!relative) return html_escape(alt);  // an address elsewhere would be a network load
  return "<img src=\"" + html_escape(href) + "\" alt=\"" + html_escape(alt) + "\">";
}

size_t run_length(std::string_view t, size_t i, char c) {
  size_t n = 0;
  while (i + n < t.size() && t[i + n] == c) ++n;
  return n;
}

// A code span of `n` backticks opened at t[i]: the index of a closing run of exactly n, or npos.
size_t code_span_close(std::string_view t, size_t i, size_t n) {
  for (size_t j = i + n; j < t.size();) {
    const size_t m = run_length(t, j, '`');
    if (m == n) return j;
    j += m ? m : 1;
  }
  return std::string_view::npos;
}

// ---- tables ----------------------------------------------------------------------------------

// A row's cells: the outer pipes dropped, split at every pipe that is not backslash-escaped (as
// GitHub does, also inside code spans; `\|` is a literal pipe).
std::vector<std::string> split_row(std::string_view line) {
  line = trim(line);
  if (!line.empty() && line.front() == '|') line.remove_prefix(1);
  if (!line.empty() && line.back() == '|' && !(line.size() >= 2 && line[line.size() - 2] == '\\')) line.remove_suffix(1);
  std::vector<std::string> cells(1);
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cells.back() += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.emplace_back();
    } else {
      cells.back() += line[i];
    }
  }
  for (auto& c : cells) c = std::string(trim(c));
  return cells;
}

// The |---|:--:|--:| line under a table's header: each cell's alignment ("", left, center, right),
// or nullopt when the line is not one.
std::optional<std::vector<std::string>> table_alignments(std::string_view line) {
  if (trim(line).find('|') == std::string_view::npos) return std::nullopt;
  std::vector<std::string> align;
  for (const auto& cell : split_row(line)) {
    if (cell.empty()) return std::nullopt;
    const bool left = cell.front() == ':', right = cell.back() == ':';
    const std::string_view dashes = std::string_view(cell).substr(left, cell.size() - left - right);
    if (dashes.empty() || dashes.find_first_not_of('-') != std::string_view::npos) return std::nullopt;
    align.push_back(left && right ? "center" : right ? "right" : left ? "left" : "");
  }
  return align;
}

bool is_table_line(std::string_view line) { return !trim(line).empty() && trim(line).front() == '|'; }

// ---- lists -----------------------------------------------------------------------------------

struct ListItem {
  size_t indent;
  bool ordered;
  std::string_view text;
};

// "- x", "* x", "+ x", "1. x", "1) x" with its indentation; nullopt for any other line.
std::optional<ListItem> list_item(std::string_view line) {
  const size_t indent = indent_of(line);
  const std::string_view rest = line.substr(line.find_first_not_of(" \t"));
  size_t marker = 0;
  bool ordered = false;
  if (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') {
    marker = 1;
  } else {
    while (marker < rest.size() && marker < 9 && rest[marker] >= '0' && rest[marker] <= '9') ++marker;
    if (marker == 0 || marker >= rest.size() || (rest[marker] != '.' && rest[marker] != ')')) return std::nullopt;
    ++marker;
    ordered = true;
  }
  if (marker < rest.size() && !is_space(rest[marker])) return std::nullopt;
  return ListItem{indent, ordered, trim(rest.substr(marker))};
}

bool is_rule(std::string_view line) {
  const std::string_view t = trim(line);
  if (t.size() < 3 || (t[0] != '-' && t[0] != '*' && t[0] != '_')) return false;
  return t.find_first_not_of(std::string(1, t[0]) + " ") == std::string_view::npos;
}

int heading_level(std::string_view line) {
  size_t n = run_length(line, 0, '#');
  if (n == 0 || n > 6) return 0;
  return (n == line.size() || is_space(line[n])) ? static_cast<int>(n) : 0;
}

// The block renderer: one pass over the lines, with the open paragraph and lists as state.
class BlockRenderer {
 public:
  explicit BlockRenderer(const MarkdownOptions& opt) : opt_(opt) {}

  std::string render(std::string_view md) {
    std::vector<std::string_view> lines;
    for (size_t start = 0; start <= md.size();) {
      size_t end = md.find('\n', start);
      if (end == std::string_view::npos) end = md.size();
      std::string_view l = md.substr(start, end - start);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      lines.push_back(l);
      start = end + 1;
    }
    for (size_t i = 0; i < lines.size(); ++i) i = block(lines, i);
    close_all();
    return out_;
  }

 private:
  // Renders the block starting at lines[i]; returns the index of its last line.
  size_t block(const std::vector<std::string_view>& lines, size_t i) {
    const std::string_view line = lines[i], t = trim(line);
    if (t.empty()) {
      flush_paragraph();
      if (!lists_.empty() && !continues_list(lines, i + 1)) close_lists(0, true);
      return i;
    }
    if (t.substr(0, 3) == "```") return fenced_code(lines, i);
    if (int level = heading_level(t)) {
      close_all();
      const std::string_view text = trim(t.substr(static_cast<size_t>(level)));
      const int shown = std::min(6, level + opt_.heading_offset);
      const std::string h = "h" + std::to_string(shown);
      out_ += "<" + h + " id=\"" + unique_id(text) + "\">" + markdown_inline(text, opt_) + "</" + h + ">\n";
      return i;
    }
    if (is_table_line(line) && i + 1 < lines.size()) {
      if (auto align = table_alignments(lines[i + 1])) return table(lines, i, *align);
    }
    if (paragraph_.empty() && is_rule(line) && !list_item(line)) {
      close_all();
      out_ += "<hr>\n";
      return i;
    }
    if (auto item = list_item(line)) {
      flush_paragraph();
      open_item(*item);
      return i;
    }
    if (!lists_.empty() && indent_of(line) > lists_.back().indent) {  // an item's continuation line
      item_text_ += std::string(item_text_.empty() ? "" : " ") + std::string(t);
      return i;
    }
    if (!lists_.empty()) close_lists(0, true);
    paragraph_ += std::string(paragraph_.empty() ? "" : "\n") + std::string(t);
    return i;
  }

  // After a blank line, a list goes on when the next non-blank line is an item or indented under one.
  bool continues_list(const std::vector<std::string_view>& lines, size_t i) const {
    while (i < lines.size() && trim(lines[i]).empty()) ++i;
    return i < lines.size() && (list_item(lines[i]) || indent_of(lines[i]) > lists_.front().indent);
  }

  size_t fenced_code(const std::vector<std::string_view>& lines, size_t i) {
    close_all();
    const std::string_view info = trim(trim(lines[i]).substr(3));
    out_ += info.empty() ? "<pre><code>" : "<pre><code class=\"language-" + html_escape(info) + "\">";
    size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]).substr(0, 3) != "```"; ++j) out_ += html_escape(lines[j]) + "\n";
    out_ += "</code></pre>\n";
    return j < lines.size() ? j : lines.size() - 1;
  }

  size_t table(const std::vector<std::string_view>& lines, size_t i, const std::vector<std::string>& align) {
    close_all();
    const std::vector<std::string> header = split_row(lines[i]);
    const size_t columns = header.size();
    auto row = [&](const std::vector<std::string>& cells, const char* tag) {
      out_ += "<tr>";
      for (size_t c = 0; c < columns; ++c) {
        const std::string a = c < align.size() ? align[c] : "";
        out_ += std::string("<") + tag + (a.empty() ? "" : " style=\"text-align:" + a + "\"") + ">" +
                (c < cells.size() ? markdown_inline(cells[c], opt_) : "") + "</" + tag + ">";
      }
      out_ += "</tr>\n";
    };
    out_ += "<table>\n<thead>";
    row(header, "th");
    out_ += "</thead>\n<tbody>\n";
    size_t j = i + 2;
    for (; j < lines.size() && is_table_line(lines[j]); ++j) row(split_row(lines[j]), "td");
    out_ += "</tbody>\n</table>\n";
    return j - 1;
  }

  void open_item(const ListItem& item) {
    flush_item_text();
    close_lists(item.indent + 1, false);  // the lists nested deeper than this item
    if (!lists_.empty() && lists_.back().indent == item.indent && lists_.back().ordered != item.ordered)
      close_lists(item.indent, false);  // a list of the other kind at the same depth starts anew
    if (!lists_.empty() && lists_.back().indent == item.indent) {
      out_ += "</li>\n<li>";
    } else {
      lists_.push_back({item.indent, item.ordered, item.text});
      out_ += item.ordered ? "<ol>\n<li>" : "<ul>\n<li>";
    }
    item_text_ = std::string(item.text);
  }

  // Closes every open list whose indentation is at least `min_indent` (all of them with 0).
  void close_lists(size_t min_indent, bool all) {
    flush_item_text();
    while (!lists_.empty() && (all || lists_.back().indent >= min_indent)) {
      out_ += lists_.back().ordered ? "</li>\n</ol>\n" : "</li>\n</ul>\n";
      lists_.pop_back();
    }
  }

  void flush_item_text() {
    if (!item_text_.empty()) out_ += markdown_inline(item_text_, opt_);
    item_text_.clear();
  }

  void flush_paragraph() {
    if (paragraph_.empty()) return;
    out_ += "<p>" + markdown_inline(paragraph_, opt_) + "</p>\n";
    paragraph_.clear();
  }

  void close_all() {
    flush_paragraph();
    close_lists(0, true);
  }

  std::string unique_id(std::string_view text) {
    std::string id = heading_id(text);
    const int n = ++ids_[id];
    return n == 1 ? id : id + "-" + std::to_string(n);
  }

  const MarkdownOptions& opt_;
  std::string out_, paragraph_, item_text_;
  std::vector<ListItem> lists_;
  std::map<std::string, int> ids_;
};

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string safe_href(std::string_view url) {
  url = trim(url);
  if (url.empty()) return "";
  for (char c : url)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "";
  if (url.front() == '#') return std::string(url);
  if (url.substr(0, 2) == "//" || url.substr(0, 2) == "\\\\") return "";  // another host
  const size_t colon = url.find(':');
  const size_t stop = url.find_first_of("/?#");
  if (colon != std::string_view::npos && (stop == std::string_view::npos || colon < stop)) {
    // A scheme: only http(s), which a click opens and nothing else does.
    if (!starts_with_nocase(url, "http://") && !starts_with_nocase(url, "https://")) return "";
  }
  return std::string(url);
}

std::string url_path(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("-._~/").find(ch) != std::string_view::npos;
    if (plain) out += ch;
    else out += std::string("%") + hex[c >> 4] + hex[c & 15];
  }
  return out;
}

std::string heading_id(std::string_view text) {
  std::string id;
  for (char ch : text) {
    const char c = lower(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) id += c;
    else if (!id.empty() && id.back() != '-') id += '-';
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id.empty() ? "section" : id;
}

std::string markdown_inline(std::string_view t, const MarkdownOptions& opt) {
  std::string out;
  for (size_t i = 0; i < t.size();) {
    const char c = t[i];
    if (c == '\\' && i + 1 < t.size() && is_escapable(t[i + 1])) {
      out += html_escape(t.substr(i + 1, 1));
      i += 2;
      continue;
    }
    if (c == '`') {
      const size_t n = run_length(t, i, '`');
      const size_t close = code_span_close(t, i, n);
      if (close == std::string_view::npos) {
        out += std::string(n, '`');
        i += n;
        continue;
      }
      std::string_view code = t.substr(i + n, close - i - n);
      if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ' && trim(code).size()) code = code.substr(1, code.size() - 2);
      out += "<code>" + html_escape(code) + "</code>";
      i = close + n;
      continue;
    }
    if ((c == '!' && i + 1 < t.size() && t[i + 1] == '[') || c == '[') {
      const bool image = c == '!';
      if (auto link = parse_link(t, i + image)) {
        if (image) {
          const std::string alt(link->text), src(link->target);
          out += opt.image ? opt.image(alt, src) : default_image(alt, src);
        } else {
          const std::string href = safe_href(link->target), text = markdown_inline(link->text, opt);
          out += href.empty() ? text : "<a href=\"" + html_escape(href) + "\">" + text + "</a>";
        }
        i = link->end;
        continue;
      }
    }
    if (c == '*' && t.substr(i, 2) == "**") {
      const size_t close = t.find("**", i + 2);
      if (close != std::string_view::npos && close > i + 2) {
        out += "<strong>" + markdown_inline(t.substr(i + 2, close - i - 2), opt) + "</strong>";
        i = close + 2;
        continue;
      }
    }
    // *italic*: the stars must hug the text, so that `a * b` stays a product.
    if (c == '*' && i + 1 < t.size() && !is_space(t[i + 1]) && t[i + 1] != '*') {
      const size_t close = t.find('*', i + 1);
      if (close != std::string_view::npos && !is_space(t[close - 1])) {
        out += "<em>" + markdown_inline(t.substr(i + 1, close - i - 1), opt) + "</em>";
        i = close + 1;
        continue;
      }
    }
    out += html_escape(t.substr(i, 1));
    ++i;
  }
  return out;
}

std::string markdown_to_html(std::string_view markdown, const MarkdownOptions& opt) {
  return BlockRenderer(opt).render(markdown);
}

}  // namespace gm
