#include "models/tool_names.hpp"

namespace gm {

namespace {

bool ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

// The value as it can be shown on one line: control characters written as \xHH.
std::string printable(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

bool is_plain_identifier(const std::string& name) {
  if (name.empty() || !ident_start(name[0])) return false;
  for (char c : name)
    if (!ident_char(c)) return false;
  return true;
}

std::string identifier_problem(const std::string& field, const std::string& name, const std::string& fix) {
  if (is_plain_identifier(name)) return "";
  return field + "='" + printable(name) + "' is not a plain identifier; use letters, digits and _ only, "
         "starting with a letter or _ (" + fix + ")";
}

std::string path_problem(const std::string& field, const std::string& path) {
  for (unsigned char c : path)
    if (c < 0x20 || c == 0x7f)
      return field + "='" + printable(path) + "' contains a control character; rename or copy the file to a path "
             "without newlines or tabs";
  return "";
}

}  // namespace gm
