package dev.mpjava;

/**
 * How much one served connection may make the server hold: calls read and not yet
 * answered (count and bytes), and messages to the peer waiting to be written. At a limit
 * the server stops reading from that peer (or, past {@link #maxOutgoingBytes()},
 * disconnects it); other connections are not affected. The native twin is
 * {@code mpjava::FlowLimits}; docs/robustness.md lists every limit with its test.
 * Immutable: each {@code with…} returns a copy. Used with
 * {@link ListenOptions#withFlowLimits(FlowLimits)}.
 */
public final class FlowLimits {
    private int maxInFlightCalls = 1024;
    private long maxInFlightBytes = 32L << 20;
    private long outgoingPauseBytes = 4L << 20;
    private long maxOutgoingBytes = 64L << 20;

    private FlowLimits() {}

    /**
     * The defaults: 1024 calls, 32 MiB of calls in flight; reading pauses above 4 MiB of
     * queued replies, and a peer is disconnected above 64 MiB.
     *
     * @return the default limits
     */
    public static FlowLimits defaults() {
        return new FlowLimits();
    }

    private FlowLimits copy() {
        FlowLimits c = new FlowLimits();
        c.maxInFlightCalls = maxInFlightCalls;
        c.maxInFlightBytes = maxInFlightBytes;
        c.outgoingPauseBytes = outgoingPauseBytes;
        c.maxOutgoingBytes = maxOutgoingBytes;
        return c;
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
        if (max < 1) throw new IllegalArgumentException("maxInFlightCalls must be at least 1, got " + max);
        FlowLimits c = copy();
        c.maxInFlightCalls = max;
        return c;
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
        if (bytes < 8) throw new IllegalArgumentException("maxInFlightBytes must be at least 8, got " + bytes);
        FlowLimits c = copy();
        c.maxInFlightBytes = bytes;
        return c;
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
        if (bytes < 0) throw new IllegalArgumentException("outgoingPauseBytes must not be negative, got " + bytes);
        FlowLimits c = copy();
        c.outgoingPauseBytes = bytes;
        return c;
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
        if (bytes < 1) throw new IllegalArgumentException("maxOutgoingBytes must be at least 1, got " + bytes);
        FlowLimits c = copy();
        c.maxOutgoingBytes = bytes;
        return c;
    }

    /**
     * The limit of calls in flight per connection.
     *
     * @return the limit
     */
    public int maxInFlightCalls() {
        return maxInFlightCalls;
    }

    /**
     * The limit of call bytes in flight per connection.
     *
     * @return the limit in bytes
     */
    public long maxInFlightBytes() {
        return maxInFlightBytes;
    }

    /**
     * The queued outgoing bytes above which reading from a peer pauses.
     *
     * @return the bound in bytes
     */
    public long outgoingPauseBytes() {
        return outgoingPauseBytes;
    }

    /**
     * The queued outgoing bytes above which a peer that does not read is disconnected.
     *
     * @return the bound in bytes
     */
    public long maxOutgoingBytes() {
        return maxOutgoingBytes;
    }

    /** Appends the "name=value" lines native ParseServerOptions reads. */
    void encode(StringBuilder out) {
        out.append("maxInFlightCalls=").append(maxInFlightCalls).append('\n');
        out.append("maxInFlightBytes=").append(maxInFlightBytes).append('\n');
        out.append("outgoingPauseBytes=").append(outgoingPauseBytes).append('\n');
        out.append("maxOutgoingBytes=").append(maxOutgoingBytes).append('\n');
    }

    @Override
    public String toString() {
        return "FlowLimits[maxInFlightCalls=" + maxInFlightCalls + ", maxInFlightBytes=" + maxInFlightBytes
                + ", outgoingPauseBytes=" + outgoingPauseBytes + ", maxOutgoingBytes=" + maxOutgoingBytes + "]";
    }
}
