package com.vitasense.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.vitasense.jobs.BackfillJob;
import com.vitasense.jobs.StreamingJob;
import com.vitasense.jobs.backfill.BackfillInput;
import com.vitasense.jobs.config.Settings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart in {@code helm/vitasense}, without a cluster: Helm's own lint and template (Go
 * code through helm-java), then every rendered FlinkDeployment read strictly with the Flink
 * Kubernetes Operator's API model, its Flink settings checked against Flink's declared options,
 * and its job arguments parsed by the job's own configuration code.
 */
class HelmChartTest {
    private static final Path CHART = ProjectFiles.root().resolve("helm").resolve("vitasense");
    private static final String RELEASE = "vitasense";
    /** Rendering checks the chart's kubeVersion; without this, Helm assumes an old default. */
    private static final String KUBE_VERSION = "1.30.0";
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void lintsWithoutErrorsOrWarnings() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void rendersTheStreamingJobAsAValidFlinkDeployment() throws Exception {
        List<JsonNode> docs = render(t -> t);
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("FlinkDeployment");
        JsonNode rendered = docs.get(0);
        FlinkDeployment deployment = StrictOperatorModel.flinkDeployment(rendered);

        assertThat(deployment.getApiVersion()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.getMetadata().getName()).isEqualTo("vitasense-streaming");
        FlinkDeploymentSpec spec = deployment.getSpec();
        assertThat(spec.getMode()).isEqualTo(KubernetesDeploymentMode.NATIVE);
        assertThat(spec.getImage()).isEqualTo("vitasense/vitasense-job:" + chartAppVersion());
        assertThat(spec.getServiceAccount()).isEqualTo("flink");

        JobSpec job = spec.getJob();
        assertThat(job.getJarURI()).isEqualTo("local:///opt/flink/usrlib/vitasense-job.jar");
        assertThat(job.getEntryClass()).isEqualTo(StreamingJob.class.getName());
        assertThat(job.getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(job.getState()).isEqualTo(JobState.RUNNING);
        assertThat(job.getParallelism()).isEqualTo(2);
        assertThat(job.getAllowNonRestoredState()).isFalse();
        assertThat(job.getInitialSavepointPath()).isNull();

        assertThat(spec.getJobManager().getReplicas()).isEqualTo(1);
        assertThat(spec.getJobManager().getResource().getMemory()).isEqualTo("2048m");
        assertThat(spec.getJobManager().getResource().getCpu()).isEqualTo(1.0);
        assertThat(spec.getTaskManager().getResource().getMemory()).isEqualTo("4096m");
        assertThat(spec.getTaskManager().getResource().getCpu()).isEqualTo(2.0);

        assertThat(spec.getFlinkConfiguration()).containsAllEntriesOf(Map.of(
                "state.backend.type", "rocksdb",
                "execution.checkpointing.incremental", "true",
                "execution.checkpointing.interval", "30s",
                "execution.checkpointing.dir", "s3://vitasense-flink/vitasense/checkpoints",
                "execution.checkpointing.savepoint-dir", "s3://vitasense-flink/vitasense/savepoints",
                "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION",
                "high-availability.type", "kubernetes",
                "high-availability.storageDir", "s3://vitasense-flink/vitasense/ha",
                "taskmanager.numberOfTaskSlots", "2"));
    }

    @Test
    void flinkVersionIsTheOneOfThePom() throws Exception {
        String flink = ProjectFiles.pomProperty("flink.version");
        String expected = "v" + flink.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2");
        JsonNode spec = render(t -> t).get(0).path("spec");
        assertThat(spec.path("flinkVersion").isTextual()).isTrue();
        assertThat(spec.path("flinkVersion").asText()).isEqualTo(expected);
    }

    @Test
    void flinkSettingsAreQuotedCurrentFlinkOptions() throws Exception {
        Set<String> known = FlinkOptions.currentKeys();
        for (JsonNode doc : render(t -> t.set("backfill.enabled", true).set("backfill.args[0]", "--from-file")
                .set("backfill.args[1]", "s3://bucket/in.jsonl"))) {
            JsonNode conf = doc.path("spec").path("flinkConfiguration");
            assertThat(conf.size()).isPositive();
            for (Iterator<Map.Entry<String, JsonNode>> it = conf.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                // The operator's own settings are not Flink's; they live in the operator.
                if (!e.getKey().startsWith("kubernetes.operator.")) {
                    assertThat(known).as("a current Flink option").contains(e.getKey());
                }
                assertThat(e.getValue().isTextual()).as("%s is a quoted string", e.getKey()).isTrue();
            }
        }
    }

    @Test
    void jobArgumentsAreAcceptedByTheStreamingJob() throws Exception {
        List<String> args = args(render(t -> t).get(0));
        StreamingJob.Config config = StreamingJob.Config.from(
                Settings.parse(args.toArray(String[]::new), Map.of("VITASENSE_JDBC_PASSWORD", "from-the-secret")));
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.kafka().topics().raw()).isEqualTo("device-data-raw");
        assertThat(config.jdbc().url()).isEqualTo("jdbc:postgresql://postgres:5432/vitasense");
        assertThat(config.jdbc().user()).isEqualTo("vitasense");
        assertThat(config.jdbc().password()).isEqualTo("from-the-secret");
        assertThat(config.checkpoints().interval()).hasSeconds(30);
        // The cluster's settings (the chart's storage) apply, not a directory of the job's own.
        assertThat(config.checkpoints().directory()).isNull();
        assertThat(config.applyMigrations()).isFalse();
        assertThat(String.join(" ", args)).doesNotContainIgnoringCase("password");

        List<String> migrating = args(render(t -> t.set("streaming.applyMigrations", true)).get(0));
        assertThat(StreamingJob.Config.from(Settings.parse(migrating.toArray(String[]::new), Map.of()))
                .applyMigrations()).isTrue();
    }

