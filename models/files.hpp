// File output that never leaves a half-written file: write to a temporary beside the target, then
// rename over it.
#pragma once

#include <filesystem>
#include <string>

#include "models/scratch.hpp"

namespace gm {

// Creates the directory (and parents) and checks it is writable; throws UserError otherwise.
void ensure_output_dir(const std::filesystem::path& dir, const std::string& option = "-o");

// Checks, before any work, that `file` can be written later: not a directory, and its directory
// exists (created if need be) and is writable. Throws UserError naming `option` otherwise.
void ensure_output_file(const std::filesystem::path& file, const std::string& option = "-o");

// A name beside `path` that no other writer uses: `path` + ".tmp<pid>.<serial>". Two processes, or
// two threads, writing the same target each get their own.
std::filesystem::path temp_beside(const std::filesystem::path& path);

// Writes atomically; throws UserError when the file cannot be written.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

std::string read_file(const std::filesystem::path& path);  // throws UserError when unreadable

}  // namespace gm
