// The sbatch files of `greenmac slurm` (docs/cluster.md, "Slurm"): text only, no Slurm needed.
//
//   DIR/job.sbatch    a job array of N tasks; task I runs `greenmac COMMAND ARGS... --shard I/N -o DIR`
//   DIR/merge.sbatch  `greenmac merge DIR`, submitted with --dependency=afterok:<array job id>
//   DIR/submit.sh     both submissions by hand, for a login node where greenmac is not run
//
// sbatch files are bash scripts: every word of the command is single-quoted (bash_quote), so no
// argument can become a command. #SBATCH lines are read by sbatch, not bash, and it does not undo
// bash quoting; their values (paths, partition, time, memory) are checked instead to hold no
// character that sbatch would split or expand (check_directive_value).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace gm {

struct SlurmJob {
  std::filesystem::path greenmac;  // absolute path of the binary the tasks run
  std::string command;             // the sharded command, e.g. "characterize"
  std::vector<std::string> args;   // its arguments, without --shard and -o
  size_t tasks = 1;                // N
  std::filesystem::path out_dir;   // absolute -o DIR
  std::filesystem::path work_dir;  // absolute; the tasks cd here, so relative ARGS mean what they meant
  std::string cache;               // GREENMAC_CACHE passed to the tasks; "" when not set
  std::string partition, time, mem;  // "" when not given
};

// `word` as one bash word: in single quotes, each ' written as '\'' (the empty word is '').
std::string bash_quote(const std::string& word);

// Throws UserError naming `what` when `value` is empty or holds a character an #SBATCH line cannot
// carry as it is (whitespace, quotes, backslash, '%', '$', '#', control characters).
void check_directive_value(const std::string& what, const std::string& value);

// "0-3", "1,3", "0-2,5,7-9": the compact --array list of sorted, distinct indices (none: "").
std::string array_list(const std::vector<size_t>& indices);

std::string job_script(const SlurmJob& job);
std::string merge_script(const SlurmJob& job);
std::string submit_script(const SlurmJob& job);

// The job id in `sbatch --parsable` output ("12345" or "12345;cluster", then a newline); throws
// std::runtime_error quoting the output when it is not one.
std::string parse_job_id(const std::string& sbatch_output);

}  // namespace gm
