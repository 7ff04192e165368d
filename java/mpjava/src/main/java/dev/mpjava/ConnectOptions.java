package dev.mpjava;

import java.time.Duration;
import java.util.Optional;

/**
 * Options of {@link EventLoop#connect}: what the client's calls default to. Immutable; each
 * {@code with…} method returns a changed copy.
 */
public final class ConnectOptions {
    private Duration callTimeout;  // null: calls wait as long as the peer takes

    private ConnectOptions() {}

    /**
     * No call timeout: a call waits until the peer answers, the connection ends or the
     * caller is interrupted.
     *
     * @return the default options
     */
    public static ConnectOptions defaults() {
        return new ConnectOptions();
    }

    /**
     * A copy whose calls (and those of capabilities received over the connection) fail with
     * {@link DeadlineExceededException} after {@code timeout}, unless a call gives its own.
     *
     * @param timeout the default timeout, positive
     * @return the new options
     */
    public ConnectOptions withCallTimeout(Duration timeout) {
        ConnectOptions c = new ConnectOptions();
        c.callTimeout = ClientCalls.checkTimeout(timeout);
        return c;
    }

    /**
     * The default call timeout.
     *
     * @return the timeout, or empty for none
     */
    public Optional<Duration> callTimeout() {
        return Optional.ofNullable(callTimeout);
    }
}
