package dev.mpjava;

import java.time.Duration;

/**
 * How a call ended, as an interceptor sees it.
 *
 * @param duration from the call's start to its end
 * @param error null if the call succeeded; else the exception the caller got
 * @param resultBytes the size of the encoded results; 0 when it failed
 */
public record CallOutcome(Duration duration, Throwable error, int resultBytes) {
    /**
     * Whether the call returned results.
     *
     * @return true if it succeeded
     */
    public boolean succeeded() {
        return error == null;
    }
}
