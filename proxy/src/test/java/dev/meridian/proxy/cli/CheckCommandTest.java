package dev.meridian.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meridian check} says which authentication applies, trust above all. */
class CheckCommandTest {
    @TempDir
    Path dir;

    private String check(String auth) throws Exception {
        Files.writeString(dir.resolve("users.txt"), "\"alice\" \"secret\"\n");
        Path config = Files.writeString(dir.resolve("meridian.yaml"), """
                region: iad
                auth: %s
                backends: [ { name: iad-1, region: iad, host: h } ]
                databases: { "*": {} }
                """.formatted(auth));
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(new CommandLine(new Main()).execute("check", "-c", config.toString())).isZero();
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trustWithAUsersFileSaysOnlyListedUsersAreAdmitted() throws Exception {
        assertThat(check("{ method: trust, users_file: users.txt }"))
                .contains("auth: trust: only users listed in auth.users_file are admitted, without a password");
    }

    @Test
    void trustAloneSaysAnyNameIsAdmitted() throws Exception {
        assertThat(check("{ method: trust }")).contains("ANY user name is admitted without a password");
    }
}
