package dev.meridian.proxy.auth;

import java.util.List;

/** Test access to the users-file parser for one line. */
public final class UsersFileLines {
    private UsersFileLines() {
    }

    public static UserSecret parseOne(String line) {
        return UsersFile.parse(List.of(line)).values().iterator().next();
    }
}
