package dev.mpjava;

/**
 * How much one served connection may make the server hold: calls read and not yet
 * answered (count and bytes), and messages to the peer waiting to be written. At a limit
 * the server stops reading from that peer (or, past {@link #maxOutgoingBytes()},
 * disconnects it); other connections are not affected. The native twin is
 * {@code mpjava::FlowLimits}; docs/robustness.md lists every limit with its test.
 * Immutable: each {@code with…} returns a copy. Used with
 * {@link ListenOptions#withFlowLimits(FlowLimits)}.
 *
 * @param maxInFlightCalls calls of one connection read and not yet answered
 * @param maxInFlightBytes bytes of such calls
 * @param outgoingPauseBytes queued outgoing bytes above which reading from the peer pauses
 * @param maxOutgoingBytes queued outgoing bytes above which the peer is disconnected
 */
public record FlowLimits(int maxInFlightCalls, long maxInFlightBytes, long outgoingPauseBytes, long maxOutgoingBytes) {
    /**
     * Checks the limits.
     *
     * @param maxInFlightCalls at least 1
     * @param maxInFlightBytes at least 8
     * @param outgoingPauseBytes at least 0
     * @param maxOutgoingBytes at least 1
     */
    public FlowLimits {
        if (maxInFlightCalls < 1) {
            throw new IllegalArgumentException("maxInFlightCalls must be at least 1, got " + maxInFlightCalls);
        }
        if (maxInFlightBytes < 8) {
            throw new IllegalArgumentException("maxInFlightBytes must be at least 8, got " + maxInFlightBytes);
        }
        if (outgoingPauseBytes < 0) {
            throw new IllegalArgumentException("outgoingPauseBytes must not be negative, got " + outgoingPauseBytes);
        }
        if (maxOutgoingBytes < 1) {
            throw new IllegalArgumentException("maxOutgoingBytes must be at least 1, got " + maxOutgoingBytes);
        }
    }

    /**
     * The defaults: 1024 calls, 32 MiB of calls in flight; reading pauses above 4 MiB of
     * queued replies, and a peer is disconnected above 64 MiB.
     *
     * @return the default limits
     */
    public static FlowLimits defaults() {
        return new FlowLimits(1024, 32L << 20, 4L << 20, 64L << 20);
    }

    /**
     * A copy in which a connection may have at most {@code max} calls read and not yet
     * answered (default 1024). At the limit the server stops reading from that peer until
     * one of its calls returns; other connections are not affected. Calls that wait for
     * calls back to the same peer can deadlock below such a limit, so keep it well above
     * the number of calls a peer legitimately keeps open.
     *
     * @param max the limit, at least 1
     * @return the new options
     */
    public FlowLimits withMaxInFlightCalls(int max) {
        return new FlowLimits(max, maxInFlightBytes, outgoingPauseBytes, maxOutgoingBytes);
    }

    /**
     * A copy in which the call messages of one connection read and not yet answered may
     * total at most {@code bytes} (default 32 MiB; Cap'n Proto's flow limit). At the limit
     * the server stops reading from that peer until calls return.
     *
     * @param bytes the limit, at least 8
     * @return the new options
     */
    public FlowLimits withMaxInFlightBytes(long bytes) {
        return new FlowLimits(maxInFlightCalls, bytes, outgoingPauseBytes, maxOutgoingBytes);
    }

    /**
     * A copy in which the server stops reading from a peer while more than {@code bytes}
     * of messages to it wait to be written (default 4 MiB), and reads again as they drain:
     * a peer that pipelines calls without reading the answers is slowed to its own pace.
     * Each waiting message counts at least the memory it holds (8 KiB for a small reply).
     *
     * @param bytes the bound, at least 0
     * @return the new options
     */
    public FlowLimits withOutgoingPauseBytes(long bytes) {
        return new FlowLimits(maxInFlightCalls, maxInFlightBytes, bytes, maxOutgoingBytes);
    }

    /**
     * A copy in which a peer is disconnected, with a logged reason, when more than
     * {@code bytes} of messages to it wait to be written while it has not taken an earlier
     * one (default 64 MiB). Counted as for {@link #withOutgoingPauseBytes(long)}; a single
     * message larger than the bound is still sent.
     *
     * @param bytes the bound, at least 1
     * @return the new options
     */
    public FlowLimits withMaxOutgoingBytes(long bytes) {
        return new FlowLimits(maxInFlightCalls, maxInFlightBytes, outgoingPauseBytes, bytes);
    }

    /** Appends the "name=value" lines native ParseServerOptions reads. */
    void encode(StringBuilder out) {
        out.append("maxInFlightCalls=").append(maxInFlightCalls).append('\n');
        out.append("maxInFlightBytes=").append(maxInFlightBytes).append('\n');
        out.append("outgoingPauseBytes=").append(outgoingPauseBytes).append('\n');
        out.append("maxOutgoingBytes=").append(maxOutgoingBytes).append('\n');
    }
}
