#!/usr/bin/env bash
# Flink's own interactive SQL client (sql-client.sh of the official image) against the pipeline's
# catalog of topics and tables, on the compose stack's session cluster:
#
#   docker compose run --rm sql-client            # streaming: topics are read on as records arrive
#   docker compose run --rm sql-client batch      # batch: topics up to their end when a query starts
#
# The catalog's ${name} parameters are filled by the job jar's own code (SqlClientInit, the same as
# the `sql` service's SqlRunner) from the VITASENSE_* variables of the service, into an init file on
# a tmpfs: it holds the database password, so it never lands on a volume. The job jar (-j) brings
# the Kafka and JDBC connectors and the PostgreSQL driver to the session and its jobs.
set -euo pipefail

mode="${1:-streaming}"
jar=/opt/flink/usrlib/vitasense-job.jar
init=/tmp/vitasense/init.sql

java -Dlog4j.configurationFile=/opt/flink/conf/log4j-console.properties \
  -cp "$jar:/opt/flink/lib/*" com.vitasense.jobs.sql.SqlClientInit --mode "$mode" --output "$init"

exec /opt/flink/bin/sql-client.sh -j "$jar" -i "$init" \
  -Drest.address="${FLINK_REST_ADDRESS}" -Drest.port="${FLINK_REST_PORT}"
