// greenmac slurm COMMAND ARGS... --tasks N [--partition P] [--time T] [--mem M] -o DIR [--submit]:
// a sharded command (--shard I/N, cli/shard/shard.hpp) as a Slurm job array of N tasks and a merge
// job after it (cli/slurm/sbatch_scripts.hpp); --submit submits both. greenmac slurm --resubmit DIR
// submits again only the tasks whose shard file is missing, and a new merge job. docs/cluster.md.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <unistd.h>

#include "cli/cli_errors.hpp"
#include "cli/command.hpp"
#include "cli/shard/shard.hpp"
#include "cli/slurm/slurm_run.hpp"

namespace gm {
namespace {
namespace fs = std::filesystem;

constexpr size_t kMaxTasks = 100000;  // parse_shard's limit on N

struct SlurmArgs {
  std::string command;
  size_t tasks = 0;
  std::string partition, time, mem;
  std::string out;
  std::string greenmac;
  std::string resubmit;
  bool submit = false;
  CLI::App* sub = nullptr;  // its remaining() are the command's ARGS
};

std::string sharding_commands() {
  std::string known;
  for (const auto& n : shard_merger_names()) known += (known.empty() ? "" : ", ") + n;
  return known.empty() ? "none in this build" : known;
}

// ARGS parsed by COMMAND's own parser (with the --shard and -o the tasks get), so that a typo stops
// here instead of in every one of the N tasks. Nothing runs: the parsed values are dropped.
void check_command_args(const std::string& command, const std::vector<std::string>& args, size_t tasks,
                        const fs::path& out) {
  for (const auto& def : all_commands()) {
    if (def.name != command) continue;
    CLI::App app{"greenmac"};
    CLI::App* sub = app.add_subcommand(command, def.help);
    const RunFn keep = def.setup(*sub);  // owns the variables the options write to; never called
    std::vector<std::string> argv = {command};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const char* w : {"--shard", "", "-o", ""}) argv.emplace_back(w);
    argv[argv.size() - 3] = "0/" + std::to_string(tasks);
    argv.back() = out.string();
    std::reverse(argv.begin(), argv.end());  // CLI11 takes a vector last word first
    try {
      app.parse(argv);
    } catch (const CLI::ParseError& e) {
      throw UserError("the ARGS of " + command + " do not parse: " + one_line(e.what()) + " (see greenmac " +
                      command + " --help)");
    }
    if (sub->get_option("-o")->count() != 1)
      throw UserError("give the output directory to greenmac slurm (-o DIR), not in the ARGS of " + command);
    return;
  }
}

fs::path greenmac_binary(const std::string& given) {
  if (given.empty()) {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) throw UserError("cannot find greenmac's own executable (/proc/self/exe); give --greenmac PATH");
    return self;
  }
  const fs::path p = fs::absolute(given);
  if (!fs::is_regular_file(p) || access(p.c_str(), X_OK) != 0)
    throw UserError("--greenmac " + given + " is not an executable file; give the greenmac the tasks should run");
  return p;
}

SlurmJob job_from_args(const SlurmArgs& a) {
  if (a.command.empty())
    throw UserError("give the COMMAND to run as a job array (greenmac slurm COMMAND ARGS... --tasks N -o DIR), "
                    "or --resubmit DIR");
  if (!find_shard_merger(a.command))
    throw UserError("'" + a.command + "' does not shard (no --shard I/N), so it cannot be a job array; the commands "
                    "that shard: " + sharding_commands());
  if (a.tasks == 0 || a.tasks > kMaxTasks)
    throw UserError("--tasks N is required, 1 <= N <= " + std::to_string(kMaxTasks) + " (the array's size)");
  if (a.out.empty()) throw UserError("-o DIR is required: the shards, the report and the sbatch files go there");
  SlurmJob job;
  job.command = a.command;
  job.args = a.sub->remaining();
  for (const auto& w : job.args)
    if (w == "--shard" || w.rfind("--shard=", 0) == 0)
      throw UserError("ARGS hold --shard; leave it out: task I of the array runs --shard I/N itself");
  job.tasks = a.tasks;
  job.out_dir = fs::absolute(a.out).lexically_normal();
  check_directive_value("-o DIR (absolute: " + job.out_dir.string() + ")", job.out_dir.string());
  for (const auto& [name, value] : {std::pair{"--partition", &a.partition}, {"--time", &a.time}, {"--mem", &a.mem}})
    if (!value->empty()) check_directive_value(name, *value);
  job.partition = a.partition;
  job.time = a.time;
  job.mem = a.mem;
  job.greenmac = greenmac_binary(a.greenmac);
  job.work_dir = fs::current_path();
  if (const char* cache = std::getenv("GREENMAC_CACHE"); cache && *cache) job.cache = fs::absolute(cache).string();
  check_command_args(job.command, job.args, job.tasks, job.out_dir);
  return job;
}

