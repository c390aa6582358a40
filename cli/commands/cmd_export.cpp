// greenmac export SPEC --format lut-bin|c-header|c-model -o FILE: one design as a product table for
// TFApprox or AdaPT, or as a gate-accurate C function (generator/export.hpp, docs/export.md).
#include <iostream>

#include "cli/command.hpp"
#include "generator/export.hpp"
#include "models/files.hpp"

namespace gm {
namespace {

struct ExportArgs {
  std::string spec;
  std::string format;
  std::string out;
};

int run_export(const ExportArgs& args) {
  const Spec spec = parse_spec(args.spec);
  const ExportFormat format = parse_export_format(args.format);
  // Built completely before the file is touched; written atomically.
  const std::string content = export_design(spec, format);
  write_file_atomic(args.out, content);
  std::cout << "wrote " << args.format << " of " << spec.canonical() << " (" << content.size() << " bytes) to "
            << args.out << "\n";
  return 0;
}

const CommandRegistrar reg({
    .name = "export",
    .help = "export one design: product table for TFApprox (lut-bin) or AdaPT (c-header), or a C model",
    .order = 60,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<ExportArgs>();
          sub.add_option("SPEC", args->spec, "design spec, FAMILY[:KEY=VAL,...], e.g. drum:k=4,s=1")->required();
          sub.add_option("--format", args->format,
                         "lut-bin (raw little-endian table, TFApprox layout), c-header (AdaPT lut[][]), "
                         "c-model (C function translated from the Verilog)")
              ->required();
          sub.add_option("-o,--out", args->out, "output file")->required();
          return [=] { return run_export(*args); };
        },
});

}  // namespace
}  // namespace gm
