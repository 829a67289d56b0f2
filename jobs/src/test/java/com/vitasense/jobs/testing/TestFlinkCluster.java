package com.vitasense.jobs.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster every integration test class shares among its tests: one task manager with two
 * slots, so jobs run with parallelism 2 as they do on a cluster.
 */
public final class TestFlinkCluster {
    private TestFlinkCluster() {}

    /** Register as a {@code static} {@code @RegisterExtension} field: one cluster per test class. */
    public static MiniClusterExtension perClass() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }
}
