#include "cli/train_binary.hpp"

#include "models/errors.hpp"

namespace fs = std::filesystem;

namespace gm {

fs::path train_binary() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (ec ? fs::path(".") : self.parent_path()) / "greenmac-train";
}

fs::path require_train_binary() {
  const fs::path bin = train_binary();
  if (!fs::is_regular_file(bin))
    throw UserError("'" + bin.string() + "' is not built (it needs libtorch: install libtorch-dev and rebuild); the "
                    "shipped models/dnn/weights/*.json need no training");
  return bin;
}

}  // namespace gm
