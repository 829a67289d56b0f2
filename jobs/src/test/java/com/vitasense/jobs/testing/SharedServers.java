package com.vitasense.jobs.testing;

import com.vitasense.jobs.SchemaMigration;
import com.vitasense.jobs.local.EmbeddedKafkaBroker;
import com.vitasense.jobs.local.EmbeddedPostgresServer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Kafka broker and one PostgreSQL server for the whole integration-test run, started on first
 * use and stopped when the JVM exits. Test classes isolate themselves with their own topics and
 * their own database ({@link #newDatabase}), not with their own servers, which keeps the suite fast.
 */
public final class SharedServers {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedPostgresServer postgres;

    private SharedServers() {}

    public static synchronized EmbeddedKafkaBroker kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-test-kafka"));
        }
        return kafka;
    }

    public static synchronized EmbeddedPostgresServer postgres() {
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-test-postgres"));
        }
        return postgres;
    }

    /** A fresh database with the project's migrations applied; returns its JDBC URL. */
    public static String newDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        postgres().createDatabase(name);
        String url = postgres().jdbcUrl(name);
        SchemaMigration.migrate(url, postgres().user(), postgres().password());
        return url;
    }
}
