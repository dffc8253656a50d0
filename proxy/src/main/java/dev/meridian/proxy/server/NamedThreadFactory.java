package dev.meridian.proxy.server;

import io.netty.util.concurrent.DefaultThreadFactory;

/** Event loop threads named after their role, so thread dumps read well. */
final class NamedThreadFactory extends DefaultThreadFactory {
    NamedThreadFactory(String prefix) {
        super(prefix, true);
    }
}
