package dev.meridian.proxy.config;

import java.util.ArrayList;
import java.util.List;

/** Strict textual IPv4/IPv6 parsing and RFC 5952 formatting, without any name resolution. */
public final class IpText {

    private IpText() {}

    /** An IPv4 or IPv6 literal's bytes, or null when {@code text} is not one. */
    public static byte[] parse(String text) {
        try {
            return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Dotted quad; each part 0..255 in plain decimal without leading zeros. */
    static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address (expected a.b.c.d)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            boolean digits = !part.isEmpty() && part.length() <= 3
                    && part.chars().allMatch(c -> c >= '0' && c <= '9');
            if (!digits || (part.length() > 1 && part.charAt(0) == '0')
                    || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException(
                        "not an IPv4 address (each part must be 0..255, without leading zeros)");
            }
            bytes[i] = (byte) Integer.parseInt(part);
        }
        return bytes;
    }

    /** Eight hex groups, at most one {@code ::}, optionally ending in a dotted quad. */
    static byte[] parseV6(String text) {
        if (text.indexOf('%') >= 0) {
            throw new IllegalArgumentException("IPv6 zone ids (%...) are not allowed");
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw new IllegalArgumentException("not an IPv6 address (more than one ::)");
        }
        List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2), true);
        int count = head.size() + tail.size();
        if (gap < 0 ? count != 8 : count > 7) {
            throw new IllegalArgumentException("not an IPv6 address (wrong number of groups)");
        }
        byte[] bytes = new byte[16];
        fill(bytes, head, 0);
        fill(bytes, tail, 8 - tail.size());
        return bytes;
    }

    private static List<Integer> groups(String part, boolean mayEndInIpv4) {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) {
            return groups;
        }
        String[] texts = part.split(":", -1);
        for (int i = 0; i < texts.length; i++) {
            String group = texts[i];
            if (i == texts.length - 1 && mayEndInIpv4 && group.indexOf('.') >= 0) {
                byte[] v4 = parseV4(group);
                groups.add((v4[0] & 0xff) << 8 | (v4[1] & 0xff));
                groups.add((v4[2] & 0xff) << 8 | (v4[3] & 0xff));
            } else if (!group.isEmpty() && group.length() <= 4
                    && group.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                groups.add(Integer.parseInt(group, 16));
            } else {
                throw new IllegalArgumentException(
                        "not an IPv6 address (groups are 1 to 4 hex digits)");
            }
        }
        return groups;
    }

    private static void fill(byte[] bytes, List<Integer> groups, int firstGroup) {
        for (int i = 0; i < groups.size(); i++) {
            bytes[2 * (firstGroup + i)] = (byte) (groups.get(i) >>> 8);
            bytes[2 * (firstGroup + i) + 1] = (byte) (int) groups.get(i);
        }
    }

    /** RFC 5952 text of a 4- or 16-byte address: {@code 2001:db8::1}, not {@code 2001:db8:0:0:0:0:0:1}. */
    public static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "."
                    + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        int[] run = longestZeroRun(groups);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == run[0]) {
                out.append(i == 0 ? "::" : ":");
                i += run[1] - 1;
            } else {
                out.append(Integer.toHexString(groups[i])).append(i < 7 ? ":" : "");
            }
        }
        return out.toString();
    }

    /** {start, length} of the first longest run of zero groups, start -1 if none is 2+ long. */
    private static int[] longestZeroRun(int[] groups) {
        int bestStart = -1;
        int bestLength = 1; // RFC 5952: never compress a single zero group
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        return new int[] {bestStart, bestLength};
    }
}
