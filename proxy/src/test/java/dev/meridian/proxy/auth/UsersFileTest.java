package dev.meridian.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.protocol.auth.ScramVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {
    static final String VERIFIER = ScramVerifier.fromPassword("pencil", new byte[16], 4096).encode();

    @Test
    void readsEachKindOfSecret() {
        var users = UsersFile.parse(List.of(
                "\"alice\" \"" + VERIFIER + "\"",
                "\"bob\" \"md53175bce1d3201d16594cebf9d7eb3f9d\"",
                "\"carol\" \"plain text\""));
        assertThat(users.get("alice")).isInstanceOf(UserSecret.Scram.class);
        assertThat(users.get("bob")).isEqualTo(new UserSecret.Md5Hash("md53175bce1d3201d16594cebf9d7eb3f9d"));
        assertThat(users.get("carol")).isInstanceOfSatisfying(UserSecret.Plain.class,
                p -> assertThat(p.password()).isEqualTo("plain text"));
    }

    @Test
    void doubledQuotesAndCommentsAndBlankLines() {
        var users = UsersFile.parse(List.of("; comment", "# another", "", "  \"we\"\"ird\"   \"pa\"\"ss\" \"extra\""));
        assertThat(users).containsOnlyKeys("we\"ird");
        assertThat(((UserSecret.Plain) users.get("we\"ird")).password()).isEqualTo("pa\"ss");
    }

    @Test
    void malformedLinesNameTheLineButNeverTheSecret() {
        assertThatThrownBy(() -> UsersFile.parse(List.of("\"ok\" \"x\"", "alice secret")))
                .hasMessage("line 2: expected \"name\" \"secret\"");
        assertThatThrownBy(() -> UsersFile.parse(List.of("\"alice\" \"SCRAM-SHA-256$4096:c2VjcmV0$bad\"")))
                .hasMessage("line 1: malformed SCRAM verifier for user \"alice\"")
                .hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> UsersFile.parse(List.of("\"unterminated \"x\"")))
                .hasMessageStartingWith("line 1:");
    }

    @Test
    void secretsNeverPrint() {
        assertThat(UserSecret.parse("hunter2").toString()).doesNotContain("hunter2");
        assertThat(UserSecret.parse(VERIFIER).toString()).doesNotContain(VERIFIER.substring(20));
    }

    @Test
    void reloadsWhenTheFileChangesAndKeepsTheOldContentsOnError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.txt");
        Files.writeString(file, "\"alice\" \"one\"\n");
        UsersFile users = new UsersFile(file);
        assertThat(users.find("alice")).isPresent();
        Files.writeString(file, "\"bob\" \"two\"\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        Thread.sleep(1100);
        assertThat(users.find("bob")).isPresent();
        assertThat(users.find("alice")).isEmpty();
        Files.writeString(file, "not a users file\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        Thread.sleep(1100);
        assertThat(users.find("bob")).isPresent();
    }
}
