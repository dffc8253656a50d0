package dev.meridian.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.naming.NameNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fly's machine list: TXT {@code vms.<app>.internal} = "id region,id region", read through the JDK's DNS provider. */
class FlyDnsTest {
    private static final FlyDns.Machine IAD = new FlyDns.Machine("1781973f6e0d89", "iad");
    private static final FlyDns.Machine LHR = new FlyDns.Machine("3d8d9d1c4e2d89", "lhr");

    private FakeDns dns;

    @AfterEach
    void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void parsesFlysListInTheQuotedFormJndiGives() {
        // The record is one character-string holding spaces, so JNDI presents it in quotes.
        assertThat(FlyDns.parse(List.of("\"1781973f6e0d89 iad,3d8d9d1c4e2d89 lhr\""))).containsExactly(IAD, LHR);
    }

    @Test
    void aRecordWithoutSpacesComesUnquoted() {
        assertThat(FlyDns.parse(List.of("1781973f6e0d89,3d8d9d1c4e2d89")))
                .extracting(FlyDns.Machine::id).containsExactly("1781973f6e0d89", "3d8d9d1c4e2d89");
    }

    @Test
    void joinsARecordSplitIntoSeveralStrings() {
        // Records over 255 bytes are cut into character-strings anywhere, even inside an id.
        assertThat(FlyDns.parse(List.of("\"1781973f6e0d89 iad,3d8d9d\" \"1c4e2d89 lhr\""))).containsExactly(IAD, LHR);
    }

    @Test
    void unescapesAndToleratesSpacing() {
        assertThat(FlyDns.characterStrings("plain \"with space\" \"q\\\"uote\" \"\" back\\\\slash"))
                .containsExactly("plain", "with space", "q\"uote", "", "back\\slash");
        assertThat(FlyDns.parse(List.of("\" 1781973f6e0d89   iad , 3d8d9d1c4e2d89 lhr ,\""))).containsExactly(IAD, LHR);
    }

    @Test
    void skipsEntriesThatCannotBeAHostLabelAndRepeats() {
        assertThat(FlyDns.parse(List.of("\"1781973f6e0d89 iad,bad.id lhr,-x sin,,1781973f6e0d89 iad\"", "3d8d9d1c4e2d89")))
                .containsExactly(IAD, new FlyDns.Machine("3d8d9d1c4e2d89", ""));
        assertThat(FlyDns.parse(List.of())).isEmpty();
        assertThat(FlyDns.parse(List.of("\"\""))).isEmpty();
    }

    @Test
    void machinesAnswerUnderVmOfTheApp() {
        assertThat(FlyDns.hostOf("vms.meridian.internal", "1781973f6e0d89"))
                .isEqualTo("1781973f6e0d89.vm.meridian.internal");
    }

    @Test
    void looksUpTxtRecordsThroughTheJdkResolver() throws Exception {
        dns = new FakeDns();
        dns.txt("vms.meridian.internal", List.of(List.of("1781973f6e0d89 iad,3d8d9d1c4e2d89 lhr")));

        List<String> records = FlyDns.txtRecords("vms.meridian.internal", dns.url());

        assertThat(FlyDns.parse(records)).containsExactly(IAD, LHR);
    }

    @Test
    void aLongRecordInSeveralStringsSurvivesTheLookup() throws Exception {
        dns = new FakeDns();
        dns.txt("vms.meridian.internal", List.of(List.of("1781973f6e0d89 iad,3d8d9d", "1c4e2d89 lhr")));

        assertThat(FlyDns.parse(FlyDns.txtRecords("vms.meridian.internal", dns.url()))).containsExactly(IAD, LHR);
    }

    @Test
    void anUnknownNameFails() throws Exception {
        dns = new FakeDns();

        assertThatThrownBy(() -> FlyDns.txtRecords("vms.nothing.internal", dns.url()))
                .isInstanceOf(NameNotFoundException.class);
    }
}
