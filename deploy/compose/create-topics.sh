#!/bin/sh
# Creates the pipeline's topics on $KAFKA_BOOTSTRAP (in the apache/kafka image, which has a POSIX
# shell only); topics that exist are left alone, so the stack can be started again.
set -eu
partitions="${VITASENSE_PARTITIONS:-2}"
for topic in device-data-raw device-data-processed device-data-dlq data-quality-issues \
             device-anomalies calibration-events; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
done
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --list
