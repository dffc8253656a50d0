package dev.meridian.proxy.cluster;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Fly.io's machine list over internal DNS: the TXT record {@code vms.<app>.internal} holds
 * {@code "<machine id> <region>,<machine id> <region>,..."}, and each machine answers at
 * {@code <machine id>.vm.<app>.internal}. Looked up with the JDK's own DNS provider (JNDI), which
 * reads the system's resolvers: no extra dependency. {@link #parse} is separate from the lookup.
 */
public final class FlyDns {
    /** A machine of the app; {@code region} is empty when the entry has none. */
    public record Machine(String id, String region) {
    }

    /** Machine ids become a DNS label. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** The system's resolvers (/etc/resolv.conf on Linux). */
    public static final String SYSTEM_DNS = "dns:";

    private FlyDns() {}

    /** The address of machine {@code id} of the app whose list is {@code listName} ({@code vms.<app>.internal}). */
    public static String hostOf(String listName, String id) {
        return id + ".vm." + listName.substring("vms.".length());
    }

    /**
     * The machines named by TXT records in JNDI's text form: each record is one or more
     * character-strings (RFC 1035 §5.1: quoted when they hold a space, with {@code \} escapes),
     * which are joined as they were split (a record over 255 bytes is cut anywhere). Entries
     * without a valid id are skipped; an id listed twice counts once.
     */
    public static List<Machine> parse(List<String> records) {
        Map<String, Machine> machines = new LinkedHashMap<>();
        for (String record : records) {
            for (String entry : String.join("", characterStrings(record)).split(",")) {
                String[] words = entry.trim().split("\\s+");
                if (LABEL.matcher(words[0]).matches()) {
                    machines.putIfAbsent(words[0], new Machine(words[0], words.length > 1 ? words[1] : ""));
                }
            }
        }
        return List.copyOf(machines.values());
    }

    /** The character-strings of one TXT record in presentation form. */
    static List<String> characterStrings(String text) {
        List<String> strings = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            boolean quoted = text.charAt(i) == '"';
            StringBuilder s = new StringBuilder();
            i += quoted ? 1 : 0;
            while (i < text.length()) {
                char c = text.charAt(i++);
                if (c == '\\' && i < text.length()) {
                    s.append(text.charAt(i++));
                } else if (quoted ? c == '"' : Character.isWhitespace(c)) {
                    break;
                } else {
                    s.append(c);
                }
            }
            strings.add(s.toString());
        }
        return strings;
    }

    /**
     * The TXT records of {@code name} as JNDI gives them. Blocking (up to a few seconds when the
     * server does not answer): never call it on an event loop.
     *
     * @param dnsUrl {@link #SYSTEM_DNS}, or {@code dns://host:port} for one server
     */
    public static List<String> txtRecords(String name, String dnsUrl) throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, dnsUrl);
        env.put("com.sun.jndi.dns.timeout.initial", "500");
        env.put("com.sun.jndi.dns.timeout.retries", "3");
        DirContext context = new InitialDirContext(env);
        try {
            Attribute txt = context.getAttributes(name, new String[] {"TXT"}).get("TXT");
            List<String> records = new ArrayList<>();
            if (txt != null) {
                NamingEnumeration<?> values = txt.getAll();
                while (values.hasMore()) {
                    records.add(String.valueOf(values.next()));
                }
            }
            return records;
        } finally {
            context.close();
        }
    }
}
