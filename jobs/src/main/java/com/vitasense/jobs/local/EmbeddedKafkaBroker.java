package com.vitasense.jobs.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM,
 * listening on 127.0.0.1 with its logs in a temporary directory that {@link #close()} deletes.
 * Used by the integration tests and the local demo; transactions work, so exactly-once sinks can
 * write to it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    // Log4j API rather than SLF4J: in this module slf4j-api resolves at runtime scope (through
    // kafka-clients), so it is not on the compile class path; Log4j is what the local runtime runs.
    private static final Logger LOG = LogManager.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The controller port (and the broker port when picked here) is probed free and bound later;
     * another process can take it in between, and only then is another attempt worth it.
     */
    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path baseDir;
    private final int port;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path baseDir, int port) {
        this.server = server;
        this.baseDir = baseDir;
        this.port = port;
        this.bootstrapServers = HOST + ":" + port;
        // A demo stopped with Ctrl-C should not leave its log directory behind.
        this.shutdownHook = new Thread(this::closeQuietlyOnExit, "embedded-kafka-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker on a free port of 127.0.0.1 and returns once it accepts clients. */
    public static EmbeddedKafkaBroker start() {
        return start(0);
    }

    /**
     * Starts a broker on the given port of 127.0.0.1 (0 picks a free one) and returns once it
     * accepts clients.
     *
     * @throws IllegalStateException if the broker cannot be formatted or started in time
     */
    public static EmbeddedKafkaBroker start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if (port != 0 && !isFree(port)) {
            // Fail before formatting and starting a controller, with a message that names the cause.
            throw new IllegalStateException("Cannot start the embedded Kafka broker: " + HOST + ":" + port
                    + " is already in use (another broker still running?)");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(port == 0 ? LocalResources.freePort() : port);
            } catch (IllegalStateException e) {
                if (attempt >= START_ATTEMPTS || !causedByBindFailure(e)) {
                    throw e;
                }
                LOG.warn("A port was taken between probing and binding, retrying Kafka startup ({}/{})",
                        attempt, START_ATTEMPTS);
            }
        }
    }

    private static EmbeddedKafkaBroker startOnce(int brokerPort) {
        long startNanos = System.nanoTime();
        Path baseDir = LocalResources.createTempDirectory("vitasense-kafka-", "Kafka");
        KafkaRaftServer server = null;
        try {
            Properties props = serverProperties(baseDir, brokerPort, LocalResources.freePort());
            Path configFile = baseDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "embedded Kafka broker");
            }
            formatStorage(configFile);

            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            String bootstrapServers = HOST + ":" + brokerPort;
            awaitClientsAccepted(bootstrapServers, startNanos + STARTUP_TIMEOUT.toNanos());
            LOG.info("Kafka broker ready at {} in {} ms", bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            return new EmbeddedKafkaBroker(server, baseDir, brokerPort);
        } catch (RuntimeException | IOException e) {
            IllegalStateException failure = new IllegalStateException(
                    "Could not start the embedded Kafka broker on " + HOST + ":" + brokerPort, e);
            stopAfterFailedStart(server, baseDir, failure);
            throw failure;
        }
    }

    private static Properties serverProperties(Path baseDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", baseDir.resolve("logs").toString());

        // One node: every internal topic must fit a replication factor of 1.
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        // Flink's exactly-once KafkaSink asks for a one-hour transaction timeout by default; the
        // broker's default ceiling of 15 minutes would reject its producers.
        p.put("transaction.max.timeout.ms", Long.toString(Duration.ofHours(1).toMillis()));

        // Records carry their reading's event time as timestamp, and tests and demos replay readings
        // from days ago: the default 7-day time retention would delete them while they are read.
        p.put("log.retention.ms", "-1");

        // Tests start consumers one at a time; waiting for more members to join only adds latency.
        p.put("group.initial.rebalance.delay.ms", "0");

        // Small footprint: index files are preallocated and the cleaner allocates its dedupe
        // buffer up front (128 MB by default), which matters inside a 1 GB test JVM.
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("transaction.state.log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("num.replica.fetchers", "1");
        p.put("group.coordinator.threads", "1");
        p.put("share.coordinator.threads", "1");
        return p;
    }

    /** Same as {@code kafka-storage.sh format}, minus the {@code System.exit} of its main method. */
    private static void formatStorage(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(new String[] {
                    "format",
                    "--config", configFile.toString(),
                    "--cluster-id", Uuid.randomUuid().toString()
            }, out);
        } catch (RuntimeException e) {
            // StorageTool reports bad configuration by throwing (TerseFailure, FormatterException).
            throw new IllegalStateException("Formatting Kafka storage failed: " + e.getMessage()
                    + outputSuffix(output), e);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting Kafka storage failed with exit code " + exitCode
                    + outputSuffix(output));
        }
    }

    private static String outputSuffix(ByteArrayOutputStream output) {
        String text = output.toString(StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? "" : System.lineSeparator() + text;
    }

    /**
     * {@link KafkaRaftServer#startup()} returns before the data plane necessarily serves metadata, so
     * ask the broker itself; the admin client retries internally until the deadline.
     */
    private static void awaitClientsAccepted(String bootstrapServers, long deadlineNanos) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
            Exception lastFailure = null;
            while (true) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (remainingMs <= 0) {
                    throw new IllegalStateException("Kafka broker at " + bootstrapServers
                            + " did not accept clients within " + STARTUP_TIMEOUT, lastFailure);
                }
                try {
                    Collection<Node> nodes = admin.describeCluster(
                                    new DescribeClusterOptions().timeoutMs((int) Math.min(remainingMs, Integer.MAX_VALUE)))
                            .nodes().get(remainingMs, TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    lastFailure = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                }
            }
        }
    }

    /** The address clients should use, e.g. {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The port the broker listens on. */
    public int port() {
        return port;
    }

    /** The temporary directory holding the broker's configuration and logs; {@link #close()} deletes it. */
    public Path directory() {
        return baseDir;
    }

    /**
     * Creates the topics with the given partition count (replication factor 1) and waits until the
     * broker serves their metadata, so that a source started right after sees every partition.
     * Topics that already exist are left as they are.
     */
    public void createTopics(int partitions, String... topics) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (topics.length == 0) {
            return;
        }
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        try (Admin admin = Admin.create(adminConfig(bootstrapServers))) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create Kafka topic " + result.getKey(), e.getCause());
                    }
                }
            }
            awaitTopicMetadata(admin, Arrays.asList(topics));
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating Kafka topics " + Arrays.toString(topics), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics", e);
        }
    }

    /**
     * CreateTopics completes once the controller committed the topic; the broker's metadata cache
     * follows a moment later, and unknown topics are not retried by the admin client.
     */
    private static void awaitTopicMetadata(Admin admin, List<String> topics)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean allLed = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty());
                if (allLed) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe Kafka topics " + topics, e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("Metadata of topics " + topics + " not available after " + ADMIN_TIMEOUT);
            }
            // Metadata propagation inside one process takes milliseconds; poll briefly.
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static Properties adminConfig(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin");
        p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        return p;
    }

    /** Shuts the broker down, waits for it to stop and deletes its log directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already exiting and runs the hook (which may be this very call).
            LOG.debug("JVM shutdown in progress; the shutdown hook stays registered", e);
        }
        long startNanos = System.nanoTime();
        RuntimeException failure = null;
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            failure = new IllegalStateException("Kafka broker at " + bootstrapServers + " did not shut down cleanly", e);
        }
        try {
            LocalResources.deleteRecursively(baseDir, "Kafka");
        } catch (UncheckedIOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    private void closeQuietlyOnExit() {
        try {
            close();
        } catch (RuntimeException e) {
            // Nothing can act on it during JVM exit; make it visible at least.
            LOG.error("Could not stop the embedded Kafka broker at {} cleanly", bootstrapServers, e);
        }
    }

    private static void stopAfterFailedStart(KafkaRaftServer server, Path baseDir, Exception failure) {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        try {
            LocalResources.deleteRecursively(baseDir, "Kafka");
        } catch (UncheckedIOException e) {
            failure.addSuppressed(e);
        }
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }




    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers + ", " + baseDir + "]";
    }
}
