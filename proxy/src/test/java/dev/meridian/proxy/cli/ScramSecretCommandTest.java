package dev.meridian.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.protocol.auth.ScramClient;
import dev.meridian.protocol.auth.ScramServer;
import dev.meridian.protocol.auth.ChannelBinding;
import dev.meridian.proxy.auth.UserSecret;
import dev.meridian.proxy.auth.UsersFileLines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScramSecretCommandTest {
    @Test
    void printsAUsersFileLineWhoseVerifierAcceptsThePassword() {
        String line = run("alice", "s3cret pass\n");
        assertThat(line).startsWith("\"alice\" \"SCRAM-SHA-256$4096:").doesNotContain("s3cret");
        UserSecret secret = UsersFileLines.parseOne(line);
        var verifier = ((UserSecret.Scram) secret).verifier();
        ScramClient client = ScramClient.withPassword("s3cret pass");
        ScramServer server = new ScramServer(verifier, ChannelBinding.none());
        byte[] first = server.serverFirstMessage("SCRAM-SHA-256", client.clientFirstMessage());
        client.verifyServerFinal(server.serverFinalMessage(client.clientFinalMessage(first)));
    }

    @Test
    void quotesUserNamesWithQuotes() {
        assertThat(run("we\"ird", "x\n")).startsWith("\"we\"\"ird\" ");
    }

    @Test
    void emptyInputIsAnError() {
        InputStream in = System.in;
        try {
            System.setIn(new ByteArrayInputStream(new byte[0]));
            assertThat(Main.execute("scram-secret", "alice")).isEqualTo(1);
        } finally {
            System.setIn(in);
        }
    }

    private static String run(String user, String stdin) {
        InputStream in = System.in;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(Main.execute("scram-secret", user)).isZero();
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8).trim();
    }
}
