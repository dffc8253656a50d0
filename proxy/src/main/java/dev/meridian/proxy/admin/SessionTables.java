package dev.meridian.proxy.admin;

import dev.meridian.proxy.backend.pool.ServerList;
import dev.meridian.proxy.config.BackendConfig;
import dev.meridian.proxy.ops.PoolColumns;
import dev.meridian.proxy.session.ProxyContext;
import dev.meridian.proxy.session.SessionRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** SHOW POOLS, CLIENTS, SERVERS, USERS and LISTS: the sessions and server connections right now. */
final class SessionTables {
    private final ProxyContext proxy;

    SessionTables(ProxyContext proxy) {
        this.proxy = proxy;
    }

    ResultTable pools() {
        PoolColumns columns = proxy.ops().poolColumns();
        var rows = PoolTable.rows(proxy.sessions().list(), proxy.pool().servers().list(),
                proxy.transactionPools().stats(), System.nanoTime());
        return new ResultTable(columns.names(), columns.rows(rows), "SHOW");
    }

    /**
     * Relayed sessions ({@code active}) and those waiting for a backend ({@code waiting}: PAUSE,
     * pool, login); {@code pool_mode}, and for transaction-pooled ones whether they are pinned
     * to their backend connection and why ({@code pinned} 1/0, {@code pin_reason} "listen,...").
     */
    ResultTable clients() {
        long now = System.nanoTime();
        List<List<String>> rows = new ArrayList<>();
        for (SessionRegistry.Entry e : proxy.sessions().list()) {
            long waited = e.state() == SessionRegistry.State.WAITING ? now - e.waitStartNanos() : 0;
            String pins = e.transactionPooled() ? e.pins().get() : "";
            rows.add(List.of("C", e.user(), e.database(), e.state().label(),
                    e.clientAddress() == null ? "" : e.clientAddress().text(), e.since().toString(),
                    Long.toString(waited / 1_000_000_000L), Long.toString(waited / 1000 % 1_000_000L),
                    e.backend(), e.backendRegion(), Long.toString(e.id()),
                    e.transactionPooled() ? "transaction" : "session", pins.isEmpty() ? "0" : "1", pins));
        }
        return new ResultTable(List.of("type", "user", "database", "state", "addr", "connect_time", "wait", "wait_us",
                "backend", "backend_region", "id", "pool_mode", "pinned", "pin_reason"), rows, "SHOW");
    }

    /** Every pooled backend connection: lent ({@code active}) or {@code idle}; close_needed after RECONNECT. */
    ResultTable servers() {
        Map<String, BackendConfig> backends = new TreeMap<>();
        proxy.config().backends().forEach(b -> backends.put(b.name(), b));
        List<List<String>> rows = new ArrayList<>();
        for (ServerList.Server s : proxy.pool().servers().list()) {
            BackendConfig b = backends.get(s.backend());
            rows.add(List.of("S", s.user(), s.database(), s.state(), b == null ? "" : b.host(),
                    b == null ? "" : Integer.toString(b.port()), s.connectTime().toString(),
                    Integer.toString(s.remotePid()), s.retired() ? "1" : "0", s.backend(), s.region()));
        }
        return new ResultTable(List.of("type", "user", "database", "state", "addr", "port", "connect_time",
                "remote_pid", "close_needed", "backend", "backend_region"), rows, "SHOW");
    }

    /** The users with a session or a server connection now (users files and auth_query are not listed). */
    ResultTable users() {
        Map<String, int[]> users = new TreeMap<>();
        proxy.sessions().list().forEach(e -> users.computeIfAbsent(e.user(), u -> new int[2])[1]++);
        proxy.pool().servers().list().forEach(s -> users.computeIfAbsent(s.user(), u -> new int[2])[0]++);
        List<List<String>> rows = new ArrayList<>();
        users.forEach((name, n) -> rows.add(List.of(name, "session", Integer.toString(n[0]), Integer.toString(n[1]))));
        return new ResultTable(List.of("name", "pool_mode", "current_connections", "current_client_connections"),
                rows, "SHOW");
    }

    ResultTable lists() {
        var sessions = proxy.sessions().list();
        var servers = proxy.pool().servers().list();
        long used = sessions.stream().filter(e -> e.state() == SessionRegistry.State.ACTIVE).count();
        long idle = servers.stream().filter(s -> "idle".equals(s.state())).count();
        List<List<String>> rows = List.of(
                row("databases", proxy.config().databases().size()),
                row("users", sessions.stream().map(SessionRegistry.Entry::user).distinct().count()),
                row("pools", PoolTable.rows(sessions, servers, proxy.transactionPools().stats(), System.nanoTime()).size()),
                row("used_clients", used),
                row("waiting_clients", sessions.size() - used),
                row("login_clients", Math.max(0, proxy.openClients() - sessions.size())),
                row("free_servers", idle),
                row("used_servers", servers.size() - idle));
        return new ResultTable(List.of("list", "items"), rows, "SHOW");
    }

    private static List<String> row(String name, long items) {
        return List.of(name, Long.toString(items));
    }
}
