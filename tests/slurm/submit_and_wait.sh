#!/bin/bash
# Runs a `greenmac slurm ... --submit` (or `--resubmit DIR`) command, echoes what it printed, then
# waits until the merge job it named has left the queue and prints that job's final state.
#
#   tests/slurm/submit_and_wait.sh TIMEOUT_S GREENMAC slurm ARGS...
#
# Exit status: 0 when the merge job COMPLETED; the command's status when it failed; 1 when the merge
# job ended otherwise (FAILED, CANCELLED: a task failed) or was still queued after TIMEOUT_S (it is
# cancelled then). Run it under with_cluster.sh, which sets SLURM_CONF.
set -euo pipefail
timeout_s=$1
shift
out=$("$@")
echo "$out"
merge=$(sed -n 's/.*merge job \([0-9][0-9]*\).*/\1/p' <<<"$out")
if [[ -z $merge ]]; then
  echo "submit_and_wait.sh: no 'merge job ID' in the output above" >&2
  exit 1
fi
deadline=$((SECONDS + timeout_s))
while [[ -n $(squeue -h -j "$merge" -o %i 2>/dev/null) ]]; do
  if ((SECONDS > deadline)); then
    echo "submit_and_wait.sh: merge job $merge still queued after $timeout_s s; cancelling" >&2
    squeue >&2 || true
    scancel "$merge" || true
    exit 1
  fi
  sleep 1
done
state=$(scontrol show job "$merge" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
echo "merge job $merge: ${state:-unknown}"
[[ $state == COMPLETED ]]
