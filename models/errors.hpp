// The error types every layer throws for a user's mistake. The CLI turns each into one stderr line
// "greenmac: error: ..." and exit status 2 (cli/main.cpp); SpecError (models/spec.hpp) and
// DataError (models/dnn/idx.hpp) are its relatives for spec strings and data files.
#pragma once

#include <stdexcept>

namespace gm {

// A user mistake outside spec strings (unwritable directory, missing tool, unreadable file). The
// message is one line that says what is wrong and how to fix it; the exit code is 2.
struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace gm
