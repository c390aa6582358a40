#include "cli/slurm/slurm_run.hpp"

#include <nlohmann/json.hpp>

#include "cli/shard/shard.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"
#include "tb/process.hpp"

namespace gm {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kRecordFormat = 1;

fs::path record_file(const fs::path& out_dir) { return out_dir / "slurm.json"; }

json job_json(const SlurmJob& job) {
  return {{"greenmac_slurm", kRecordFormat}, {"greenmac", job.greenmac.string()},
          {"command", job.command},          {"args", job.args},
          {"tasks", job.tasks},              {"out_dir", job.out_dir.string()},
          {"work_dir", job.work_dir.string()}, {"cache", job.cache},
          {"partition", job.partition},      {"time", job.time},
          {"mem", job.mem},                  {"submissions", json::array()}};
}

json read_record(const fs::path& out_dir) {
  const fs::path file = record_file(out_dir);
  if (!fs::exists(file))
    throw UserError(out_dir.string() + " has no slurm.json; give the -o DIR of an earlier `greenmac slurm` run");
  try {
    json j = json::parse(read_file(file));
    if (j.value("greenmac_slurm", 0) != kRecordFormat) throw json::other_error::create(0, "format", nullptr);
    return j;
  } catch (const json::exception&) {
    throw UserError(file.string() + " is not a greenmac slurm record; run `greenmac slurm COMMAND ...` again");
  }
}

// The first line of sbatch's complaint, for a one-line error.
std::string first_line(const std::string& text) {
  const std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? "no message" : line;
}

std::string sbatch(const SlurmJob& job, std::vector<std::string> argv) {
  const auto exe = find_on_path("sbatch");
  if (!exe) throw UserError("sbatch is not on PATH; submit from a Slurm login node, or leave out --submit");
  argv.insert(argv.begin(), exe->string());
  const std::string log = (job.out_dir / "logs" / "sbatch.out").string();
  const RunResult r = run_program(argv, {.cwd = job.work_dir, .stdout_file = log});
  if (!r.ok())
    throw UserError("sbatch failed (exit " + std::to_string(r.exit_code) + "): " + first_line(r.output) +
                    "; fix the option it names (--partition, --time, --mem) or the cluster");
  try {
    return parse_job_id(read_file(log));
  } catch (const std::runtime_error& e) {
    throw UserError(std::string(e.what()) + "; is this Slurm's sbatch?");
  }
}

}  // namespace

void write_slurm_files(const SlurmJob& job) {
  ensure_output_dir(job.out_dir);
  ensure_output_dir(job.out_dir / "logs");
  write_file_atomic(job.out_dir / "job.sbatch", job_script(job));
  write_file_atomic(job.out_dir / "merge.sbatch", merge_script(job));
  write_file_atomic(job.out_dir / "submit.sh", submit_script(job));
  fs::permissions(job.out_dir / "submit.sh", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  write_file_atomic(record_file(job.out_dir), job_json(job).dump(2) + "\n");
}

SlurmJob read_slurm_job(const fs::path& out_dir) {
  const json j = read_record(out_dir);
  SlurmJob job;
  try {
    job.greenmac = j.at("greenmac").get<std::string>();
    job.command = j.at("command").get<std::string>();
    job.args = j.at("args").get<std::vector<std::string>>();
    job.tasks = j.at("tasks").get<size_t>();
    job.out_dir = j.at("out_dir").get<std::string>();
    job.work_dir = j.at("work_dir").get<std::string>();
    job.cache = j.at("cache").get<std::string>();
    job.partition = j.at("partition").get<std::string>();
    job.time = j.at("time").get<std::string>();
    job.mem = j.at("mem").get<std::string>();
  } catch (const json::exception&) {
    throw UserError(record_file(out_dir).string() + " lacks a field; run `greenmac slurm COMMAND ...` again");
  }
  if (job.tasks == 0) throw UserError(record_file(out_dir).string() + " has tasks = 0; run greenmac slurm again");
  return job;
}

std::vector<size_t> missing_shards(const SlurmJob& job) {
  std::vector<size_t> out;
  for (size_t i = 0; i < job.tasks; ++i)
    if (!fs::exists(shard_file(job.out_dir, job.command, Shard{.index = i, .count = job.tasks, .given = true})))
      out.push_back(i);
  return out;
}

Submission submit_job(const SlurmJob& job, const std::vector<size_t>& indices,
                      const std::vector<std::string>& overrides) {
  Submission s;
  s.indices = indices;
  std::vector<std::string> merge_argv = {"--parsable"};
  if (!indices.empty()) {
    std::vector<std::string> argv = {"--parsable"};
    argv.insert(argv.end(), overrides.begin(), overrides.end());
    if (indices.size() != job.tasks) argv.push_back("--array=" + array_list(indices));
    argv.push_back((job.out_dir / "job.sbatch").string());
    s.array_id = sbatch(job, argv);
    merge_argv.push_back("--dependency=afterok:" + s.array_id);
  }
  merge_argv.insert(merge_argv.end(), overrides.begin(), overrides.end());
  merge_argv.push_back((job.out_dir / "merge.sbatch").string());
  s.merge_id = sbatch(job, merge_argv);

  json rec = read_record(job.out_dir);
  rec["submissions"].push_back({{"array_job", s.array_id}, {"tasks", array_list(indices)}, {"merge_job", s.merge_id}});
  write_file_atomic(record_file(job.out_dir), rec.dump(2) + "\n");
  return s;
}

}  // namespace gm
