package dev.meridian.proxy.backend.pool;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool as {@code pool.min_idle} counts it: one backend, one backend user, one backend
 * database. Its warm connections are logged in with nothing but {@code user} and
 * {@code database} in the startup packet (the {@link #plain()} key), so that any client of that
 * user and database can take one (see {@link Adoption}).
 */
record WarmKey(String backend, String user, String database) {

    /** The pool a session's key belongs to. */
    static WarmKey of(PoolKey key) {
        Map<String, String> p = key.startupParameters();
        return new WarmKey(key.backend(), p.get("user"), p.get("database"));
    }

    /** Whether {@code key} is a plain key: user and database, no other startup parameter. */
    static boolean isPlain(PoolKey key) {
        Map<String, String> p = key.startupParameters();
        return p.size() == 2 && p.containsKey("user") && p.containsKey("database");
    }

    /** The startup parameters warm connections log in with, in the order they are sent. */
    Map<String, String> startupParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("user", user);
        p.put("database", database);
        return p;
    }

    PoolKey plain() {
        return new PoolKey(backend, startupParameters());
    }

    /** For logs: no user name (logs carry no identities beyond the session id). */
    String describe() {
        return "backend " + backend + ", database \"" + database + "\"";
    }
}
