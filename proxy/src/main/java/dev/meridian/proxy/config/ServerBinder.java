package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Binds the sections about Meridian's own sockets: {@code listen}, {@code admin}, {@code tls}. */
final class ServerBinder {

    /** Hosts that bind every interface, and so collide with any other host on the same port. */
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "*", "[::]");

    private ServerBinder() {}

    static ListenConfig listen(Node node) {
        ListenConfig d = ListenConfig.DEFAULT;
        Fields f = Fields.of(node, "host", "port", "proxy_protocol", "proxy_protocol_from", "transaction_port");
        ProxyProtocol mode = proxyProtocol(f);
        List<Cidr> from = cidrs(f.node("proxy_protocol_from"), true);
        if (mode == ProxyProtocol.OFF && f.has("proxy_protocol_from")) {
            f.problem("proxy_protocol_from", "has no effect with proxy_protocol off");
        }
        int port = f.integer("port", d.port(), 1, 65535);
        Integer transactionPort = null;
        if (f.has("transaction_port")) {
            int value = f.integer("transaction_port", 0, 1, 65535);
            if (value == port) {
                f.problem("transaction_port", "same as " + f.path("port") + " (" + port + ")");
            }
            transactionPort = value == 0 ? null : value;
        }
        return new ListenConfig(f.string("host", d.host()), port, mode, from, transactionPort);
    }

    /**
     * A list of networks, none when the key is absent; every bad item reported with its index,
     * and an empty list too when {@code nonEmpty}.
     */
    static List<Cidr> cidrs(Node list, boolean nonEmpty) {
        List<Cidr> cidrs = new ArrayList<>();
        if (list.isAbsent() || !list.expectList()) {
            return cidrs;
        }
        if (nonEmpty && list.items().isEmpty()) {
            list.problem("must list at least one network (omit the key for the default)");
        }
        for (Node item : list.items()) {
            String text = item.text("a CIDR");
            if (text == null) {
                continue;
            }
            try {
                cidrs.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                item.problem("invalid CIDR " + KeyPath.quote(text) + ": " + e.getMessage());
            }
        }
        return cidrs;
    }

    private static ProxyProtocol proxyProtocol(Fields f) {
        String text = f.string("proxy_protocol");
        if (text == null) {
            return ProxyProtocol.OFF;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "false": // YAML 1.1 booleans: bare off/no are what other tools read as false
            case "no":
                return ProxyProtocol.OFF;
            case "on":
            case "true":
            case "yes":
                f.problem("proxy_protocol", KeyPath.quote(text)
                        + " is ambiguous: use optional or required (or off)");
                return ProxyProtocol.OFF;
            default:
                return f.choice("proxy_protocol", ProxyProtocol.OFF, ProxyProtocol.class);
        }
    }

    static AdminConfig admin(Node node, ListenConfig listen) {
        AdminConfig d = AdminConfig.DEFAULT;
        Fields f = Fields.of(node, "host", "port", "users");
        AdminConfig admin = new AdminConfig(f.string("host", d.host()),
                f.integer("port", d.port(), 1, 65535), f.strings("users"));
        if (admin.port() == listen.port() && sameSocket(admin.host(), listen.host())) {
            f.problem("port", "same as listen.port (" + listen.port() + ") on an overlapping host");
        } else if (listen.transactionPort() != null && admin.port() == listen.transactionPort()
                && sameSocket(admin.host(), listen.host())) {
            f.problem("port", "same as listen.transaction_port (" + listen.transactionPort() + ") on an overlapping host");
        }
        return admin;
    }

    private static boolean sameSocket(String a, String b) {
        return a.equalsIgnoreCase(b) || WILDCARDS.contains(a) || WILDCARDS.contains(b);
    }

    /** Null when {@code tls:} is absent: no TLS is offered to clients. */
    static TlsConfig tls(Node node) {
        if (node.isAbsent()) {
            return null;
        }
        Fields f = Fields.of(node, "cert", "key", "mode");
        Path cert = f.requiredFile("cert");
        Path key = f.requiredFile("key");
        ClientTlsMode mode = f.choice("mode", ClientTlsMode.PREFER, ClientTlsMode.class);
        return cert == null || key == null ? null : new TlsConfig(cert, key, mode);
    }
}
