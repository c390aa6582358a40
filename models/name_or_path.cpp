#include "models/name_or_path.hpp"

#include <algorithm>

#include "models/errors.hpp"

namespace fs = std::filesystem;

namespace gm {

namespace {

std::string choices(const NameOrPath& rule) {
  std::string out;
  for (const auto& b : rule.builtins) out += b + ", ";
  return out;
}

}  // namespace

std::optional<std::string> builtin_or_path(const NameOrPath& rule, const std::string& value) {
  if (std::find(rule.builtins.begin(), rule.builtins.end(), value) != rule.builtins.end()) return value;
  const bool has_slash = value.find('/') != std::string::npos;
  const std::string ext = fs::path(value).extension().string();
  const bool looks_like_path = has_slash || (rule.extension.empty() ? !ext.empty() : ext == rule.extension);
  const std::string path_hint = rule.extension.empty() ? "a path containing '/'"
                                                       : "a path containing '/' or ending in " + rule.extension;
  if (!looks_like_path)
    throw UserError("unknown " + rule.option + " '" + value + "'; give " + choices(rule) + "or " + path_hint +
                    " (write ./" + value + " for a file of that name)");
  std::error_code ec;
  const auto st = fs::status(value, ec);
  if (!fs::exists(st))
    throw UserError(rule.what + " '" + value + "' does not exist; give " + rule.option + " " + choices(rule) + "or " +
                    path_hint);
  if (!fs::is_regular_file(st))
    throw UserError(rule.what + " '" + value + "' is not a regular file" +
                    (fs::is_directory(st) ? " (it is a directory)" : "") + "; give " + rule.option + " " +
                    choices(rule) + "or the path of a file");
  return std::nullopt;
}

}  // namespace gm
