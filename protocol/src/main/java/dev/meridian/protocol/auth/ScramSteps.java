package dev.meridian.protocol.auth;

import java.util.function.Supplier;

/**
 * The order of one SCRAM exchange's steps, for either side. A step out of order, or one that
 * throws, poisons the exchange: RFC 5802 has no retry, so nothing after a failure may succeed.
 */
final class ScramSteps {
    enum State { INITIAL, FIRST_SENT, FINAL_SENT, DONE, FAILED }

    private final String side;
    private State state = State.INITIAL;

    ScramSteps(String side) {
        this.side = side;
    }

    State state() {
        return state;
    }

    /** Runs {@code body} if the exchange is at {@code expected}; then it is at {@code next}. */
    <T> T step(State expected, State next, Supplier<T> body) {
        if (state != expected) {
            State was = state;
            state = State.FAILED;
            throw ScramException.unexpected("SCRAM message out of order (" + side + " was " + was + ")");
        }
        try {
            T result = body.get();
            state = next;
            return result;
        } catch (RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }
}
