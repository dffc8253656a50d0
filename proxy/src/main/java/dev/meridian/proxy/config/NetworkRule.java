package dev.meridian.proxy.config;

import java.util.Objects;

/** Clients from {@code cidr} are located in {@code region}, whatever the mmdb says. */
public record NetworkRule(Cidr cidr, String region) {

    public NetworkRule {
        Objects.requireNonNull(cidr, "cidr");
        Objects.requireNonNull(region, "region");
    }
}
