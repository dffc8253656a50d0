package dev.meridian.proxy.server.admin;

/** Answers one admin path. Runs on an event loop: must not block. */
@FunctionalInterface
public interface AdminRoute {
    AdminResponse handle(AdminRequest request);
}
