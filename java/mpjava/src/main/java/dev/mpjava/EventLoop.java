package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * A native event loop on its own thread: every listener, connection and client of
 * mpjava lives on one, and the loop owns them. {@link #close()} is clean with live
 * connections: every {@link Listener} and {@link Client} made from this loop (received
 * capabilities included) is closed at once — their methods throw
 * {@link ClosedException} from then on — in-flight calls fail with
 * {@link ClosedException} or {@link DisconnectedException}, and the thread stops.
 * It waits for handlers still running on worker threads (Context calls) to return, as
 * upstream joins its threads, except the handler that calls close() itself.
 *
 * <p>close() may be called from any thread. Called on this loop's own thread (a
 * handler, a connection event, a future's continuation) it cannot wait for that thread
 * to stop: everything is closed as above, and the thread is stopped and released by a
 * helper thread once the current callback returns.
 */
public final class EventLoop implements AutoCloseable {
    /** Something this loop owns: closed, without native calls, when the loop closes. */
    interface Owned {
        void ownerClosed(String why);
    }

    /** A dispatcher target that must hear of the loop's close (pending async calls). */
    interface LoopBound {
        void loopClosed(ClosedException reason);
    }

    private final String name;
    private final NativeHandle handle;
    private final long logToken;
    private final LogOptions logOptions;  // its minimum level resolved at start, as native code filters
    private final Set<Long> tokens = ConcurrentHashMap.newKeySet();
    private final Set<Owned> owned = ConcurrentHashMap.newKeySet();

    private EventLoop(String name, long id, long logToken, LogOptions logOptions) {
        this.name = name;
        this.handle = new NativeHandle("event loop " + name, id, NativeApi::loop_free);
        this.logToken = logToken;
        this.logOptions = logOptions;
    }

    /**
     * Starts an event loop thread with the default logging ({@link LogOptions#defaults()}).
     *
     * @param name the loop's name (its thread's name and log prefix)
     * @return the running loop
     */
    public static EventLoop start(String name) {
        return start(name, LogOptions.defaults());
    }

    /**
     * Starts an event loop thread.
     *
     * @param name the loop's name (its thread's name and log prefix)
     * @param options where native log messages go and which
     * @return the running loop
     */
    public static EventLoop start(String name, LogOptions options) {
        Dispatcher.ensureInstalled();
        LogHandler handler = options.handler();
        long logToken = Dispatcher.register(
                (Dispatcher.LogSink) (level, thread, message) -> handler.log(LogLevel.of(level), thread, message));
        try {
            LogLevel minLevel = options.minLevel();
            long id = NativeApi.loop_start(name, minLevel.ordinal(), options.maxChars(), logToken);
            return new EventLoop(name, id, logToken, options.minLevel(minLevel));
        } catch (RuntimeException e) {
            Dispatcher.unregister(logToken);
            throw new IpcException("cannot start event loop " + name + ": " + e.getMessage());
        }
    }

    /**
     * The name given to {@link #start(String)}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * False once {@link #close()} has begun.
     *
     * @return whether the loop is open
     */
    public boolean isOpen() {
        return handle.isOpen();
    }

    // ---- serving ----

    /**
     * Binds a Unix socket at {@code socket} and serves {@code implementation} on it, without a limit.
     *
     * @param socket the socket path
     * @param implementation what every connection is served
     * @return the listener
     */
    public Listener listen(Path socket, Implementation implementation) {
        return listen(socket, implementation, ListenOptions.defaults());
    }

    /**
     * Binds a Unix socket at {@code socket} and serves {@code implementation} on it. The
     * socket file gets the options' mode and group before the path exists; a stale socket
     * file is replaced, and a path a live server listens on fails at once. The listener
     * removes the file when it closes (or its loop does), unless the path was taken over
     * by another file meanwhile.
     *
     * @param socket the socket path
     * @param implementation what every connection is served
     * @param options backlog, socket file mode and group, allowed peers and limits
     * @return the listener
     * @throws IpcException if the path cannot be bound, naming the path and the reason
     */
    public Listener listen(Path socket, Implementation implementation, ListenOptions options) {
        handle.get();
        String path = socket.toString();
        return startServer(-1, implementation, options,
                (loop, iface, handler, text, token) -> NativeApi.server_bind(loop, path, iface, handler, text, token));
    }

    /**
     * Serves on an already listening socket fd; takes ownership of it (ListenConnections).
     *
     * @param listeningFd the listening socket
     * @param implementation what every connection is served
     * @param options the connection limit and allowed peers (backlog, socket mode and group
     *     were set at bind time; nothing removes the socket file)
     * @return the listener
     */
    public Listener listen(int listeningFd, Implementation implementation, ListenOptions options) {
        return startServer(listeningFd, implementation, options,
                (loop, iface, handler, text, token) -> NativeApi.server_listen(loop, listeningFd, iface, handler, text, token));
    }

    /**
     * Serves one already connected socket fd; takes ownership of it (ServeStream).
     *
     * @param connectedFd the connected socket
     * @param implementation what the connection is served
     * @return a listener with that one connection
     */
    public Listener serve(int connectedFd, Implementation implementation) {
        return serve(connectedFd, implementation, ListenOptions.defaults());
    }

    /**
     * Serves one already connected socket fd with the given options; takes ownership of it (ServeStream).
     *
     * @param connectedFd the connected socket
     * @param implementation what the connection is served
     * @param options the limits the peer is held to (the connection limit, backlog, socket
     *     mode and group and the uid/gid allowlists do not apply)
     * @return a listener with that one connection
     */
    public Listener serve(int connectedFd, Implementation implementation, ListenOptions options) {
        return startServer(connectedFd, implementation, options,
                (loop, iface, handler, text, token) -> NativeApi.server_serve(loop, connectedFd, iface, handler, text, token));
    }

    /** One of the native calls that start a server: server_bind, server_listen or server_serve. */
    private interface ServerStart {
        long start(long loopId, long iface, long handlerToken, String options, long eventToken);
    }

    // The peer of the connection event being delivered on this thread.
    private static Peer eventPeer() {
        long[] p = new long[4];
        NativeApi.event_peer(p);
        return new Peer(p[0], (int) p[1], (int) p[2], (int) p[3]);
    }

    // fd: what the native call takes ownership of (closed here if it is never called), or -1.
    private Listener startServer(int fd, Implementation implementation, ListenOptions options, ServerStart start) {
        long loopId;
        long iface;
        try {
            loopId = handle.get();
            iface = implementation.type().nativeHandle();
        } catch (RuntimeException e) {
            if (fd >= 0) NativeApi.fd_close(fd);
            throw e;
        }
        List<ConnectionEvents> connectionEvents = new CopyOnWriteArrayList<>();
        int connected = NativeApi.EVENT_CONNECTED();
        Listener[] created = new Listener[1];
        long handlerToken;
        long eventToken;
        try {
            handlerToken = register(implementation.callTarget(this, handlerExecutor(options)));
            eventToken = register((Dispatcher.EventTarget) (event, id, active) -> {
                Peer peer = connectionEvents.isEmpty() ? null : eventPeer();
                for (ConnectionEvents l : connectionEvents) {
                    if (event == connected) l.connected(peer, (int) active);
                    else l.disconnected(peer, (int) active);
                }
                Listener listener = created[0];
                if (event != connected && listener != null) listener.disconnected();
            });
        } catch (RuntimeException e) {
            if (fd >= 0) NativeApi.fd_close(fd);
            throw e;
        }
        long server;
        try {
            server = start.start(loopId, iface, handlerToken, options.encode(), eventToken);
        } catch (RuntimeException e) {
            unregister(handlerToken);  // native code closed the fd
            unregister(eventToken);
            if (NativeHandle.isClosedHandleError(e)) throw closedDuringSetup(e, implementation.type());
            throw new IpcException("cannot serve " + implementation.type().name() + ": " + e.getMessage());
        }
        Listener listener = new Listener(this, implementation.type(), server, connectionEvents);
        created[0] = listener;
        return listener;
    }

    // The executor of a listener's handlers: the caller's, a pool this loop owns, or none.
    private Executor handlerExecutor(ListenOptions options) {
        if (options.handlerExecutor() != null || options.handlerThreads() == 0) return options.handlerExecutor();
        HandlerPool pool = new HandlerPool(name, options.handlerThreads(), options.handlerQueue());
        adopt(pool);
        return pool;
    }

    // ---- connecting ----

    /**
     * Connects to the Unix socket at {@code socket} and bootstraps its init capability as {@code type}.
     *
     * @param socket the socket path
     * @param type the interface of the served init capability
     * @return the client
     */
    public Client connect(Path socket, InterfaceType type) {
        return connect(socket, type, ConnectOptions.defaults());
    }

    /**
     * Connects to the Unix socket at {@code socket} and bootstraps its init capability as
     * {@code type}, with the given options.
     *
     * @param socket the socket path
     * @param type the interface of the served init capability
     * @param options the client's call timeout
     * @return the client
     */
    public Client connect(Path socket, InterfaceType type, ConnectOptions options) {
        handle.get();
        return connect(Sockets.connect(socket), type, options);
    }

    /**
     * Uses an already connected socket fd (ConnectStream); takes ownership of it.
     *
     * @param connectedFd the connected socket
     * @param type the interface of the served init capability
     * @return the client
     */
    public Client connect(int connectedFd, InterfaceType type) {
        return connect(connectedFd, type, ConnectOptions.defaults());
    }

    /**
     * Uses an already connected socket fd (ConnectStream) with the given options; takes ownership of it.
     *
     * @param connectedFd the connected socket
     * @param type the interface of the served init capability
     * @param options the client's call timeout
     * @return the client
     */
    public Client connect(int connectedFd, InterfaceType type, ConnectOptions options) {
        long loopId;
        long iface;
        Client.Events events = new Client.Events();
        long eventToken;
        try {
            loopId = handle.get();
            iface = type.nativeHandle();
            eventToken = register(events);
        } catch (RuntimeException e) {
            NativeApi.fd_close(connectedFd);
            throw e;
        }
        long client;
        try {
            client = NativeApi.client_connect(loopId, connectedFd, iface, eventToken);
        } catch (RuntimeException e) {
            unregister(eventToken);  // native code closed the fd
            if (NativeHandle.isClosedHandleError(e)) throw closedDuringSetup(e, type);
            throw new IpcException("cannot connect " + type.name() + ": " + e.getMessage());
        }
        return Client.connected(this, type, client, eventToken, events, options);
    }

    // What closed while a listener or client was being set up: this loop, or the schema of `type`.
    private ClosedException closedDuringSetup(RuntimeException e, InterfaceType type) {
        if (!handle.isOpen() || !String.valueOf(e.getMessage()).contains("interface")) return handle.closedException();
        return new ClosedException("interface " + type.name() + " is closed: its schema was closed");
    }

    // ---- logging ----

    /**
     * Emits a message through this loop's native logger (filtering, cap, handler) from this thread.
     *
     * @param level the message's level
     * @param message the text
     */
    public void log(LogLevel level, String message) {
        try {
            NativeApi.loop_log(handle.get(), level.ordinal(), message);
        } catch (RuntimeException e) {
            throw handle.translate(e);
        }
    }

    /** The log settings this loop started with, its minimum level resolved: for lines Java logs itself. */
    LogOptions logOptions() {
        return logOptions;
    }

    // ---- ownership (package) ----

    /** Registers a dispatcher target owned by this loop: released when the loop closes. */
    long register(Object target) {
        long token = Dispatcher.register(target);
        tokens.add(token);
        if (!handle.isOpen()) {
            unregister(token);
            throw handle.closedException();
        }
        return token;
    }

    void unregister(long token) {
        tokens.remove(token);
        Dispatcher.unregister(token);
    }

    /** Adopts something this loop closes; closes it at once if the loop is already closing. */
    void adopt(Owned resource) {
        owned.add(resource);
        if (!handle.isOpen() && owned.remove(resource)) resource.ownerClosed(closedReason());
    }

    void disown(Owned resource) {
        owned.remove(resource);
    }

    /** The native loop id for things it owns; ClosedException once the loop is closing. */
    long idForOwned() {
        return handle.get();
    }

    String closedReason() {
        return "closed: its event loop " + name + " was closed";
    }

    RuntimeException translate(RuntimeException e) {
        return handle.translate(e);
    }

    // ---- shutdown ----

    @Override
    public void close() {
        long id = handle.rawId();
        if (!handle.beginClose("closed")) return;
        String why = closedReason();
        for (Owned resource : new ArrayList<>(owned)) {
            if (owned.remove(resource)) resource.ownerClosed(why);
        }
        if (NativeApi.loop_on_thread(id)) {
            // This thread is the loop's: it cannot wait for itself to stop.
            Thread finisher = new Thread(() -> finishClose(id), "mpjava-close-" + name);
            finisher.setDaemon(true);
            finisher.start();
            return;
        }
        finishClose(id);
    }

    private void finishClose(long id) {
        NativeApi.loop_close(id);  // tears down every connection; no upcall runs after this
        ClosedException reason = new ClosedException("event loop " + name + " was closed");
        for (Long token : new ArrayList<>(tokens)) {
            tokens.remove(token);
            Object target = Dispatcher.unregister(token);
            if (target instanceof LoopBound) ((LoopBound) target).loopClosed(reason);
        }
        Dispatcher.unregister(logToken);
        handle.release("closed");  // loop_free: releases every native handle the loop owned
    }
}
