#include "cli/report/svg_inline.hpp"

#include <algorithm>
#include <array>

#include "models/errors.hpp"

namespace gm {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '-' ||
         c == '_' || c == '.';
}

// Elements removed with everything inside them.
bool is_removed_element(const std::string& name) {
  static const std::array<const char*, 7> removed = {"script", "style", "foreignobject", "iframe", "object",
                                                     "embed", "handler"};
  return std::any_of(removed.begin(), removed.end(), [&](const char* r) { return name == r; });
}

// Finds `needle` case-insensitively from `from`.
size_t find_nocase(std::string_view hay, std::string_view needle, size_t from) {
  const std::string h = lowered(hay), n = lowered(needle);
  return h.find(n, from);
}

// url(#x) -> url(#PREFIXx) inside an attribute value.
std::string prefix_url_refs(std::string value, const std::string& prefix) {
  for (size_t at = value.find("url(#"); at != std::string::npos; at = value.find("url(#", at + 5 + prefix.size()))
    value.insert(at + 5, prefix);
  return value;
}

// One start tag's attributes, rewritten as the header says; `tag` is the text between the name and '>'.
std::string rewrite_attributes(std::string_view tag, const std::string& prefix) {
  std::string out;
  size_t i = 0;
  while (i < tag.size()) {
    if (!is_name_char(tag[i])) {  // spaces, a closing '/'
      out += tag[i++];
      continue;
    }
    const size_t name_start = i;
    while (i < tag.size() && is_name_char(tag[i])) ++i;
    const std::string name = lowered(tag.substr(name_start, i - name_start));
    size_t j = i;
    while (j < tag.size() && (tag[j] == ' ' || tag[j] == '\t' || tag[j] == '\n' || tag[j] == '\r')) ++j;
    std::string value;
    char quote = '"';
    bool has_value = false;
    if (j < tag.size() && tag[j] == '=') {
      ++j;
      while (j < tag.size() && (tag[j] == ' ' || tag[j] == '\t' || tag[j] == '\n' || tag[j] == '\r')) ++j;
      has_value = true;
      if (j < tag.size() && (tag[j] == '"' || tag[j] == '\'')) {
        quote = tag[j];
        const size_t end = tag.find(quote, j + 1);
        const size_t stop = end == std::string_view::npos ? tag.size() : end;
        value = std::string(tag.substr(j + 1, stop - j - 1));
        j = end == std::string_view::npos ? tag.size() : end + 1;
      } else {
        const size_t start = j;
        while (j < tag.size() && tag[j] != ' ' && tag[j] != '\t' && tag[j] != '\n' && tag[j] != '/') ++j;
        value = std::string(tag.substr(start, j - start));
      }
    }
    i = j;
    const std::string raw_name(tag.substr(name_start, name.size()));
    if (name.rfind("on", 0) == 0) continue;  // event handlers
    if (name == "xmlns" || name.rfind("xmlns:", 0) == 0) continue;  // HTML knows the SVG names; no URL text
    if (lowered(value).find("javascript:") != std::string::npos) continue;
    if (name == "href" || name == "xlink:href" || name == "src") {
      if (value.empty() || value[0] != '#') continue;  // would fetch or navigate
      value.insert(1, prefix);
    } else if (name == "id") {
      value = prefix + value;
    } else {
      value = prefix_url_refs(value, prefix);
    }
    if (quote == '"' && value.find('"') != std::string::npos) quote = '\'';
    out += raw_name + (has_value ? "=" + std::string(1, quote) + value + std::string(1, quote) : "");
  }
  return out;
}

}  // namespace

std::string inline_svg(std::string_view svg, const std::string& id_prefix) {
  const size_t begin = find_nocase(svg, "<svg", 0);
  if (begin == std::string_view::npos) throw UserError("not an SVG file (no <svg element)");
  const size_t close = find_nocase(svg, "</svg>", begin);
  const std::string_view body = svg.substr(begin, close == std::string_view::npos ? std::string_view::npos : close + 6 - begin);
  std::string out;
  out.reserve(body.size() + body.size() / 8);
  for (size_t i = 0; i < body.size();) {
    if (body[i] != '<') {
      out += body[i++];
      continue;
    }
    if (body.substr(i, 9) == "<![CDATA[") {  // text, kept as it is
      const size_t end = body.find("]]>", i);
      const size_t stop = end == std::string_view::npos ? body.size() : end + 3;
      out += body.substr(i, stop - i);
      i = stop;
      continue;
    }
    if (body.substr(i, 4) == "<!--") {
      const size_t end = body.find("-->", i + 4);
      i = end == std::string_view::npos ? body.size() : end + 3;
      continue;
    }
    const size_t end = body.find('>', i);
    if (end == std::string_view::npos) break;  // a cut-off tag is dropped
    if (body[i + 1] == '?' || body[i + 1] == '!') {  // processing instructions, doctypes
      i = end + 1;
      continue;
    }
    if (body[i + 1] == '/') {  // an end tag: kept as it is
      out += body.substr(i, end + 1 - i);
      i = end + 1;
      continue;
    }
    size_t n = i + 1;
    while (n < end && is_name_char(body[n])) ++n;
    const std::string name = lowered(body.substr(i + 1, n - i - 1));
    const bool self_closing = body[end - 1] == '/';
    if (is_removed_element(name)) {
      if (self_closing) {
        i = end + 1;
      } else {
        const size_t stop = find_nocase(body, "</" + name, end);
        const size_t gt = stop == std::string_view::npos ? std::string_view::npos : body.find('>', stop);
        i = gt == std::string_view::npos ? body.size() : gt + 1;
      }
      continue;
    }
    out += "<" + std::string(body.substr(i + 1, n - i - 1)) + rewrite_attributes(body.substr(n, end - n), id_prefix) + ">";
    i = end + 1;
  }
  return out;
}

}  // namespace gm
