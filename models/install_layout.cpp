#include "models/install_layout.hpp"

#include <system_error>

#include "models/errors.hpp"

namespace fs = std::filesystem;

namespace gm {

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw UserError("cannot find greenmac's own executable (/proc/self/exe: " + ec.message() + ")");
  return exe.parent_path();
}

const fs::path& data_dir() {
  static const fs::path dir = [] {
    const fs::path exe_dir = executable_dir();
    for (const fs::path& candidate : {exe_dir / ".." / "share" / "greenmac", exe_dir / "share" / "greenmac"}) {
      std::error_code ec;
      if (fs::is_directory(candidate / "rtl", ec)) return fs::weakly_canonical(candidate);
    }
    throw UserError("greenmac's data files (share/greenmac/rtl) are not beside " + exe_dir.string() +
                    "; run greenmac from its build directory or from an installed prefix (`make install PREFIX=...`)");
  }();
  return dir;
}

fs::path data_file(const fs::path& relative) { return data_dir() / relative; }

fs::path models_library() { return data_dir().parent_path().parent_path() / "lib" / "greenmac" / "libgm_models.a"; }

}  // namespace gm
