package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.testing.SharedServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Row-level security as the migrations leave it, on a real PostgreSQL: every table that holds a
 * user's data has the {@code user_isolation} policy, and an ordinary role (no {@code BYPASSRLS},
 * not the owner) sees exactly the rows of the user its session names, and none without one.
 */
class RowLevelSecurityIT {
    private static final String ANALYST = "rls_analyst";
    private static final String ANALYST_PASSWORD = "analyst-secret";
    private static String url;

    @BeforeAll
    static void schemaWithTwoUsers() throws SQLException {
        url = SharedServers.newDatabase("rls");
        try (Connection owner = owner(); Statement s = owner.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ANALYST + "') THEN "
                    + "CREATE ROLE " + ANALYST + " LOGIN PASSWORD '" + ANALYST_PASSWORD + "'; END IF; END $$");
            s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + ANALYST);
            for (String user : List.of("u-1", "u-2")) {
                s.execute("INSERT INTO data_points (id, revision, user_id, device_id, vendor, metric, value, unit, start_time,"
                        + " end_time, time_source, ingested_at) VALUES ('p-" + user + "', 1, '" + user + "', 'cgm-" + user
                        + "', 'dexcom', 'glucose', 110, 'mg/dL', now(), now(), 'VENDOR_UTC', now())");
                s.execute("INSERT INTO devices (device_id, user_id, vendor) VALUES ('cgm-" + user + "', '" + user + "', 'dexcom')");
            }
        }
    }

    @Test
    void everyTableWithUserDataHasThePolicy() throws SQLException {
        List<String> unprotected = new ArrayList<>();
        List<String> protectedTables = new ArrayList<>();
        try (Connection owner = owner(); Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.relname, c.relrowsecurity,"
                     + " EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'user_isolation')"
                     + " FROM pg_class c JOIN information_schema.columns col"
                     + "   ON col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'user_id'"
                     + " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' ORDER BY c.relname")) {
            while (rs.next()) {
                (rs.getBoolean(2) && rs.getBoolean(3) ? protectedTables : unprotected).add(rs.getString(1));
            }
        }
        assertThat(unprotected).isEmpty();
        assertThat(protectedTables).contains("data_points", "devices", "quality_issues", "device_alerts", "calibrations",
                "calibration_events", "sync_sessions", "device_completeness");
    }

    @Test
    void aSessionSeesOnlyTheRowsOfTheUserItNames() throws SQLException {
        try (Connection analyst = analyst("u-1")) {
            assertThat(column(analyst, "SELECT user_id FROM data_points")).containsExactly("u-1");
            assertThat(column(analyst, "SELECT device_id FROM devices")).containsExactly("cgm-u-1");
        }
        try (Connection analyst = analyst("u-2")) {
            assertThat(column(analyst, "SELECT id FROM data_points")).containsExactly("p-u-2");
        }
    }

    @Test
    void aSessionThatNamesNoUserSeesNothing() throws SQLException {
        try (Connection analyst = analyst(null)) {
            assertThat(column(analyst, "SELECT id FROM data_points")).isEmpty();
            assertThat(column(analyst, "SELECT device_id FROM devices")).isEmpty();
        }
    }

    @Test
    void anOrdinaryRoleCannotWrite() throws SQLException {
        try (Connection analyst = analyst("u-1"); Statement s = analyst.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM data_points"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(url, SharedServers.postgres().user(), SharedServers.postgres().password());
    }

    /** The analyst role, its session naming {@code user} the way the README tells clients to. */
    private static Connection analyst(String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ANALYST);
        p.setProperty("password", ANALYST_PASSWORD);
        if (user != null) p.setProperty("options", "-c vitasense.user_id=" + user);
        return DriverManager.getConnection(url, p);
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) values.add(rs.getString(1));
        }
        return values;
    }
}
