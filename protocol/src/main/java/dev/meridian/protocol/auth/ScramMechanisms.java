package dev.meridian.protocol.auth;

import java.util.List;

/** The SASL mechanism names PostgreSQL uses in AuthenticationSASL and SASLInitialResponse. */
public final class ScramMechanisms {

    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    public static final String SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";

    private ScramMechanisms() {}

    /**
     * The mechanisms a server offers, best first: -PLUS only when channel binding is possible
     * (the client is on TLS), as in PostgreSQL's {@code scram_get_mechanisms()}.
     */
    public static List<String> offered(boolean channelBindingAvailable) {
        return channelBindingAvailable
                ? List.of(SCRAM_SHA_256_PLUS, SCRAM_SHA_256)
                : List.of(SCRAM_SHA_256);
    }
}
