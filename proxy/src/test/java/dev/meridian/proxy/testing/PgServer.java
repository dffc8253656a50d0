package dev.meridian.proxy.testing;

import dev.meridian.proxy.localpg.LocalCluster;
import dev.meridian.proxy.localpg.LogTail;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One running PostgreSQL server owned by a test. Obtain it from {@link PostgresExtension}.
 *
 * <p>Every primary has the superuser {@value #SUPERUSER} (password {@link #SUPERUSER_PASSWORD})
 * and a login role {@value #APP_USER} owning database {@value #APP_DATABASE}; replicas inherit
 * both. All passwords are stored as SCRAM-SHA-256 and TCP logins require SCRAM.
 *
 * <p>Servers run with {@code fsync=off} and {@code synchronous_commit=off} for speed: after
 * {@link #kill()} the last few hundred milliseconds of commits may be lost. A test that asserts
 * durability across a crash must commit with {@code SET synchronous_commit = on}.
 */
public abstract class PgServer implements AutoCloseable {

    public static final String SUPERUSER = LocalCluster.SUPERUSER;
    public static final String SUPERUSER_PASSWORD = "meridian-superuser-secret";
    public static final String APP_USER = "app";
    public static final String APP_PASSWORD = "app-secret";
    public static final String APP_DATABASE = "app";

    /** Only this package's implementations: tests get servers from {@link PostgresExtension}. */
    PgServer() {
    }

    public abstract String name();

    public abstract String host();

    public abstract int port();

    /** True while the server is a standby; becomes false after {@link #promote()}. */
    public abstract boolean isReplica();

    public abstract Path dataDir();

    /** SIGKILLs the postmaster, like a crash; returns once the port no longer accepts TCP. */
    public abstract void kill();

    /** Fast shutdown: aborts open transactions, disconnects clients, checkpoints. */
    public abstract void stop();

    /** Starts a stopped or killed server on the same port and data; waits until it serves. */
    public abstract void start();

    /** Promotes a replica to primary; returns once {@code pg_is_in_recovery()} is false. */
    public abstract void promote();

    /** The last lines of the server's log, for assertion and failure messages. */
    public abstract String logTail();

    /** Stops the server (killing it if a clean stop fails) and deletes its files. */
    @Override
    public abstract void close();

    public PgEndpoint endpoint() {
        return new PgEndpoint(host(), port());
    }

    public String jdbcUrl(String database) {
        return endpoint().jdbcUrl(database);
    }

    /** Connects over TCP as the superuser. */
    public Connection connect(String database) throws SQLException {
        return connect(database, SUPERUSER, SUPERUSER_PASSWORD);
    }

    public Connection connect(String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        // Fail fast against a killed server instead of pgjdbc's default 10 s.
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Runs each statement in autocommit mode as the superuser; wraps errors unchecked. */
    public void execute(String database, String... sql) {
        try (Connection connection = connect(database);
             Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name() + ": " + e.getMessage(), e);
        }
    }

    /** First column of the first row as a string, or null when there is no row (superuser). */
    public String query(String database, String sql) {
        try (Connection connection = connect(database);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(name() + ": " + e.getMessage(), e);
        }
    }

    /** True if a superuser login and a trivial query succeed right now. */
    public boolean isAcceptingConnections() {
        try (Connection connection = connect("postgres");
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Asks the server itself: {@code pg_is_in_recovery()}. */
    public boolean isInRecovery() {
        return "t".equals(query("postgres", "SELECT pg_is_in_recovery()"));
    }

    /** Creates the {@value #APP_USER} role and database that every test may rely on. */
    protected void createAppRoleAndDatabase() {
        execute("postgres",
                "SET password_encryption = 'scram-sha-256'",
                "CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'",
                "CREATE DATABASE " + APP_DATABASE + " OWNER " + APP_USER);
    }

    /** The end of a log: enough to diagnose a failure without drowning the report. */
    protected static String lastLines(String log) {
        return LogTail.of(log);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + " " + endpoint()
                + (isReplica() ? " replica" : "") + "]";
    }
}
