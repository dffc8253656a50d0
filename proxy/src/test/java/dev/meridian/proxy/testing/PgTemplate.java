package dev.meridian.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Builds the cluster template that every primary is copied from: running initdb once per JVM and
 * copying its output costs a fraction of an initdb per server.
 *
 * <p>Settings every server shares live in the template's {@code postgresql.conf}; the per-server
 * ones (port, socket directory) live in {@value #SERVER_CONF}, which that file includes last.
 * pg_basebackup copies the primary's copy of that file into a replica, which then overwrites it.
 */
final class PgTemplate {

    static final String SERVER_CONF = "meridian-server.conf";

    private static final String SHARED_CONF = """

            # --- Meridian test harness ---
            listen_addresses = '127.0.0.1'
            # Durability is irrelevant for throw-away test data; speed is not.
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 300
            shared_buffers = 32MB
            wal_level = replica
            max_wal_senders = 10
            # Lets a replica catch up after its primary was killed or flooded by pgbench.
            wal_keep_size = 128MB
            password_encryption = 'scram-sha-256'
            log_min_messages = warning
            # pg_ctl -l writes the log to server.log beside the data directory.
            logging_collector = off
            include_if_exists = '%s'
            """.formatted(SERVER_CONF);

    private static final String HBA_CONF = """
            # TYPE  DATABASE     USER  ADDRESS        METHOD
            local   all          all                  trust
            host    all          all   127.0.0.1/32   scram-sha-256
            host    all          all   ::1/128        scram-sha-256
            host    replication  all   127.0.0.1/32   scram-sha-256
            host    replication  all   ::1/128        scram-sha-256
            """;

    private PgTemplate() {
    }

    static Path create(PgWorkspace workspace, Path dir) {
        Path passwordFile = dir.resolveSibling("superuser.pw");
        workspace.writeOwned(passwordFile, PgServer.SUPERUSER_PASSWORD + "\n");
        try {
            workspace.owner().runChecked(workspace.binaries().initdb().toString(),
                    "-D", dir.toString(),
                    "-U", PgServer.SUPERUSER, "--pwfile=" + passwordFile,
                    "-A", "scram-sha-256", "--auth-local=trust",
                    "-E", "UTF8", "--locale=C", "--no-sync");
        } finally {
            delete(passwordFile);
        }
        workspace.writeOwned(dir.resolve("postgresql.conf"), SHARED_CONF, StandardOpenOption.APPEND);
        workspace.writeOwned(dir.resolve("pg_hba.conf"), HBA_CONF,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return dir;
    }

    /** The per-server settings, rewritten before every start attempt. */
    static String serverConf(int port, Path socketDir) {
        return "port = " + port + "\nunix_socket_directories = '" + socketDir + "'\n";
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
