package dev.meridian.proxy.edge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Neon-Connection-String} header: {@code postgres[ql]://user[:password]@host[:port]/database[?...]}.
 * The host is ignored (Meridian routes by database); user and password are percent-decoded, as
 * the driver encodes them. {@code toString} never prints the password.
 */
record ConnectionString(String user, String password, String database) {

    static ConnectionString parse(String text) {
        if (text == null || text.isBlank()) {
            throw EdgeException.badRequest("missing Neon-Connection-String header");
        }
        int scheme = text.indexOf("://");
        String prefix = scheme < 0 ? "" : text.substring(0, scheme);
        if (!prefix.equals("postgres") && !prefix.equals("postgresql")) {
            throw EdgeException.badRequest("Neon-Connection-String must be a postgres:// URL");
        }
        String rest = text.substring(scheme + 3);
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        int slash = rest.indexOf('/', rest.lastIndexOf('@') + 1);
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            throw EdgeException.badRequest("Neon-Connection-String names no user");
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        if (user.isEmpty()) {
            throw EdgeException.badRequest("Neon-Connection-String names no user");
        }
        return new ConnectionString(user, password, database.isEmpty() ? user : database);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw EdgeException.badRequest("Neon-Connection-String has a malformed %-escape");
        }
    }

    @Override
    public String toString() {
        return "ConnectionString[user=" + user + ", database=" + database + (password == null ? "" : ", password=****") + "]";
    }
}
