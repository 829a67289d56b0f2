#!/usr/bin/env bash
# Submits the VitaSense streaming job to the Flink session cluster at $FLINK_REST (host:port), in
# the official Flink image, unless a job of that name is running already: `docker compose up` can be
# repeated without starting a second copy. With VITASENSE_FROM_SAVEPOINT set, the job starts from
# that savepoint (the upgrade procedure in README.md). The arguments are the job's own flags; the
# database password comes from VITASENSE_JDBC_PASSWORD in the environment, never from a flag.
set -euo pipefail

rest="${FLINK_REST:-jobmanager:8081}"
host="${rest%:*}"
port="${rest##*:}"
job_name=vitasense-streaming
jar=/opt/flink/usrlib/vitasense-job.jar

# GET on the REST API through bash's /dev/tcp: the image has no curl.
http_get() {
  local body
  exec 3<>"/dev/tcp/$host/$port"
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$host" >&3
  body=$(sed '1,/^\r$/d' <&3)
  exec 3<&-
  printf '%s' "$body"
}

# One line per job object of /jobs/overview; a job still alive blocks a second submission.
if http_get /jobs/overview | tr '{' '\n' | grep -F "\"name\":\"$job_name\"" \
    | grep -Eq '"state":"(INITIALIZING|CREATED|RUNNING|RESTARTING|RECONCILING)"'; then
  echo "$job_name is already running on $rest; nothing to submit"
  exit 0
fi

[ -f "$jar" ] || { echo "error: $jar is missing; build it with 'mvn -DskipTests package' first" >&2; exit 1; }

savepoint_args=()
if [ -n "${VITASENSE_FROM_SAVEPOINT:-}" ]; then
  echo "resuming $job_name from $VITASENSE_FROM_SAVEPOINT"
  savepoint_args=(--fromSavepoint "$VITASENSE_FROM_SAVEPOINT")
fi

exec flink run --detached -Drest.address="$host" -Drest.port="$port" "${savepoint_args[@]}" \
  --class com.vitasense.jobs.StreamingJob "$jar" "$@"
