// What may go into a Yosys script, an OpenSTA (Tcl) script or generated Verilog as a name.
//
// greenmac never pastes user text into a shell (it runs no shell), but module, port and cell names
// still end up inside tool scripts: `hierarchy -top NAME`, `insbuf -buf CELL IN OUT`, `link_design
// NAME`, and the Verilog wrappers it generates. There `;`, `[`, `$`, a quote or a newline would end
// the command or start another one (Yosys runs `!text` through a shell). Rather than escape each
// tool's way, greenmac accepts only plain Verilog identifiers for names, and never writes a user's
// file path into a script: files are copied or linked into the tool's working directory under a
// fixed name, or given to the tool as a separate argument.
#pragma once

#include <string>

namespace gm {

// [A-Za-z_][A-Za-z0-9_]*: a Verilog simple identifier that Yosys and Tcl read as one plain word
// ('$' is left out: Tcl substitutes it, and Yosys uses it for its own internal names).
bool is_plain_identifier(const std::string& name);

// "" when `name` is a plain identifier; otherwise a one-line message that names `field`, the value
// and how to fix it.
std::string identifier_problem(const std::string& field, const std::string& name,
                               const std::string& fix = "rename the module or port in the Verilog file");

// "" when `path` holds no control character (newline, tab, ...), which no generated text can carry
// safely; otherwise a one-line message naming `field` and the fix.
std::string path_problem(const std::string& field, const std::string& path);

}  // namespace gm
