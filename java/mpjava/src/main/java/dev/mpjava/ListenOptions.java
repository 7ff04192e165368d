package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Options of {@link EventLoop#listen} and {@link EventLoop#serve}: what a server allows its peers.
 * Immutable; each {@code with…} method returns a changed copy. The defaults are those of
 * {@link #defaults()}; docs/robustness.md lists every limit, its default and what happens at it.
 */
public final class ListenOptions {
    private int maxConnections = -1;  // -1: no limit
    private int backlog = 0;  // 0: SOMAXCONN
    private int socketMode = -1;  // -1: what the umask gives
    private int socketGroup = -1;  // -1: the process's group
    private Set<Integer> allowedUids = Set.of();  // both empty: every peer
    private Set<Integer> allowedGids = Set.of();
    private int maxThreadsPerConnection = 64;
    private Executor handlerExecutor;  // the caller's; null: see handlerThreads
    private int handlerThreads;        // 0: handlers on the loop thread (unless handlerExecutor)
    private int handlerQueue;
    private FlowLimits flow = FlowLimits.defaults();

    private ListenOptions() {}

    private ListenOptions copy() {
        ListenOptions c = new ListenOptions();
        c.maxConnections = maxConnections;
        c.backlog = backlog;
        c.socketMode = socketMode;
        c.socketGroup = socketGroup;
        c.allowedUids = allowedUids;
        c.allowedGids = allowedGids;
        c.maxThreadsPerConnection = maxThreadsPerConnection;
        c.handlerExecutor = handlerExecutor;
        c.handlerThreads = handlerThreads;
        c.handlerQueue = handlerQueue;
        c.flow = flow;
        return c;
    }

    /**
     * No connection limit, backlog SOMAXCONN, the socket file's mode from the umask, every peer allowed.
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
     * The default is the system's SOMAXCONN; the kernel caps any value at {@code net.core.somaxconn}.
     *
     * @param backlog the backlog, 1 to 65535
     * @return the new options
     */
    public ListenOptions withBacklog(int backlog) {
        if (backlog < 1 || backlog > 65535) throw new IllegalArgumentException("backlog must be 1 to 65535, got " + backlog);
        ListenOptions c = copy();
        c.backlog = backlog;
        return c;
    }

    /**
     * A copy in which each connection's peer may have at most {@code max} threads made
     * with {@code makeThread} and {@code makePool} at once (a pool of n counts n, made
     * or not; a released thread no longer counts). Beyond it those calls fail with
     * "thread limit reached". Default 64.
     *
     * @param max the limit, at least 0
     * @return the new options
     */
    public ListenOptions withMaxThreadsPerConnection(int max) {
        if (max < 0) throw new IllegalArgumentException("maxThreadsPerConnection must be at least 0, got " + max);
        ListenOptions c = copy();
        c.maxThreadsPerConnection = max;
        return c;
    }

    /**
     * A copy that runs the handlers of methods without a {@code Proxy.Context} parameter
     * on {@code executor} rather than on the event loop thread, so a slow handler holds up
     * neither other connections nor the noticing of disconnects. The default (null) runs
     * them on the loop thread, as libmultiprocess does: one at a time, in arrival order.
     * With an executor, calls of one connection may run concurrently and finish out of
     * order, so handlers must be thread-safe. A call the executor rejects fails with
     * "server busy: ..."; the connection and the server go on. The executor stays the
     * caller's: mpjava never shuts it down. {@link Implementation#handlersOn} overrides it.
     * Methods with a Context always run on the worker thread the caller names.
     *
     * @param executor where to run handlers, or null for the loop thread
     * @return the new options
     */
    public ListenOptions withHandlerExecutor(Executor executor) {
        ListenOptions c = copy();
        c.handlerExecutor = executor;
        c.handlerThreads = 0;
        return c;
    }

    /**
     * A copy that runs handlers (as {@link #withHandlerExecutor}) on a pool this listener's
     * loop owns: up to {@code threads} threads, started as needed and stopped when idle,
     * and at most {@code queue} calls waiting for one; a call beyond that fails with
     * "server busy". The pool is shut down when the loop closes.
     *
     * @param threads the most handlers running at once, at least 1
     * @param queue the most calls waiting, at least 0
     * @return the new options
     */
    public ListenOptions withHandlerThreads(int threads, int queue) {
        if (threads < 1) throw new IllegalArgumentException("handler threads must be at least 1, got " + threads);
        if (queue < 0) throw new IllegalArgumentException("handler queue must be at least 0, got " + queue);
        ListenOptions c = copy();
        c.handlerExecutor = null;
        c.handlerThreads = threads;
        c.handlerQueue = queue;
        return c;
    }

    /**
     * The per-connection thread limit.
     *
     * @return see {@link #withMaxThreadsPerConnection}
     */
    public int maxThreadsPerConnection() {
        return maxThreadsPerConnection;
    }

    /**
     * The executor given to {@link #withHandlerExecutor}.
     *
     * @return it, or null
     */
    public Executor handlerExecutor() {
        return handlerExecutor;
    }

    /**
     * The size of the loop-owned handler pool of {@link #withHandlerThreads}.
     *
     * @return its threads, or 0 for none
     */
    public int handlerThreads() {
        return handlerThreads;
    }

    /**
     * The queue bound of the loop-owned handler pool.
     *
     * @return the most calls waiting
     */
    public int handlerQueue() {
        return handlerQueue;
    }

    /**
     * A copy with these per-connection flow limits (calls and bytes in flight, queued
     * outgoing bytes): see {@link FlowLimits}.
     *
     * @param limits the limits
     * @return the new options
     */
    public ListenOptions withFlowLimits(FlowLimits limits) {
        ListenOptions c = copy();
        c.flow = java.util.Objects.requireNonNull(limits, "limits");
        return c;
    }

    /**
     * The per-connection flow limits.
     *
     * @return the limits
     */
    public FlowLimits flowLimits() {
        return flow;
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
     * @return the backlog (SOMAXCONN unless {@link #withBacklog} set one)
     */
    public int backlog() {
        if (backlog > 0) return backlog;
        Dispatcher.ensureInstalled();
        return NativeApi.DEFAULT_BACKLOG();
    }

    // ---- the socket file and who may connect (issue 8: items 2 and 3) ----

    /**
     * A copy whose bound socket file gets permission bits {@code mode} (e.g. {@code 0660}):
     * connecting needs write permission on it. The mode holds from the moment the path
     * exists (the socket is bound and chmod-ed in a private directory, then linked into
     * place), whatever the process umask. Only {@link EventLoop#listen(java.nio.file.Path,
     * Implementation, ListenOptions)} applies it. Default: what the umask gives.
     *
     * @param mode the permission bits, 0 to 0777
     * @return the new options
     */
    public ListenOptions withSocketMode(int mode) {
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("socket mode must be 0 to 0777, got 0" + Integer.toOctalString(mode));
        }
        ListenOptions c = copy();
        c.socketMode = mode;
        return c;
    }

    /**
     * {@link #withSocketMode(int)} from permissions such as {@code PosixFilePermissions.fromString("rw-rw----")}.
     *
     * @param permissions the permissions of the socket file
     * @return the new options
     */
    public ListenOptions withSocketPermissions(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) mode |= 0400 >> p.ordinal();  // OWNER_READ … OTHERS_EXECUTE
        return withSocketMode(mode);
    }

    /**
     * A copy whose bound socket file belongs to group {@code gid} (the process must be in
     * it), set like the mode before the path exists. Default: the process's group.
     *
     * @param gid the group id, at least 0
     * @return the new options
     */
    public ListenOptions withSocketGroup(int gid) {
        if (gid < 0) throw new IllegalArgumentException("socket group must be a gid, got " + gid);
        ListenOptions c = copy();
        c.socketGroup = gid;
        return c;
    }

    /**
     * A copy that serves only peers whose uid (as the kernel recorded it at connect,
     * SO_PEERCRED) is one of {@code uids}, or whose gid is one of {@link #withAllowedGids}.
     * Any other peer is closed at once, before it can send a byte, logged as a WARNING naming
     * its pid, uid and gid; it takes no slot of {@link #withMaxConnections} and produces no
     * {@link ConnectionEvents}. Applies to accepted connections, not to {@link EventLoop#serve}.
     * Default: every peer.
     *
     * @param uids the allowed user ids, at least one
     * @return the new options
     */
    public ListenOptions withAllowedUids(int... uids) {
        ListenOptions c = copy();
        c.allowedUids = ids("uid", uids);
        return c;
    }

    /**
     * A copy that serves only peers whose gid (their effective group at connect) is one of
     * {@code gids}, or whose uid is one of {@link #withAllowedUids}; see there.
     *
     * @param gids the allowed group ids, at least one
     * @return the new options
     */
    public ListenOptions withAllowedGids(int... gids) {
        ListenOptions c = copy();
        c.allowedGids = ids("gid", gids);
        return c;
    }

    private static Set<Integer> ids(String what, int[] ids) {
        if (ids.length == 0) throw new IllegalArgumentException("at least one " + what + " must be allowed");
        Set<Integer> set = new TreeSet<>();
        for (int id : ids) {
            if (id < 0) throw new IllegalArgumentException("not a " + what + ": " + id);
            set.add(id);
        }
        return Collections.unmodifiableSet(set);
    }

    /**
     * The socket file's permission bits.
     *
     * @return the mode, or -1 when the umask decides
     */
    public int socketMode() {
        return socketMode;
    }

    /**
     * The socket file's group.
     *
     * @return the gid, or -1 for the process's group
     */
    public int socketGroup() {
        return socketGroup;
    }

    /**
     * The uids served whatever their gid.
     *
     * @return the uids; empty when not restricted by uid
     */
    public Set<Integer> allowedUids() {
        return allowedUids;
    }

    /**
     * The gids served whatever their uid.
     *
     * @return the gids; empty when not restricted by gid
     */
    public Set<Integer> allowedGids() {
        return allowedGids;
    }

    private static String list(Set<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The server's options as native code reads them: "name=value" lines (rpc/server_options.h). */
    String encode() {
        StringBuilder out = new StringBuilder();
        if (maxConnections >= 0) out.append("maxConnections=").append(maxConnections).append('\n');
        out.append("maxThreadsPerConnection=").append(maxThreadsPerConnection).append('\n');
        flow.encode(out);
        if (backlog > 0) out.append("backlog=").append(backlog).append('\n');
        if (socketMode >= 0) out.append("socketMode=").append(socketMode).append('\n');
        if (socketGroup >= 0) out.append("socketGroup=").append(socketGroup).append('\n');
        if (!allowedUids.isEmpty()) out.append("allowedUids=").append(list(allowedUids)).append('\n');
        if (!allowedGids.isEmpty()) out.append("allowedGids=").append(list(allowedGids)).append('\n');
        return out.toString();
    }
}
