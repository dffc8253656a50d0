package dev.meridian.proxy.localpg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@code meridian demo} relies on beyond the test harness: per-server settings, and a
 * workspace close that stops its servers and removes everything, even while an owner is closing
 * one of them (the demo's shutdown hook and the workspace's run at the same time).
 */
class LocalClusterIntegrationTests {

    private static final String PASSWORD = "local-cluster-test";

    @Test
    void settingsReachTheServerAndStatementsRunAsTheSuperuser() {
        try (PgWorkspace workspace = PgWorkspace.create(PgBinaries.require(), PASSWORD)) {
            LocalCluster server = LocalCluster.startPrimary(workspace, "sin", Map.of("cluster_name", "sin"));

            assertThat(server.execute("postgres", "SHOW cluster_name", "SELECT current_user"))
                    .isEqualTo("sin\npostgres\n");
        }
    }

    @Test
    void closingTheWorkspaceStopsItsServersAndDeletesEverything() {
        PgWorkspace workspace = PgWorkspace.create(PgBinaries.require(), PASSWORD);
        LocalCluster iad = LocalCluster.startPrimary(workspace, "iad", Map.of());
        LocalCluster lhr = LocalCluster.startPrimary(workspace, "lhr", Map.of());

        workspace.close();

        assertThat(workspace.root()).doesNotExist();
        assertThat(iad.acceptsConnections()).isFalse();
        assertThat(lhr.acceptsConnections()).isFalse();
    }

    @Test
    void aServerAndItsWorkspaceClosingAtOnceBothFinish() throws Exception {
        PgWorkspace workspace = PgWorkspace.create(PgBinaries.require(), PASSWORD);
        LocalCluster server = LocalCluster.startPrimary(workspace, "iad", Map.of());

        CompletableFuture<Void> owner = CompletableFuture.runAsync(server::close);
        CompletableFuture<Void> hook = CompletableFuture.runAsync(workspace::close);

        CompletableFuture.allOf(owner, hook).get(90, TimeUnit.SECONDS);
        assertThat(workspace.root()).doesNotExist();
        assertThat(server.acceptsConnections()).isFalse();
    }
}
