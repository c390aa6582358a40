#include "models/files.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "models/errors.hpp"

namespace fs = std::filesystem;

namespace gm {

void ensure_output_dir(const fs::path& dir, const std::string& option) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw UserError("cannot create output directory '" + dir.string() + "' (" +
                    (ec ? ec.message() : "a file of that name exists") + "); choose a writable path with " + option);
  if (access(dir.c_str(), W_OK) != 0)
    throw UserError("output directory '" + dir.string() + "' is not writable; choose another with " + option);
}

void ensure_output_file(const fs::path& file, const std::string& option) {
  std::error_code ec;
  if (fs::is_directory(file, ec))
    throw UserError(option + " '" + file.string() + "' is a directory; give the path of a file");
  const fs::path parent = file.parent_path();
  ensure_output_dir(parent.empty() ? fs::path(".") : parent, option);
}

fs::path temp_beside(const fs::path& path) {
  static std::atomic<unsigned> serial{0};  // threads may write beside each other
  return path.string() + ".tmp" + std::to_string(getpid()) + "." + std::to_string(serial++);
}

void write_file_atomic(const fs::path& path, const std::string& content) {
  std::error_code dir_ec;
  if (fs::is_directory(path, dir_ec))  // rename() would fail later with a confusing reason
    throw UserError("cannot write '" + path.string() + "': it is a directory; give the path of a file");
  const fs::path tmp = temp_beside(path);
  register_scratch(tmp);  // an interrupt removes it; the finished file appears whole or not at all
  struct Unregister {
    const fs::path& p;
    ~Unregister() { unregister_scratch(p); }
  } unregister{tmp};
  {
    std::ofstream out(tmp, std::ios::binary);
    out << content;
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw UserError("cannot write '" + path.string() + "'; check that its directory exists and is writable");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw UserError("cannot write '" + path.string() + "' (" + ec.message() + ")");
  }
}

std::string read_file(const fs::path& path) {
  std::error_code dir_ec;
  if (fs::is_directory(path, dir_ec))  // an ifstream opens a directory and then reads nothing
    throw UserError("cannot read '" + path.string() + "': it is a directory; give the path of a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot read '" + path.string() + "'; check the path and its permissions");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace gm
