package dev.mpjava;

/** Options of {@link EventLoop#listen}: connection limit and socket backlog. */
public final class ListenOptions {
    private final int maxConnections;  // -1: no limit
    private final int backlog;

    private ListenOptions(int maxConnections, int backlog) {
        this.maxConnections = maxConnections;
        this.backlog = backlog;
    }

    /**
     * No connection limit, backlog 16.
     *
     * @return the default options
     */
    public static ListenOptions defaults() {
        return new ListenOptions(-1, 16);
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
        return new ListenOptions(max, backlog);
    }

    /**
     * A copy with the given listen(2) backlog, used when {@link EventLoop#listen(java.nio.file.Path, Implementation, ListenOptions)} binds.
     *
     * @param backlog the backlog, at least 1
     * @return the new options
     */
    public ListenOptions withBacklog(int backlog) {
        if (backlog < 1) throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        return new ListenOptions(maxConnections, backlog);
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
}
