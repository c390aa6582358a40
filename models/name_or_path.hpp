// Options that take either a built-in name or a file path (--model cnn|mlp|FILE, --lib osu018|FILE,
// --activity uniform|FILE) follow one rule, so that the working directory can never change what a
// command means:
//
//   * a bare built-in name always means the built-in, whatever files the working directory holds;
//   * anything else is a path, and it must look like one: it contains a '/' or ends in the file
//     type's extension (.json for models, .lib for Liberty libraries). To use a file whose name is a
//     built-in word, write it with a directory: ./mlp.
//
// --set takes names only (default), never a path.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gm {

struct NameOrPath {
  std::string option;                  // "--model"
  std::vector<std::string> builtins;   // {"cnn", "mlp"}
  std::string extension;               // ".json"; "" when any path with a '/' or a '.' will do
  std::string what;                    // "model file"
};

// The built-in name given, or nullopt when `value` is a path. Throws UserError when the value is
// neither (a bare word that is no built-in: most likely a typo), or names something that is not a
// regular file, with a message that says which.
std::optional<std::string> builtin_or_path(const NameOrPath& rule, const std::string& value);

}  // namespace gm
