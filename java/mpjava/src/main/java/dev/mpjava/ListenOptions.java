package dev.mpjava;

/**
 * Options of {@link EventLoop#listen} and {@link EventLoop#serve}: what a server allows its peers.
 * Immutable; each {@code with…} method returns a changed copy. The defaults are those of
 * {@link #defaults()}; docs/robustness.md lists every limit, its default and what happens at it.
 */
public final class ListenOptions {
    private int maxConnections = -1;  // -1: no limit
    private int backlog = 16;

    private ListenOptions() {}

    private ListenOptions copy() {
        ListenOptions c = new ListenOptions();
        c.maxConnections = maxConnections;
        c.backlog = backlog;
        return c;
    }

    /**
     * No connection limit, backlog 16.
     *
     * @return the default options
     */
    public static ListenOptions defaults() {
        return new ListenOptions();
    }

    /**
     * Serve at most {@code max} connections at once. Further clients complete connect()
     * into the kernel backlog and are served, in order, as served clients leave.
     *
     * @param max the limit, at least 1
     * @return the defaults with that limit
     */
    public static ListenOptions maxConnections(int max) {
        return defaults().withMaxConnections(max);
    }

    /**
     * A copy with connection limit {@code max}; see {@link #maxConnections(int)}.
     *
     * @param max the limit, at least 1
     * @return the new options
     */
    public ListenOptions withMaxConnections(int max) {
        if (max < 1) throw new IllegalArgumentException("maxConnections must be at least 1, got " + max);
        ListenOptions c = copy();
        c.maxConnections = max;
        return c;
    }

    /**
     * A copy with the given listen(2) backlog, used when {@link EventLoop#listen(java.nio.file.Path, Implementation, ListenOptions)} binds.
     *
     * @param backlog the backlog, at least 1
     * @return the new options
     */
    public ListenOptions withBacklog(int backlog) {
        if (backlog < 1) throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        ListenOptions c = copy();
        c.backlog = backlog;
        return c;
    }

    /**
     * The connection limit.
     *
     * @return the limit, or -1 for none
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * The listen(2) backlog.
     *
     * @return the backlog
     */
    public int backlog() {
        return backlog;
    }

    /** The server's options as native code reads them: "name=value" lines (rpc/server_options.h). */
    String encode() {
        StringBuilder out = new StringBuilder();
        if (maxConnections >= 0) out.append("maxConnections=").append(maxConnections).append('\n');
        return out.toString();
    }
}
