{{/* Release-scoped name of everything this chart creates (at most 45 characters, so that the
operator's derived names, such as "<name>-rest", stay within Kubernetes' 63). */}}
{{- define "vitasense.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 45 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 45 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "vitasense.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* State of this release: checkpoints, savepoints and HA metadata live below it. */}}
{{- define "vitasense.storage" -}}
{{- printf "%s/%s" (trimSuffix "/" .Values.storage.baseUri) .Release.Name -}}
{{- end -}}

{{- define "vitasense.serviceAccountName" -}}
{{- required "serviceAccount.name is required" .Values.serviceAccount.name -}}
{{- end -}}

{{/* Where the rules ConfigMap is mounted. */}}
{{- define "vitasense.rulesDir" -}}
/opt/vitasense/rules
{{- end -}}

{{/* Where the Secret of kafka.propertiesSecret is mounted. */}}
{{- define "vitasense.kafkaDir" -}}
/opt/vitasense/kafka
{{- end -}}

{{/* Flags shared by the streaming job and the backfill: where data comes from and goes to, and
the processing parameters, which must be the same for both to give the same answers. Every value
is a flag, never a secret: the password comes from the environment (see the pod template). The
Kafka transactional id prefix is not shared: see "vitasense.transactionalIdPrefix". */}}
{{- define "vitasense.commonArgs" -}}
- --kafka-bootstrap
- {{ .Values.kafka.bootstrap | quote }}
- --kafka-delivery-guarantee
- {{ .Values.kafka.deliveryGuarantee | quote }}
{{- if .Values.kafka.propertiesSecret }}
- --kafka-properties
- {{ printf "%s/kafka.properties" (include "vitasense.kafkaDir" .) | quote }}
{{- end }}
- --topic-raw
- {{ .Values.kafka.topics.raw | quote }}
- --topic-processed
- {{ .Values.kafka.topics.processed | quote }}
- --topic-dlq
- {{ .Values.kafka.topics.dlq | quote }}
- --topic-quality-issues
- {{ .Values.kafka.topics.qualityIssues | quote }}
- --topic-anomalies
- {{ .Values.kafka.topics.anomalies | quote }}
- --topic-calibration-events
- {{ .Values.kafka.topics.calibrationEvents | quote }}
- --jdbc-url
- {{ .Values.jdbc.url | quote }}
- --jdbc-user
- {{ .Values.jdbc.user | quote }}
- --jdbc-batch-size
- {{ .Values.jdbc.batchSize | quote }}
- --jdbc-batch-interval
- {{ .Values.jdbc.batchInterval | quote }}
- --jdbc-max-retries
- {{ .Values.jdbc.maxRetries | quote }}
- --max-out-of-orderness
- {{ .Values.streaming.maxOutOfOrderness | quote }}
- --source-idleness
- {{ .Values.streaming.sourceIdleness | quote }}
- --duplicate-retention
- {{ .Values.streaming.duplicateRetention | quote }}
{{- if .Values.qualityRules }}
- --quality-rules
- {{ printf "%s/quality-rules.properties" (include "vitasense.rulesDir" .) | quote }}
{{- end }}
{{- if .Values.alertRules }}
- --alert-rules
- {{ printf "%s/alert-rules.properties" (include "vitasense.rulesDir" .) | quote }}
{{- end }}
{{- end -}}

{{/* The Kafka transactional id prefix of one deployment ("streaming" or "backfill"). With
exactly-once, a producer starting with a prefix aborts the open transactions of every earlier
producer of that prefix, so a backfill sharing the streaming job's prefix would fence the running
job (and be fenced by it): the backfill gets its own. */}}
{{- define "vitasense.transactionalIdPrefix" -}}
{{- $prefix := .root.Values.kafka.transactionalIdPrefix -}}
{{- if eq .component "streaming" -}}
{{- $prefix -}}
{{- else -}}
{{- printf "%s-%s" $prefix .component -}}
{{- end -}}
{{- end -}}

{{/* Pod template shared by both deployments: the database password from the Secret, the quality
and alert rules files, the Kafka client properties Secret, and a checksum of the rules so that a
change to them alone rolls the job. */}}
{{- define "vitasense.podTemplate" -}}
{{- $rules := or .Values.qualityRules .Values.alertRules -}}
{{- $kafka := .Values.kafka.propertiesSecret -}}
metadata:
  labels:
    {{- include "vitasense.labels" . | nindent 4 }}
  {{- if $rules }}
  annotations:
    checksum/rules: {{ include (print $.Template.BasePath "/configmap-rules.yaml") . | sha256sum }}
  {{- end }}
spec:
  containers:
    # The operator merges this into the JobManager and TaskManager containers by this name.
    - name: flink-main-container
      env:
        - name: VITASENSE_JDBC_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ .Values.jdbc.passwordSecret.name | quote }}
              key: {{ .Values.jdbc.passwordSecret.key | quote }}
      {{- if or $rules $kafka }}
      volumeMounts:
        {{- if $rules }}
        - name: rules
          mountPath: {{ include "vitasense.rulesDir" . }}
          readOnly: true
        {{- end }}
        {{- if $kafka }}
        # In the JobManager, where main() reads it, and in the TaskManagers, where the Kafka
        # clients run and find any truststore or keystore the properties name.
        - name: kafka-properties
          mountPath: {{ include "vitasense.kafkaDir" . }}
          readOnly: true
        {{- end }}
      {{- end }}
  {{- if or $rules $kafka }}
  volumes:
    {{- if $rules }}
    - name: rules
      configMap:
        name: {{ include "vitasense.fullname" . }}-rules
    {{- end }}
    {{- if $kafka }}
    - name: kafka-properties
      secret:
        secretName: {{ $kafka | quote }}
    {{- end }}
  {{- end }}
{{- end -}}

{{/* Flink settings every deployment of this chart shares: RocksDB with incremental checkpoints
in the release's storage, and Kubernetes HA. Values are quoted: the operator takes strings. */}}
{{- define "vitasense.flinkConfiguration" -}}
{{- $root := .root -}}
{{- $storage := include "vitasense.storage" $root -}}
{{- $conf := dict
    "taskmanager.numberOfTaskSlots" (toString .job.taskSlots)
    "state.backend.type" "rocksdb"
    "execution.checkpointing.incremental" "true"
    "execution.checkpointing.dir" (printf "%s/%s" $storage "checkpoints")
    "execution.checkpointing.savepoint-dir" (printf "%s/%s" $storage "savepoints")
    "restart-strategy.type" "exponential-delay"
-}}
{{- if $root.Values.highAvailability.enabled -}}
{{- $_ := set $conf "high-availability.type" "kubernetes" -}}
{{- $_ := set $conf "high-availability.storageDir" (printf "%s/%s" $storage "ha") -}}
{{- end -}}
{{- range $key, $value := .extra -}}
{{- $_ := set $conf $key (toString $value) -}}
{{- end -}}
{{- range $key := keys $conf | sortAlpha }}
{{ $key }}: {{ get $conf $key | quote }}
{{- end -}}
{{- end -}}
