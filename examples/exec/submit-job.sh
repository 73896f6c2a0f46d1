#!/bin/sh
# Wraps a mainframe job submitter as an exec resource (see docs/drivers.md).
# Reads JCL on stdin, submits it once per FLEET_CAPABILITY/FLEET_RESOURCE/FLEET_REVISION (the idempotency key),
# waits for the job to end and exits 0 only when it ended with a return code at most MAX_RC.
# SUBMIT (default: zowe zos-jobs submit stdin) must print the job id; STATUS must print the return code of a job id.
set -eu
key="${FLEET_CAPABILITY}/${FLEET_RESOURCE}@${FLEET_REVISION}"
state="${STATE_DIR:-.}/$(printf '%s' "$key" | tr '/@' '__').jobid"
submit="${SUBMIT:-zowe zos-jobs submit stdin --rff jobid --rft string}"
status="${STATUS:-zowe zos-jobs view job-status-by-jobid}"
max_rc="${MAX_RC:-4}"

# A retry after a crash or a timeout must not submit the job twice: reuse the id of the job already submitted.
if [ -s "$state" ]; then
  job=$(cat "$state")
  echo "job $job already submitted for $key"
else
  job=$($submit)
  printf '%s\n' "$job" > "$state"
  echo "submitted $job for $key"
fi

while :; do
  rc=$($status "$job" --rff retcode --rft string 2>/dev/null || true)
  case "$rc" in
    "" | null | "ACTIVE" | "INPUT") sleep "${POLL_SECONDS:-10}" ;;
    CC\ *) code=${rc#CC }; code=$(expr "$code" + 0); echo "job $job ended $rc"; [ "$code" -le "$max_rc" ]; exit $? ;;
    *) echo "job $job ended $rc"; exit 1 ;;
  esac
done
