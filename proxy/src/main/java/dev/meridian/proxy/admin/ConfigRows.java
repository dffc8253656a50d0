package dev.meridian.proxy.admin;

import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.config.MeridianConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SHOW CONFIG: the settings in force, one per row; passwords never shown. */
final class ConfigRows {
    private ConfigRows() {
    }

    static List<List<String>> of(MeridianConfig c) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("listen", c.listen().host() + ":" + c.listen().port()
                + " proxy_protocol=" + c.listen().proxyProtocol().name().toLowerCase(Locale.ROOT)));
        rows.add(List.of("admin", c.admin().host() + ":" + c.admin().port() + " users=" + c.admin().users()));
        rows.add(List.of("region", c.region()));
        rows.add(List.of("tls", c.tls() == null ? "off" : c.tls().mode().name().toLowerCase(Locale.ROOT)
                + " cert=" + c.tls().cert()));
        for (BackendConfig b : c.backends()) {
            rows.add(List.of("backends." + b.name(), b.region() + " " + b.host() + ":" + b.port()
                    + " role=" + b.role().name().toLowerCase(Locale.ROOT)
                    + " user=" + (b.user() == null ? "(client's own)" : b.user())
                    + " password=" + (b.password() == null ? "none" : "****")
                    + " tls=" + b.tls().mode().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
        c.databases().forEach(r -> rows.add(List.of("databases." + r.pattern(),
                "regions=" + (r.regions().isEmpty() ? "(all)" : String.join(",", r.regions()))
                        + " prefer=" + r.prefer().kind().name().toLowerCase(Locale.ROOT)
                        + (r.backendDatabase() == null ? "" : " backend_database=" + r.backendDatabase()))));
        rows.add(List.of("auth", c.auth().method().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + (c.auth().usersFile() == null ? "" : " users_file=" + c.auth().usersFile())
                + (c.auth().authQuery() == null ? "" : " auth_query=on")));
        rows.add(List.of("health", c.health().toString()));
        rows.add(List.of("pool", "max_per_backend=" + c.pool().maxPerBackend() + " idle_timeout="
                + c.pool().idleTimeout() + " reset_query=" + c.pool().resetQuery() + " min_idle=" + c.pool().minIdle()));
        rows.add(List.of("limits", "max_client_connections=" + c.limits().maxClientConnections()
                + " startup_timeout=" + c.limits().startupTimeout() + " max_message_bytes=" + c.limits().maxMessageBytes()
                + " idle_transaction_timeout=" + c.limits().idleTransactionTimeout()));
        rows.add(List.of("cluster", "instance=" + c.cluster().instance() + " peers=" + c.cluster().peers().stream()
                .map(p -> p.instance() + "@" + p.host() + ":" + p.port()).toList()
                + (c.cluster().peersDns() == null ? "" : " peers_dns=" + c.cluster().peersDns())));
        return rows;
    }
}
