package dev.meridian.proxy.localpg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Builds the cluster template that every primary is copied from: running initdb once per
 * workspace and copying its output costs a fraction of an initdb per server.
 *
 * <p>Settings every server shares live in the template's {@code postgresql.conf}; the per-server
 * ones (port, socket directory) live in {@value #SERVER_CONF}, which that file includes last.
 * pg_basebackup copies the primary's copy of that file into a replica, which then overwrites it.
 */
final class PgTemplate {

    static final String SERVER_CONF = "meridian-server.conf";

    private static final String SHARED_CONF = """

            # --- Meridian local servers (tests, meridian demo) ---
            listen_addresses = '127.0.0.1'
            # Durability is irrelevant for throwaway data; speed is not.
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
        ServerFiles.writeOwned(passwordFile, workspace.superuserPassword() + "\n");
        try {
            workspace.owner().runChecked(workspace.binaries().initdb().toString(),
                    "-D", dir.toString(),
                    "-U", LocalCluster.SUPERUSER, "--pwfile=" + passwordFile,
                    "-A", "scram-sha-256", "--auth-local=trust",
                    "-E", "UTF8", "--locale=C", "--no-sync");
        } finally {
            delete(passwordFile);
        }
        ServerFiles.writeOwned(dir.resolve("postgresql.conf"), SHARED_CONF, StandardOpenOption.APPEND);
        ServerFiles.writeOwned(dir.resolve("pg_hba.conf"), HBA_CONF,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return dir;
    }

    /** The per-server settings, rewritten before every start attempt; {@code extra} comes last. */
    static String serverConf(int port, Path socketDir, Map<String, String> extra) {
        StringBuilder conf = new StringBuilder()
                .append("port = ").append(port).append('\n')
                .append("unix_socket_directories = ").append(quote(socketDir.toString())).append('\n');
        extra.forEach((name, value) -> conf.append(name).append(" = ").append(quote(value)).append('\n'));
        return conf.toString();
    }

    /** A postgresql.conf string literal: single quotes, an embedded quote doubled. */
    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
