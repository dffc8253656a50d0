package dev.meridian.protocol.auth;

/**
 * The GS2 header that starts a client-first-message (RFC 5802 section 7): {@code n,,} (client
 * cannot bind), {@code y,,} (client can bind but believes the server cannot) or
 * {@code p=<type>,,} (client binds to the TLS channel). The authzid field is always empty:
 * PostgreSQL rejects authorization identities and so do we.
 *
 * @param flag {@code 'n'}, {@code 'y'} or {@code 'p'}
 * @param channelBindingType the type after {@code p=}; {@code null} unless flag is {@code 'p'}
 */
record Gs2Header(char flag, String channelBindingType) {

    static final Gs2Header NO_BINDING = new Gs2Header('n', null);
    static final Gs2Header BINDING_NOT_OFFERED = new Gs2Header('y', null);
    static final Gs2Header TLS_SERVER_END_POINT =
            new Gs2Header('p', ChannelBinding.TLS_SERVER_END_POINT);

    String encode() {
        return (flag == 'p' ? "p=" + channelBindingType : String.valueOf(flag)) + ",,";
    }

    /**
     * Parses the two fields before the second comma, following the checks of PostgreSQL's
     * {@code read_client_first_message()} in auth-scram.c.
     */
    static Gs2Header parse(String flagField, String authzidField) {
        Gs2Header header = parseFlag(flagField);
        if (authzidField.startsWith("a=")) {
            throw new ScramException(ScramException.Reason.UNSUPPORTED_FEATURE,
                    "client uses authorization identity, but it is not supported");
        }
        if (!authzidField.isEmpty()) {
            throw ScramException.malformed("unexpected attribute in GS2 header");
        }
        return header;
    }

    private static Gs2Header parseFlag(String field) {
        if (field.equals("n")) {
            return NO_BINDING;
        }
        if (field.equals("y")) {
            return BINDING_NOT_OFFERED;
        }
        if (field.startsWith("p=") && field.length() > 2) {
            return new Gs2Header('p', field.substring(2));
        }
        throw ScramException.malformed("unexpected channel-binding flag");
    }
}
