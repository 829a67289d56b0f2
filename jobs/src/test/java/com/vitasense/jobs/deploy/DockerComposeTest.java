package com.vitasense.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.vitasense.jobs.StreamingJob;
import com.vitasense.jobs.config.Settings;
import com.vitasense.jobs.sql.SqlClientInit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-compose.yml} without a Docker engine: valid against the Compose Specification's JSON
 * schema, images of the project's versions, credentials only from the env file, named volumes,
 * health checks, Flink settings that Flink knows, and job flags the job accepts.
 */
class DockerComposeTest {
    private static final Path ROOT = ProjectFiles.root();
    private static final Pattern FLINK_IMAGE = Pattern.compile("flink:(\\d+\\.\\d+\\.\\d+)(-scala_[\\d.]+)?-java(\\d+)");
    /** The whole value is one required variable of the env file: ${NAME:?message}. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z_]+):\\?[^}]*}");
    private static JsonNode compose;

    @BeforeAll
    static void readCompose() throws IOException {
        compose = new YAMLMapper().readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    @Test
    void isValidAgainstTheComposeSpecification() throws IOException {
        assertThat(violations(compose)).isEmpty();
    }

    @Test
    void theSchemaCatchesMisspelledKeys() throws IOException {
        // Shows that the validation above has teeth: a typo in a service is a violation.
        ObjectNode broken = compose.deepCopy();
        ObjectNode kafka = (ObjectNode) broken.path("services").path("kafka");
        kafka.set("healthchek", kafka.remove("healthcheck"));
        assertThat(violations(broken)).anyMatch(v -> v.contains("healthchek"));
    }

    @Test
    void flinkImagesAreTheOfficialImageOfTheProjectsFlinkAndJavaVersions() throws IOException {
        List<String> images = new ArrayList<>();
        compose.path("services").forEach(s -> {
            if (s.path("image").asText().startsWith("flink:")) images.add(s.path("image").asText());
        });
        String dockerfileImage = Files.readAllLines(ROOT.resolve("Dockerfile")).stream()
                .filter(l -> l.startsWith("FROM ")).findFirst().orElseThrow().substring(5).trim();
        images.add(dockerfileImage);
        assertThat(images).hasSizeGreaterThan(1);
        for (String image : images) {
            Matcher m = FLINK_IMAGE.matcher(image);
            assertThat(m.matches()).as("%s is flink:<version>[-scala_<v>]-java<v>", image).isTrue();
            assertThat(m.group(1)).as("Flink version of " + image).isEqualTo(ProjectFiles.pomProperty("flink.version"));
            assertThat(m.group(3)).as("Java version of " + image).isEqualTo(ProjectFiles.pomProperty("maven.compiler.release"));
        }
    }

    @Test
    void kafkaAndPostgresImagesAreTheVersionsTheTestsRun() {
        // The tests and the demo run an in-process broker and a packaged PostgreSQL of these versions.
        assertThat(image("kafka")).isEqualTo("apache/kafka:" + ProjectFiles.pomProperty("kafka.version"));
        assertThat(image("kafka-topics")).isEqualTo(image("kafka"));
        String postgresMajor = ProjectFiles.pomProperty("embedded.postgres.binaries.version").split("\\.")[0];
        assertThat(image("postgres")).isEqualTo("postgres:" + postgresMajor);
    }

    @Test
    void credentialsComeFromTheEnvFileOnly() throws IOException {
        Properties example = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve(".env.example"))) {
            example.load(in);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        environments().forEach((service, env) -> env.forEach((name, value) -> {
            if (name.matches(".*(PASSWORD|SECRET|TOKEN).*")) secrets.put(service + "." + name, value);
        }));
        assertThat(secrets).isNotEmpty();
        secrets.forEach((where, value) -> {
            Matcher m = REQUIRED_VARIABLE.matcher(value);
            assertThat(m.matches()).as("%s is ${VAR:?...} from .env, not a value: %s", where, value).isTrue();
            assertThat(example).as(".env.example names " + m.group(1)).containsKey(m.group(1));
        });
        String text = Files.readString(ROOT.resolve("docker-compose.yml"), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(example.getProperty("POSTGRES_PASSWORD"));
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
    }

    @Test
    void stateLivesInNamedVolumes() {
        Set<String> declared = new TreeSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(declared::add);
        assertThat(declared).contains("kafka-data", "postgres-data", "flink-data");
        Map<String, String> stateful = Map.of("kafka", "/var/lib/kafka/data", "postgres", "/var/lib/postgresql/data",
                "jobmanager", "/flink-data", "taskmanager", "/flink-data");
        stateful.forEach((service, target) -> assertThat(volumes(service))
                .anyMatch(v -> v.endsWith(":" + target) && declared.contains(v.substring(0, v.indexOf(':')))));
        // Every other mount is a file of this repository (or the built jar).
        compose.path("services").fields().forEachRemaining(s -> volumes(s.getKey()).forEach(v -> {
            String source = v.substring(0, v.indexOf(':'));
            if (source.startsWith("./")) {
                assertThat(source.equals("./jobs/target/vitasense-job.jar") || Files.exists(ROOT.resolve(source)))
                        .as("%s mounts %s", s.getKey(), source).isTrue();
            } else {
                assertThat(declared).as("%s mounts named volume %s", s.getKey(), source).contains(source);
            }
        }));
    }

    @Test
    void longRunningServicesAreHealthCheckedAndWaitedFor() {
        compose.path("services").fields().forEachRemaining(s -> {
            JsonNode service = s.getValue();
            boolean oneShot = service.path("restart").asText().equals("no") || service.has("profiles");
            if (!oneShot) {
                assertThat(service.path("healthcheck").path("test").isMissingNode()).as(s.getKey() + " has a healthcheck").isFalse();
            }
            service.path("depends_on").fields().forEachRemaining(d -> assertThat(d.getValue().path("condition").asText())
                    .as("%s waits for %s", s.getKey(), d.getKey())
                    .isIn("service_healthy", "service_completed_successfully"));
        });
        assertThat(compose.at("/services/submit/depends_on").fieldNames())
                .toIterable().contains("jobmanager", "taskmanager", "kafka-topics", "migrate");
    }

    @Test
    void clusterSettingsAreCurrentFlinkOptions() throws IOException {
        Set<String> known = FlinkOptions.currentKeys();
        String jobManager = compose.at("/services/jobmanager/environment/FLINK_PROPERTIES").asText();
        assertThat(compose.at("/services/taskmanager/environment/FLINK_PROPERTIES").asText())
                .as("one cluster, one configuration").isEqualTo(jobManager);
        for (String service : List.of("jobmanager", "taskmanager")) {
            JsonNode properties = new YAMLMapper().readTree(compose.at("/services/" + service + "/environment/FLINK_PROPERTIES").asText());
            assertThat(properties.size()).isPositive();
            properties.fieldNames().forEachRemaining(key -> assertThat(known).as("a current Flink option").contains(key));
            assertThat(properties.path("state.backend.type").asText()).isEqualTo("rocksdb");
            assertThat(properties.path("execution.checkpointing.incremental").asBoolean()).isTrue();
        }
    }

    @Test
    void submittedJobFlagsAreAcceptedByTheStreamingJob() {
        List<String> args = new ArrayList<>();
        compose.at("/services/submit/command").forEach(a -> args.add(interpolateDefaults(a.asText())));
        Map<String, String> env = new HashMap<>(environments().get("submit"));
        env.replaceAll((k, v) -> REQUIRED_VARIABLE.matcher(v).matches() ? "from-the-env-file" : interpolateDefaults(v));
        StreamingJob.Config config = StreamingJob.Config.from(Settings.parse(args.toArray(String[]::new), env));
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.jdbc().url()).isEqualTo("jdbc:postgresql://postgres:5432/vitasense");
        assertThat(config.jdbc().password()).isEqualTo("from-the-env-file");
    }

    /**
     * The sql-client service runs the image's own sql-client.sh with the job jar (connectors and
     * driver) and an init file that the job jar's code renders from catalog.sql. Without Docker,
     * the test checks the wiring and runs that rendering with the service's own environment.
     */
    @Test
    void sqlClientRunsFlinksOwnClientOnTheRenderedCatalog(@TempDir Path tmp) throws IOException {
        JsonNode service = compose.at("/services/sql-client");
        assertThat(service.path("profiles").toString()).as("not started by docker compose up").contains("tools");
        assertThat(image("sql-client")).isEqualTo(image("jobmanager"));
        assertThat(service.at("/depends_on/jobmanager/condition").asText()).isEqualTo("service_healthy");
        assertThat(volumes("sql-client")).contains(
                "./jobs/target/vitasense-job.jar:/opt/flink/usrlib/vitasense-job.jar:ro",
                "./deploy/compose/sql-client.sh:/opt/vitasense/sql-client.sh:ro");
        assertThat(service.path("entrypoint").toString()).contains("/opt/vitasense/sql-client.sh");

        String script = Files.readString(ROOT.resolve("deploy/compose/sql-client.sh"), StandardCharsets.UTF_8);
        assertThat(script).contains("jar=/opt/flink/usrlib/vitasense-job.jar",
                "exec /opt/flink/bin/sql-client.sh -j \"$jar\" -i \"$init\"",
                "com.vitasense.jobs.sql.SqlClientInit --mode \"$mode\" --output \"$init\"");
        // The init file holds the password: it goes to the service's tmpfs, never to a volume.
        Matcher init = Pattern.compile("(?m)^init=(/\\S+)/[^/\\s]+$").matcher(script);
        assertThat(init.find()).as("init=<dir>/<file> in the script").isTrue();
        assertThat(service.path("tmpfs").toString()).contains(init.group(1));
        Map<String, String> env = new HashMap<>(environments().get("sql-client"));
        env.replaceAll((k, v) -> REQUIRED_VARIABLE.matcher(v).matches() ? "from-the-env-file" : interpolateDefaults(v));
        for (String variable : List.of("FLINK_REST_ADDRESS", "FLINK_REST_PORT")) {
            assertThat(script).contains("${" + variable + "}");
            assertThat(env).containsKey(variable);
        }
        assertThat(env.get("FLINK_REST_ADDRESS")).isEqualTo("jobmanager");

        // Every parameter catalog.sql uses is one the rendering fills, from the service's settings.
        String catalog = Files.readString(ROOT.resolve("sql/flink/catalog.sql"), StandardCharsets.UTF_8);
        Set<String> used = new TreeSet<>();
        Matcher parameter = Pattern.compile("\\$\\{([a-z0-9.-]+)}").matcher(catalog.replaceAll("(?m)^\\s*--.*$", ""));
        while (parameter.find()) used.add(parameter.group(1));
        assertThat(used).contains("kafka.bootstrap", "jdbc.password");
        for (String mode : List.of("streaming", "batch")) {
            Path file = tmp.resolve(mode + "/init.sql");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = SqlClientInit.run(new String[] {"--mode", mode, "--output", file.toString(),
                    "--catalog", ROOT.resolve("sql/flink/catalog.sql").toString()}, env, new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as("SqlClientInit: %s", err).isZero();
            String rendered = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(rendered).doesNotContain("${")
                    .contains("SET 'execution.runtime-mode' = '" + mode + "';",
                            "'properties.bootstrap.servers' = 'kafka:9092'",
                            "'url' = 'jdbc:postgresql://postgres:5432/vitasense'",
                            "'password' = 'from-the-env-file'");
        }
    }

    @Test
    void createsExactlyTheTopicsTheJobUses() throws IOException {
        String script = Files.readString(ROOT.resolve("deploy/compose/create-topics.sh"), StandardCharsets.UTF_8);
        StreamingJob.Config defaults = StreamingJob.Config.from(Settings.parse(new String[0], Map.of()));
        for (String topic : defaults.kafka().topics().all()) {
            assertThat(script).contains(topic);
        }
    }

    @Test
    void namedMainClassesExist() throws IOException {
        List<String> classes = new ArrayList<>();
        Pattern main = Pattern.compile("com\\.vitasense\\.[\\w.]*[A-Z]\\w*");
        for (Path file : List.of(Path.of("docker-compose.yml"), Path.of("deploy/compose/submit-job.sh"),
                Path.of("deploy/compose/sql-client.sh"))) {
            Matcher m = main.matcher(Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8));
            while (m.find()) classes.add(m.group());
        }
        assertThat(classes).contains(StreamingJob.class.getName(), "com.vitasense.jobs.SchemaMigration",
                SqlClientInit.class.getName());
        for (String name : classes) {
            assertThat(classExists(name)).as(name).isTrue();
        }
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, DockerComposeTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Resolves ${NAME:-default} to its default, as compose does without an env file. */
    private static String interpolateDefaults(String value) {
        return value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
    }

    private static String image(String service) {
        return compose.path("services").path(service).path("image").asText();
    }

    private static List<String> volumes(String service) {
        List<String> out = new ArrayList<>();
        compose.path("services").path(service).path("volumes").forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Map<String, Map<String, String>> environments() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = compose.path("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            Map<String, String> env = new LinkedHashMap<>();
            s.getValue().path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            out.put(s.getKey(), env);
        }
        return out;
    }

    private static List<String> violations(JsonNode document) {
        // "deprecated" (draft 2019-09) is an annotation the compose schema uses; it validates nothing.
        JsonMetaSchema draft7 = JsonMetaSchema.builder(JsonMetaSchema.getV7())
                .keyword(new NonValidationKeyword("deprecated")).build();
        // Loaded by location, so that the schema's relative $id has a base to resolve against.
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, b -> b.metaSchema(draft7))
                .getSchema(SchemaLocation.of("classpath:compose-spec/compose-spec.json"));
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : schema.validate(document)) out.add(m.getMessage());
        return out;
    }
}
