// The RTL side of each family: a generator that builds the Verilog module for a spec.
//
// Each generator/<family>.cpp registers its builder through a static GeneratorRegistrar. Spec parsing
// and parameter tables live with the models (models/spec.hpp) and are shared; the structure built
// here is written independently of the arithmetic model that verification compares it against.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/spec.hpp"

namespace gm::rtl {

// Builds the complete Verilog file for the spec; module name = spec.name(). `header` holds the lines
// every file starts with (tool, version, spec, "do not edit").
using GenerateFn = std::function<std::string(const Spec& spec, const std::vector<std::string>& header)>;

void register_generator(const std::string& family, GenerateFn fn);
const GenerateFn* find_generator(const std::string& family);
std::vector<std::string> generator_families();

struct GeneratorRegistrar {
  GeneratorRegistrar(const std::string& family, GenerateFn fn) { register_generator(family, std::move(fn)); }
};

// A check that a design can be generated at all, run before its generator: the ext family's
// module is read and checked by Yosys (tb/ext_table.cpp installs that check, since the generator
// itself runs no tool). It throws UserError with what is wrong.
using DesignCheckFn = std::function<void(const Spec& spec)>;
void register_design_check(const std::string& family, DesignCheckFn fn);

struct DesignCheckRegistrar {
  DesignCheckRegistrar(const std::string& family, DesignCheckFn fn) { register_design_check(family, std::move(fn)); }
};

// The Verilog text of one design, with the standard header. Throws for a family without generator.
std::string generate_verilog(const Spec& spec);

// The header lines every generated file starts with.
std::vector<std::string> file_header(const Spec& spec);

}  // namespace gm::rtl
