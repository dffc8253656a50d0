package dev.meridian.proxy.server;

import java.util.List;

/** What a reload did: the problems when it was refused, notes when it applied. */
public record ReloadOutcome(boolean applied, List<String> messages) {
    public ReloadOutcome {
        messages = List.copyOf(messages);
    }
}
