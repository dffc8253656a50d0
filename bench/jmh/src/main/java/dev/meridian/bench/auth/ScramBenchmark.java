package dev.meridian.bench.auth;

import dev.meridian.protocol.auth.ChannelBinding;
import dev.meridian.protocol.auth.ScramClient;
import dev.meridian.protocol.auth.ScramServer;
import dev.meridian.protocol.auth.ScramVerifier;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One client's SCRAM-SHA-256 login as Meridian's {@link ScramServer} sees it: a new exchange
 * (server nonce from SecureRandom), server-first, the client's proof, server-final. The client
 * side is a {@link ScramClient} whose PBKDF2 result is cached after the first call (as the
 * proxy's backend logins with a configured password are), so what is measured is the per-login
 * work both sides share: HMACs, SHA-256, nonces, message parsing. Run with {@code -t 2} to see
 * two event loops logging clients in at once (shared SecureRandom, JCA provider look-ups).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScramBenchmark {
    private static final String PASSWORD = "bench-secret";
    private ScramVerifier verifier;

    @Setup
    public void setUp() {
        verifier = ScramVerifier.fromPassword(PASSWORD, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), 4096);
    }

    @Benchmark
    public byte[] exchange() {
        ScramServer server = new ScramServer(verifier, ChannelBinding.none());
        ScramClient client = ScramClient.withPassword(PASSWORD);
        String mechanism = client.selectMechanism(server.mechanisms());
        byte[] serverFirst = server.serverFirstMessage(mechanism, client.clientFirstMessage());
        byte[] serverFinal = server.serverFinalMessage(client.clientFinalMessage(serverFirst));
        client.verifyServerFinal(serverFinal);
        return server.recoveredClientKey();
    }
}
