/**
 * Real-PostgreSQL harness for integration tests.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension PG = PostgresExtension.builder()
 *         .server("iad").server("lhr").replica("iad-replica", "iad").build();
 *
 * try (Connection c = PG.server("iad").connect(PgServer.APP_DATABASE, PgServer.APP_USER, PgServer.APP_PASSWORD)) { ... }
 * PgTools.local().psql(proxyEndpoint, PgServer.APP_USER, PgServer.APP_PASSWORD, PgServer.APP_DATABASE, "-c", "SELECT 1");
 * PG.server("iad").kill();   // crash; start() brings it back on the same port
 * }</pre>
 *
 * <p>Servers run from local binaries through {@link dev.meridian.proxy.localpg}, the code
 * {@code meridian demo} uses too (set {@code MERIDIAN_PG_BINDIR} to pick an installation); as
 * root they run as the OS user {@code postgres}. Their files go to {@code /dev/shm} when it has
 * room, else the JVM's temp directory; set {@code MERIDIAN_PG_WORKDIR} to choose. Without local
 * binaries, primaries run in Docker via Testcontainers, without crash control or replicas. With
 * neither, the tests fail and say how to install PostgreSQL.
 */
package dev.meridian.proxy.testing;
