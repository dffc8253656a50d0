package dev.meridian.proxy.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binds {@code backends:}, remembering which regions have at least one backend. */
final class BackendBinder {

    private final List<BackendConfig> backends = new ArrayList<>();
    /** Includes regions of backends that failed to bind, to avoid cascading "no backend" errors. */
    private final Set<String> regionsWithBackends = new HashSet<>();
    private final Map<String, String> pathByName = new HashMap<>();

    BackendBinder(Node node, RegionBinder regions) {
        if (node.isAbsent()) {
            node.problem("at least one backend is required");
        } else if (node.expectList()) {
            List<Node> items = node.items();
            if (items.isEmpty()) {
                node.problem("at least one backend is required");
            }
            items.forEach(item -> bind(item, regions));
        }
    }

    List<BackendConfig> backends() {
        return backends;
    }

    boolean hasBackendIn(String region) {
        return regionsWithBackends.contains(region);
    }

    private void bind(Node item, RegionBinder regions) {
        Fields f = Fields.required(
                item, "name", "region", "host", "port", "role", "user", "password", "tls", "allow_cleartext");
        String name = uniqueName(f);
        String region = f.requiredString("region");
        if (region != null) {
            regionsWithBackends.add(region);
            region = regions.check(f.node("region"), region) ? region : null;
        }
        String host = f.requiredString("host");
        int port = f.integer("port", 5432, 1, 65535);
        BackendRole role = f.choice("role", BackendRole.AUTO, BackendRole.class);
        String user = f.string("user");
        String password = f.string("password"); // never echoed: only type problems can arise
        if (password != null && user == null) {
            f.problem("password",
                    "given without user (omit both to log in as the client's own user)");
        }
        BackendTls tls = tls(f.node("tls"));
        boolean allowCleartext = Flags.read(f, "allow_cleartext", false);
        if (name != null && region != null && host != null) {
            backends.add(new BackendConfig(name, region, host, port, role, user, password, tls, allowCleartext));
        }
    }

    private String uniqueName(Fields f) {
        String name = f.requiredString("name");
        if (name == null) {
            return null;
        }
        String first = pathByName.putIfAbsent(name, f.path("name"));
        if (first != null) {
            f.problem("name",
                    "duplicate backend name " + KeyPath.quote(name) + " (also " + first + ")");
        }
        return name;
    }

    private static BackendTls tls(Node node) {
        if (node.isAbsent()) {
            return BackendTls.DEFAULT;
        }
        Fields f = Fields.of(node, "mode", "ca");
        BackendTlsMode mode = f.choice("mode", BackendTlsMode.PREFER, BackendTlsMode.class);
        int before = f.problemCount();
        Path ca = f.file("ca");
        boolean caReported = f.problemCount() > before;
        if (mode.verifiesCertificate() && ca == null && !caReported) {
            f.problem("ca", "is required for mode " + Choice.word(mode));
        } else if (mode == BackendTlsMode.DISABLE && f.has("ca")) {
            f.problem("ca", "has no effect with mode disable");
        }
        return new BackendTls(mode, ca);
    }
}
