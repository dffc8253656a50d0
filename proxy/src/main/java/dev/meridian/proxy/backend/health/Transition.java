package dev.meridian.proxy.backend.health;

/** A change of {@link CheckState}, with the evidence that caused it; logged once. */
public record Transition(CheckState from, CheckState to, String reason) {
}
