package com.vitasense.jobs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vitasense.jobs.config.InvalidSettingException;
import com.vitasense.jobs.config.JdbcSettings;
import org.junit.jupiter.api.Test;

/** A database the migration cannot reach is reported in one line, naming it and the cause. */
class SchemaMigrationTest {
    @Test
    void anUnreachableDatabaseIsOneLineNamingItAndTheCause() {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        JdbcSettings jdbc = JdbcSettings.local("jdbc:postgresql://127.0.0.1:1/vitasense", "vitasense", "secret");
        assertThatThrownBy(() -> SchemaMigration.migrateOrExplain(jdbc))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("cannot migrate the schema at jdbc:postgresql://127.0.0.1:1/vitasense as vitasense: ")
                .hasMessageContaining("refused")
                .hasMessageNotContaining("secret")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