void print_submission(const SlurmJob& job, const Submission& s) {
  if (!s.array_id.empty())
    std::cout << "array job " << s.array_id << " (" << s.indices.size() << " of " << job.tasks
              << " tasks: " << array_list(s.indices) << "), ";
  std::cout << "merge job " << s.merge_id << (s.array_id.empty() ? "" : " after it") << "; report in "
            << job.out_dir.string() << "/report.md, logs in " << job.out_dir.string() << "/logs\n";
}

int run_new(const SlurmArgs& a) {
  const SlurmJob job = job_from_args(a);
  write_slurm_files(job);
  if (!a.submit) {
    std::cout << "wrote " << (job.out_dir / "job.sbatch").string() << " (" << job.tasks << " tasks) and "
              << (job.out_dir / "merge.sbatch").string() << "; submit both with bash "
              << (job.out_dir / "submit.sh").string() << "\n";
    return 0;
  }
  std::vector<size_t> all(job.tasks);
  for (size_t i = 0; i < job.tasks; ++i) all[i] = i;
  print_submission(job, submit_job(job, all));
  return 0;
}

int run_resubmit(const SlurmArgs& a) {
  if (!a.command.empty() || a.tasks != 0 || !a.out.empty() || !a.greenmac.empty() || !a.sub->remaining().empty())
    throw UserError("--resubmit DIR takes the job from DIR/slurm.json: give no COMMAND, ARGS, --tasks, -o or "
                    "--greenmac (only --partition, --time, --mem to override)");
  const SlurmJob job = read_slurm_job(a.resubmit);
  std::vector<std::string> overrides;
  for (const auto& [name, value] : {std::pair{"--partition", &a.partition}, {"--time", &a.time}, {"--mem", &a.mem}})
    if (!value->empty()) {
      check_directive_value(name, *value);
      overrides.push_back(std::string(name) + "=" + *value);
    }
  const std::vector<size_t> missing = missing_shards(job);
  if (missing.empty()) std::cerr << "slurm: all " << job.tasks << " shards are there; submitting the merge alone\n";
  print_submission(job, submit_job(job, missing, overrides));
  return 0;
}

const CommandRegistrar reg({
    .name = "slurm",
    .help = "run a sharded command as a Slurm job array of N tasks and a merge job (docs/cluster.md)",
    .order = 96,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto a = std::make_shared<SlurmArgs>();
          a->sub = &sub;
          sub.allow_extras();  // the command's own ARGS
          sub.add_option("COMMAND", a->command, "the command to shard, e.g. characterize; its ARGS follow it");
          sub.add_option("--tasks", a->tasks, "N, the number of array tasks: task I runs --shard I/N");
          sub.add_option("--partition", a->partition, "#SBATCH --partition");
          sub.add_option("--time", a->time, "#SBATCH --time, per task (e.g. 2:00:00)");
          sub.add_option("--mem", a->mem, "#SBATCH --mem, per task (e.g. 4G)");
          sub.add_option("-o,--out", a->out, "the command's output directory: shards, report, sbatch files, logs/");
          sub.add_option("--greenmac", a->greenmac,
                         "the greenmac the tasks run (default: this one); on a shared prefix, see `make install`");
          sub.add_flag("--submit", a->submit, "submit the array and the merge job with sbatch, print their ids");
          sub.add_option("--resubmit", a->resubmit,
                         "DIR of an earlier run: submit only the tasks whose shard is missing, and a new merge job");
          return [a] { return a->resubmit.empty() ? run_new(*a) : run_resubmit(*a); };
        },
});

}  // namespace
}  // namespace gm