    @Test
    void passwordComesFromTheSecretOnly() throws Exception {
        JsonNode rendered = render(t -> t.set("jdbc.passwordSecret.name", "pg-credentials")
                .set("jdbc.passwordSecret.key", "pw")).get(0);
        FlinkDeployment deployment = StrictOperatorModel.flinkDeployment(rendered);
        Container main = deployment.getSpec().getPodTemplate().getSpec().getContainers().get(0);
        assertThat(main.getName()).isEqualTo("flink-main-container");
        EnvVar password = main.getEnv().stream().filter(e -> e.getName().equals("VITASENSE_JDBC_PASSWORD"))
                .findFirst().orElseThrow();
        assertThat(password.getValue()).isNull();
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pg-credentials");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pw");
        assertThat(renderText(t -> t)).doesNotContain("kind: Secret");
    }

    @Test
    void qualityAndAlertRulesBecomeAMountedConfigMapThatRollsTheJob(@TempDir Path tmp) throws Exception {
        List<JsonNode> docs = render(t -> t.set("qualityRules.range\\.heart_rate", "30..220")
                .set("qualityRules.jump\\.glucose", "20+5").set("alertRules.battery\\.low", "25"));
        JsonNode configMap = docs.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        String properties = configMap.path("data").path("quality-rules.properties").asText();
        assertThat(properties).contains("range.heart_rate=30..220", "jump.glucose=20+5");
        String alertProperties = configMap.path("data").path("alert-rules.properties").asText();
        assertThat(alertProperties).isEqualToIgnoringNewLines("battery.low=25");

        JsonNode streaming = docs.stream().filter(d -> d.path("kind").asText().equals("FlinkDeployment")).findFirst().orElseThrow();
        FlinkDeployment deployment = StrictOperatorModel.flinkDeployment(streaming);
        assertThat(deployment.getSpec().getPodTemplate().getMetadata().getAnnotations())
                .containsKey("checksum/rules");
        Container main = deployment.getSpec().getPodTemplate().getSpec().getContainers().get(0);
        assertThat(main.getVolumeMounts()).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/opt/vitasense/rules"));

        // The job reads the rendered files: substitute local copies for the mounted paths.
        Path file = Files.writeString(tmp.resolve("quality-rules.properties"), properties, StandardCharsets.UTF_8);
        Path alertFile = Files.writeString(tmp.resolve("alert-rules.properties"), alertProperties, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(args(streaming));
        int at = args.indexOf("--quality-rules");
        assertThat(args.get(at + 1)).isEqualTo("/opt/vitasense/rules/quality-rules.properties");
        args.set(at + 1, file.toString());
        int alertsAt = args.indexOf("--alert-rules");
        assertThat(args.get(alertsAt + 1)).isEqualTo("/opt/vitasense/rules/alert-rules.properties");
        args.set(alertsAt + 1, alertFile.toString());
        StreamingJob.Config config = StreamingJob.Config.from(Settings.parse(args.toArray(String[]::new), Map.of()));
        assertThat(config.pipeline().qualityRules()).isNotEqualTo(
                StreamingJob.Config.from(Settings.parse(new String[0], Map.of())).pipeline().qualityRules());
        assertThat(config.pipeline().alertRules().number("battery.low")).isEqualTo(25.0);

        // Another rule set changes the pod template, which makes the operator roll the job.
        JsonNode other = render(t -> t.set("qualityRules.range\\.heart_rate", "35..220")).stream()
                .filter(d -> d.path("kind").asText().equals("FlinkDeployment")).findFirst().orElseThrow();
        assertThat(other.at("/spec/podTemplate/metadata/annotations/checksum~1rules"))
                .isNotEqualTo(streaming.at("/spec/podTemplate/metadata/annotations/checksum~1rules"));
    }

    @Test
    void kafkaClientPropertiesComeFromAMountedSecret(@TempDir Path tmp) throws Exception {
        assertThat(args(render(t -> t).get(0))).doesNotContain("--kafka-properties");

        List<JsonNode> docs = render(t -> t.set("kafka.propertiesSecret", "kafka-client")
                .set("alertRules.battery\\.low", "25")
                .set("backfill.enabled", true).set("backfill.args[0]", "--from-file").set("backfill.args[1]", "s3://b/in.jsonl"));
        List<JsonNode> deployments = docs.stream().filter(d -> d.path("kind").asText().equals("FlinkDeployment")).toList();
        assertThat(deployments).hasSize(2);
        for (JsonNode rendered : deployments) {
            FlinkDeployment deployment = StrictOperatorModel.flinkDeployment(rendered);
            var pod = deployment.getSpec().getPodTemplate().getSpec();
            assertThat(pod.getVolumes()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo("kafka-properties");
                assertThat(v.getSecret().getSecretName()).isEqualTo("kafka-client");
            });
            // Beside the rules, not instead of them.
            assertThat(pod.getContainers().get(0).getVolumeMounts())
                    .extracting(m -> m.getName() + "=" + m.getMountPath() + (m.getReadOnly() ? " ro" : ""))
                    .containsExactlyInAnyOrder("rules=/opt/vitasense/rules ro", "kafka-properties=/opt/vitasense/kafka ro");
            List<String> args = args(rendered);
            assertThat(args).containsSubsequence("--kafka-properties", "/opt/vitasense/kafka/kafka.properties");
        }

        // The job reads the mounted file: substitute a local copy for the mounted path.
        Path file = Files.writeString(tmp.resolve("kafka.properties"), "security.protocol=SASL_SSL\n", StandardCharsets.UTF_8);
        Path rules = Files.writeString(tmp.resolve("alert-rules.properties"), "battery.low=25\n", StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(args(deployments.stream()
                .filter(d -> d.at("/metadata/name").asText().endsWith("-streaming")).findFirst().orElseThrow()));
        args.set(args.indexOf("--kafka-properties") + 1, file.toString());
        args.set(args.indexOf("--alert-rules") + 1, rules.toString());
        StreamingJob.Config config = StreamingJob.Config.from(Settings.parse(args.toArray(String[]::new), Map.of()));
        assertThat(config.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void createdServiceAccountIsBoundToTheRoleNativeFlinkNeeds() throws Exception {
        List<JsonNode> docs = render(t -> t.set("serviceAccount.create", true).set("serviceAccount.name", "vitasense-flink"));
        assertThat(docs).extracting(d -> d.path("kind").asText())
                .containsExactlyInAnyOrder("ServiceAccount", "Role", "RoleBinding", "FlinkDeployment");
        ServiceAccount account = StrictOperatorModel.kubernetes(kind(docs, "ServiceAccount"), ServiceAccount.class);
        Role role = StrictOperatorModel.kubernetes(kind(docs, "Role"), Role.class);
        RoleBinding binding = StrictOperatorModel.kubernetes(kind(docs, "RoleBinding"), RoleBinding.class);
        FlinkDeployment streaming = StrictOperatorModel.flinkDeployment(kind(docs, "FlinkDeployment"));

        assertThat(account.getMetadata().getName()).isEqualTo("vitasense-flink")
                .isEqualTo(streaming.getSpec().getServiceAccount());
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("vitasense-flink");
            assertThat(subject.getNamespace()).isEqualTo("health");
        });
        // The JobManager creates and deletes TaskManager pods; Kubernetes HA keeps its leader and
        // checkpoint pointers in ConfigMaps.
        assertThat(role.getRules()).anySatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResources()).contains("pods", "configmaps");
            assertThat(rule.getVerbs()).contains("create", "delete", "watch", "update");
        });

        ObjectNode misspelled = kind(docs, "Role").deepCopy();
        misspelled.set("rulez", misspelled.remove("rules"));
        assertThatThrownBy(() -> StrictOperatorModel.kubernetes(misspelled, Role.class)).hasMessageContaining("rulez");
    }

    @Test
    void backfillRendersAsABatchFlinkDeployment() throws Exception {
        List<JsonNode> docs = render(t -> t.set("backfill.enabled", true)
                .set("backfill.args[0]", "--from-file").set("backfill.args[1]", "s3://bucket/envelopes.jsonl"));
        assertThat(docs).extracting(d -> d.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("vitasense-streaming", "vitasense-backfill");
        JsonNode rendered = docs.stream().filter(d -> d.path("metadata").path("name").asText().endsWith("backfill"))
                .findFirst().orElseThrow();
        FlinkDeployment backfill = StrictOperatorModel.flinkDeployment(rendered);
        JobSpec job = backfill.getSpec().getJob();
        assertThat(job.getEntryClass()).isEqualTo(BackfillJob.class.getName());
        assertThat(job.getUpgradeMode()).isEqualTo(UpgradeMode.STATELESS);
        assertThat(backfill.getSpec().getFlinkConfiguration()).containsEntry("execution.runtime-mode", "BATCH");
        List<String> args = List.of(job.getArgs());
        assertThat(args).containsSubsequence("--from-file", "s3://bucket/envelopes.jsonl");
        // The same processing parameters as the streaming job, so both give the same answers.
        List<String> streamingArgs = args(docs.stream().filter(d -> d.path("metadata").path("name").asText()
                .endsWith("streaming")).findFirst().orElseThrow());
        for (String flag : List.of("--max-out-of-orderness", "--source-idleness", "--duplicate-retention", "--jdbc-url")) {
            assertThat(args.get(args.indexOf(flag) + 1)).isEqualTo(streamingArgs.get(streamingArgs.indexOf(flag) + 1));
        }
        // But not the same Kafka transactions: with exactly-once, a shared prefix would let each job
        // abort the other's open transactions.
        String prefix = "--kafka-transactional-id-prefix";
        assertThat(streamingArgs.get(streamingArgs.indexOf(prefix) + 1)).isEqualTo("vitasense-device-pipeline");
        assertThat(args.get(args.indexOf(prefix) + 1)).isEqualTo("vitasense-device-pipeline-backfill");

        // The backfill's own parser accepts every rendered flag (an unknown one would fail it).
        BackfillJob.Config config = BackfillJob.Config.from(Settings.parse(args.toArray(String[]::new),
                Map.of("VITASENSE_JDBC_PASSWORD", "from-the-secret")));
        StreamingJob.Config streaming = StreamingJob.Config.from(Settings.parse(streamingArgs.toArray(String[]::new),
                Map.of("VITASENSE_JDBC_PASSWORD", "from-the-secret")));
        assertThat(config.input()).isEqualTo(new BackfillInput.Files("s3://bucket/envelopes.jsonl"));
        assertThat(config.kafka().transactionalIdPrefix()).isEqualTo("vitasense-device-pipeline-backfill");
        assertThat(config.kafka().topics()).isEqualTo(streaming.kafka().topics());
        assertThat(config.jdbc()).isEqualTo(streaming.jdbc());
        assertThat(config.pipeline().maxOutOfOrderness()).isEqualTo(streaming.pipeline().maxOutOfOrderness());
        assertThat(config.pipeline().sourceIdleness()).isEqualTo(streaming.pipeline().sourceIdleness());
        assertThat(config.pipeline().duplicateRetention()).isEqualTo(streaming.pipeline().duplicateRetention());
        assertThat(config.emitTopics()).isFalse();
    }

    @Test
    void backfillWithoutInputIsRefused() {
        assertThatThrownBy(() -> renderText(t -> t.set("backfill.enabled", true)))
                .hasMessageContaining("backfill.args must name the bounded input");
    }

    @Test
    void misspelledValuesAreRefused() {
        assertThatThrownBy(() -> renderText(t -> t.set("streaming.paralelism", 4)))
                .hasMessageContaining("paralelism");
        assertThatThrownBy(() -> renderText(t -> t.set("streaming.upgradeMode", "savepoints")))
                .hasMessageContaining("upgradeMode");
    }

    @Test
    void strictReadingCatchesMisspelledAndMisplacedFields() throws Exception {
        JsonNode good = render(t -> t).get(0);
        StrictOperatorModel.flinkDeployment(good);

        ObjectNode misspelled = good.deepCopy();
        ((ObjectNode) misspelled.at("/spec/job")).put("upgradeMod", "savepoint");
        assertThatThrownBy(() -> StrictOperatorModel.flinkDeployment(misspelled)).hasMessageContaining("upgradeMod");

        ObjectNode misplaced = good.deepCopy();
        ((ObjectNode) misplaced.at("/spec")).put("parallelism", 2);
        assertThatThrownBy(() -> StrictOperatorModel.flinkDeployment(misplaced)).hasMessageContaining("parallelism");

        ObjectNode inPodTemplate = good.deepCopy();
        ((ObjectNode) ((ArrayNode) inPodTemplate.at("/spec/podTemplate/spec/containers")).get(0))
                .putObject("resource").put("memory", "1g");
        assertThatThrownBy(() -> StrictOperatorModel.flinkDeployment(inPodTemplate)).hasMessageContaining("resource");
    }

    @Test
    void everyValueIsDocumented() throws IOException {
        List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"), StandardCharsets.UTF_8);
        Pattern key = Pattern.compile("^(\\s*)([A-Za-z][\\w.-]*):(.*)$");
        List<String> undocumented = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = key.matcher(lines.get(i));
            if (!m.matches()) continue;
            // Groups of keys (kafka.topics, jdbc.passwordSecret, ...) are described too: what the
            // group is for is not always plain from its members.
            if (m.group(3).isBlank()) groups.add(m.group(2));
            boolean described = false;
            for (int j = i - 1; j >= 0 && lines.get(j).trim().startsWith("#") && !described; j--) {
                described = lines.get(j).trim().startsWith("# --");
            }
            if (!described) undocumented.add(m.group(1).length() / 2 + ":" + m.group(2));
        }
        assertThat(groups).as("the check sees groups of keys").contains("kafka", "topics", "passwordSecret", "resource");
        assertThat(undocumented).as("values without a '# --' description right above them (indent level:key)").isEmpty();
    }

    private static String chartAppVersion() throws IOException {
        return YAML.readTree(CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText();
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    private static List<String> args(JsonNode flinkDeployment) {
        List<String> args = new ArrayList<>();
        flinkDeployment.at("/spec/job/args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static String renderText(UnaryOperator<TemplateCommand> options) {
        return options.apply(new Helm(CHART).template().withName(RELEASE).withNamespace("health").withKubeVersion(KUBE_VERSION)).call();
    }

    private static List<JsonNode> render(UnaryOperator<TemplateCommand> options) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(renderText(options))) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) docs.add(doc);
            }
        }
        return docs;
    }
}
