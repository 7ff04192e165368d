package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Starts the servers of {@link EventLoop#listen} and {@link EventLoop#serve}: asks the
 * {@link ImplementationFactory} for each accepted connection's implementation (the
 * native EVENT_INIT upcall, on the loop thread) and registers that connection's handler,
 * which is released when native code drops the connection's init capability.
 */
final class Serving {
    /** One of the native calls that start a server: server_bind, server_listen or server_serve. */
    interface ServerStart {
        long start(long loopId, long iface, String options, long eventToken);
    }

    /** The shared-instance shortcut: every connection is served one implementation. */
    private record Shared(Implementation implementation) implements ImplementationFactory {
        @Override
        public Implementation create(Peer peer) {
            return implementation;
        }
    }

    private static final int CONNECTED = NativeApi.EVENT_CONNECTED();
    private static final int INIT = NativeApi.EVENT_INIT();
    private static final int RELEASED = NativeApi.EVENT_RELEASED();

    private Serving() {}

    /**
     * Starts a server. fd: what the native call takes ownership of (closed here if it is
     * never called), or -1; what: the listener's name in messages.
     */
    static Listener start(EventLoop loop, String what, int fd, ImplementationFactory factory, ListenOptions options,
            ServerStart start) {
        owning(factory, fd);
        List<ConnectionEvents> connectionEvents = new CopyOnWriteArrayList<>();
        Listener[] created = new Listener[1];
        // The native ids of the interfaces served so far: the listener keeps serving them
        // after their schema is closed (native code keeps each one it was given).
        Map<InterfaceType, Long> served = new ConcurrentHashMap<>();
        long loopId;
        long pinned = 0;
        long eventToken;
        try {
            loopId = loop.idForOwned();
            if (factory instanceof Shared shared) {
                InterfaceType type = shared.implementation().type();
                pinned = type.nativeHandle();
                served.put(type, pinned);
            }
            Executor executor = handlerExecutor(loop, options);
            eventToken = loop.register((Dispatcher.EventTarget) (event, id, active) -> {
                if (event == INIT) {
                    init(loop, factory, executor, served);
                    return;
                }
                Peer peer = connectionEvents.isEmpty() ? null : eventPeer();
                for (ConnectionEvents l : connectionEvents) {
                    if (event == CONNECTED) l.connected(peer, (int) active);
                    else l.disconnected(peer, (int) active);
                }
                Listener listener = created[0];
                if (event != CONNECTED && listener != null) listener.disconnected();
            });
        } catch (RuntimeException e) {
            if (fd >= 0) NativeApi.fd_close(fd);
            throw e;
        }
        long server;
        try {
            server = start.start(loopId, pinned, options.encode(), eventToken);
        } catch (RuntimeException e) {
            loop.unregister(eventToken);  // native code closed the fd
            if (NativeHandle.isClosedHandleError(e)) {
                throw factory instanceof Shared shared ? loop.closedDuringSetup(e, shared.implementation().type())
                        : loop.translate(e);
            }
            throw new IpcException("cannot serve " + what + ": " + e.getMessage());
        }
        Listener listener = new Listener(loop, what, server, connectionEvents);
        created[0] = listener;
        return listener;
    }

    // During EVENT_INIT: names the new connection's implementation, or refuses it with the reason.
    private static void init(EventLoop loop, ImplementationFactory factory, Executor executor,
            Map<InterfaceType, Long> served) {
        Implementation implementation;
        try {
            implementation = factory.create(eventPeer());
        } catch (Throwable t) {
            NativeApi.event_refuse("the implementation factory threw " + Dispatcher.describe(t));
            return;
        }
        if (implementation == null) {
            NativeApi.event_refuse("the implementation factory returned null");
            return;
        }
        Connection connection = new Connection(loop, implementation.callTarget(loop, executor));
        try {
            long iface = served.computeIfAbsent(implementation.type(), InterfaceType::nativeHandle);
            connection.token = loop.register(connection);
            NativeApi.event_init(iface, connection.token);
        } catch (RuntimeException e) {
            if (connection.token != 0) loop.unregister(connection.token);
            NativeApi.event_refuse("cannot serve " + implementation.type().name() + ": " + e.getMessage());
        }
    }

    /** One connection's handler: its calls, and its release when the connection's init capability is gone. */
    private static final class Connection implements Dispatcher.CallTarget, Dispatcher.EventTarget {
        private final EventLoop loop;
        private final Dispatcher.CallTarget calls;
        private volatile long token;

        Connection(EventLoop loop, Dispatcher.CallTarget calls) {
            this.loop = loop;
            this.calls = calls;
        }

        @Override
        public void call(int method, byte[] params, Dispatcher.Reply reply) throws Exception {
            calls.call(method, params, reply);
        }

        @Override
        public void onEvent(int event, long a, long b) {
            if (event == RELEASED) loop.unregister(token);
        }
    }

    static ImplementationFactory shared(Implementation implementation) {
        return new Shared(Objects.requireNonNull(implementation, "implementation"));
    }

    private static void owning(ImplementationFactory factory, int fd) {
        if (factory == null && fd >= 0) NativeApi.fd_close(fd);
        Objects.requireNonNull(factory, "factory");
    }

    // The peer of the connection event being delivered on this thread.
    private static Peer eventPeer() {
        long[] p = new long[4];
        NativeApi.event_peer(p);
        return new Peer(p[0], (int) p[1], (int) p[2], (int) p[3]);
    }

    // The executor of a listener's handlers: the caller's, a pool the loop owns, or none.
    private static Executor handlerExecutor(EventLoop loop, ListenOptions options) {
        if (options.handlerExecutor() != null || options.handlerThreads() == 0) return options.handlerExecutor();
        HandlerPool pool = new HandlerPool(loop.name(), options.handlerThreads(), options.handlerQueue());
        loop.adopt(pool);
        return pool;
    }
}
