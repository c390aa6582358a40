// What `greenmac slurm` does beyond writing text: DIR/slurm.json (the job, so that --resubmit can
// submit it again, and every submission's job ids), the shards still missing, and sbatch itself.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cli/slurm/sbatch_scripts.hpp"

namespace gm {

// Creates DIR and DIR/logs (Slurm does not create a log file's directory; a task without it fails)
// and writes job.sbatch, merge.sbatch, submit.sh and slurm.json, each atomically.
void write_slurm_files(const SlurmJob& job);

// The job DIR/slurm.json describes; throws UserError when DIR has none or it is not one.
SlurmJob read_slurm_job(const std::filesystem::path& out_dir);

// The array indices whose shard file, DIR/shards/COMMAND-I-of-N.json, is not there (sorted).
std::vector<size_t> missing_shards(const SlurmJob& job);

struct Submission {
  std::vector<size_t> indices;  // the array tasks submitted (empty: the merge job alone)
  std::string array_id;         // "" when no task was submitted
  std::string merge_id;
};

// Submits the tasks `indices` of job.sbatch (all N: its own --array; else --array=LIST) and then
// merge.sbatch with --dependency=afterok on them; no indices: merge.sbatch alone. `overrides` are
// sbatch options given before the script (e.g. --time=2:00:00 on a resubmission), which take
// precedence over its #SBATCH lines. sbatch runs from an argument vector in the job's work_dir.
// Appends the submission to slurm.json. Throws UserError when sbatch is missing or refuses.
Submission submit_job(const SlurmJob& job, const std::vector<size_t>& indices,
                      const std::vector<std::string>& overrides = {});

}  // namespace gm
