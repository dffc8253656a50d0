package dev.meridian.proxy.testing;

/** A host and port that speaks the PostgreSQL protocol: a test server, or the proxy under test. */
public record PgEndpoint(String host, int port) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
