#!/usr/bin/env bash
# The streaming job on a real Flink cluster, submitted as `flink run` submits it. Starts a Flink
# standalone session cluster (a JobManager and a TaskManager process, from Flink's Maven artifacts:
# flink-dist is not on Maven Central), then runs ClusterSubmissionCheck, which starts a Kafka broker
# and PostgreSQL, uploads the shaded job jar through the REST API, runs it, feeds data, checks the
# tables, stops the job with a savepoint, resumes it from the savepoint with the jar uploaded anew,
# feeds more and checks that nothing was lost or duplicated. Everything binds to 127.0.0.1; every
# process it starts is stopped on exit. Takes a few minutes; logs stay in $WORK on failure.
#
#   .ci/cluster-submission-test.sh            (builds the job jar first)
#   SKIP_BUILD=1 .ci/cluster-submission-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vitasense-cluster.XXXXXX")
CONF="$WORK/conf"
mkdir -p "$CONF" "$WORK/log" "$WORK/tmp" "$WORK/upload"
pids=()
status=1

say() { echo "[cluster-test] $*"; }

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    # A JVM that ignores TERM for 30 s would hold CI; end it.
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    for f in "$WORK"/log/*.log "$WORK"/log/*.out "$WORK"/migrate.log "$WORK"/submit-job.log; do
      [ -s "$f" ] || continue
      echo "----- last lines of $f"
      tail -n 60 "$f"
    done
    say "FAILED; logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nobody listens on right now (the cluster binds it a moment later).
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "error: no free port found" >&2
  return 1
}

start=$(date +%s)
if [ -z "${SKIP_BUILD:-}" ]; then
  say "building the job jar ..."
  # Output to a file (printed on failure): Maven's terminal codes would run into the lines below.
  mvn -B -q -ntp -pl jobs -am -DskipTests package >"$WORK/log/build.out" 2>&1
fi
JAR="$ROOT/jobs/target/vitasense-job.jar"
[ -f "$JAR" ] || { echo "error: $JAR is missing" >&2; exit 1; }

say "resolving the cluster's class path from Maven ..."
mvn -B -q -ntp -f .ci/flink-cluster/pom.xml dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cluster-classpath.txt" >"$WORK/log/classpath.out" 2>&1
CLUSTER_CP=$(cat "$WORK/cluster-classpath.txt")
DRIVER_CP="$ROOT/jobs/target/test-classes:$ROOT/jobs/target/classes:$(cat "$ROOT/jobs/target/local-classpath.txt")"

RPC_PORT=$(free_port)
REST_PORT=$(free_port)
cat > "$CONF/config.yaml" <<YAML
# A small session cluster on 127.0.0.1 (2 cores shared with others: small heaps, 2 slots).
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.memory.process.size: 1536m
taskmanager.numberOfTaskSlots: 2
parallelism.default: 2
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $REST_PORT
web.upload.dir: $WORK/upload
io.tmp.dirs: $WORK/tmp
state.backend.type: rocksdb
execution.checkpointing.incremental: true
execution.checkpointing.dir: file://$WORK/checkpoints
execution.checkpointing.savepoint-dir: file://$WORK/savepoints
YAML
cp .ci/flink-cluster/log4j.properties "$CONF/log4j.properties"

# What the distribution's config.yaml passes to every Flink JVM on Java 17 (env.java.opts.all).
JAVA_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# JVM flags (first line) and -D settings (second line) for a process, computed by Flink from
# config.yaml exactly as bin/jobmanager.sh and bin/taskmanager.sh compute them.
resource_params() {
  local out
  out=$(java -cp "$CLUSTER_CP" -Dlog4j2.level=WARN org.apache.flink.runtime.util.bash.BashJavaUtils \
        "$1" --configDir "$CONF" 2>&1) || { echo "$out" >&2; return 1; }
  echo "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

# The job's database password reaches the job only through the cluster processes' environment.
VITASENSE_JDBC_PASSWORD="pw-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
export VITASENSE_JDBC_PASSWORD

start_process() {
  local name=$1 main=$2 params jvm dynamic
  params=$(resource_params "$3")
  jvm=$(echo "$params" | sed -n 1p)
  dynamic=$(echo "$params" | sed -n 2p)
  # shellcheck disable=SC2086  # word splitting of Flink's computed flags is intended
  java "${JAVA_OPENS[@]}" $jvm -Dlog.file="$WORK/log/$name.log" \
    -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -cp "$CLUSTER_CP" "$main" --configDir "$CONF" $dynamic >"$WORK/log/$name.out" 2>&1 &
  pids+=($!)
  say "$name started (pid $!): $jvm"
}

start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
say "REST API on http://127.0.0.1:$REST_PORT"

# Bounded: a hung check must not hold CI for its whole budget.
timeout 900 java -Xmx512m -XX:+UseSerialGC -cp "$DRIVER_CP" com.vitasense.jobs.deploy.ClusterSubmissionCheck \
  --rest "http://127.0.0.1:$REST_PORT" --jar "$JAR" --work "$WORK"
status=0
say "took $(( $(date +%s) - start ))s"
