// greenmac merge DIR: joins the shards a sharded run wrote into DIR/shards (cli/shard/shard.hpp)
// into the report the unsharded run writes, and exits as that run would.
#include <iostream>

#include "cli/command.hpp"
#include "cli/shard/shard.hpp"

namespace gm {
namespace {

int run_merge(const std::string& dir) {
  const auto shards = read_shards(dir);
  const std::string& command = shards.front().command;
  const ShardMerger* merger = find_shard_merger(command);
  if (!merger) {
    std::string known;
    for (const auto& n : shard_merger_names()) known += (known.empty() ? "" : ", ") + n;
    throw UserError("the shards in " + dir + " are of '" + command + "', which merge does not know (it merges: " +
                    known + ")");
  }
  std::cerr << "merge: " << shards.size() << " shards of " << command << " in " << dir << "\n";
  return merger->merge(dir, shards);
}

const CommandRegistrar reg({
    .name = "merge",
    .help = "join the --shard I/N results in DIR/shards into the report of the unsharded run",
    .order = 95,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto dir = std::make_shared<std::string>();
          sub.add_option("DIR", *dir, "the -o DIR the shards were written to")->required();
          return [=] { return run_merge(*dir); };
        },
});

}  // namespace
}  // namespace gm
