# The job image for Kubernetes (helm/vitasense): the official Flink image of the project's Flink
# version with the job jar in /opt/flink/usrlib, where the FlinkDeployment's local:// URI points.
#   mvn -DskipTests package && docker build -t vitasense/vitasense-job:0.1.0 .
# Flink itself, RocksDB and the file system plugins come with the base image; the jar adds the
# connectors, the PostgreSQL driver and the pipeline.
FROM flink:2.2.1-scala_2.12-java17

# Checkpoints and savepoints go to object storage on Kubernetes; Flink loads file systems as
# plugins, and the image ships them in opt/. S3 here; swap for flink-gs-fs-hadoop or
# flink-azure-fs-hadoop as your storage needs.
RUN mkdir -p /opt/flink/plugins/s3-fs-presto \
    && cp /opt/flink/opt/flink-s3-fs-presto-*.jar /opt/flink/plugins/s3-fs-presto/

COPY --chown=flink:flink jobs/target/vitasense-job.jar /opt/flink/usrlib/vitasense-job.jar
