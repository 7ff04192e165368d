package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A native event loop on its own thread: every listener, connection and client of
 * mpjava lives on one. {@link #close()} is clean with live connections: it closes them
 * (in-flight calls fail with {@link ClosedException} or {@link DisconnectedException}),
 * stops the thread and releases every listener and client made from this loop. It
 * waits for handlers still running on worker threads (Context calls) to return, as
 * upstream joins its threads: a handler that never returns keeps close() waiting.
 */
public final class EventLoop implements AutoCloseable {
    private final String name;
    private final long handle;
    private final long logToken;
    private final List<Long> tokens = new ArrayList<>();          // guarded by this
    private final List<Listener> listeners = new ArrayList<>();   // guarded by this
    private final List<Client> clients = new ArrayList<>();       // guarded by this
    private boolean closed;                                       // guarded by this

    private EventLoop(String name, long handle, long logToken) {
        this.name = name;
        this.handle = handle;
        this.logToken = logToken;
    }

    public static EventLoop start(String name) {
        return start(name, LogOptions.defaults());
    }

    public static EventLoop start(String name, LogOptions options) {
        Dispatcher.ensureInstalled();
        LogHandler handler = options.handler();
        long logToken = Dispatcher.register(
                (Dispatcher.LogSink) (level, thread, message) -> handler.log(LogLevel.of(level), thread, message));
        try {
            long handle = NativeApi.loop_start(name, options.minLevel().ordinal(), options.maxChars(), logToken);
            return new EventLoop(name, handle, logToken);
        } catch (RuntimeException e) {
            Dispatcher.unregister(logToken);
            throw new IpcException("cannot start event loop " + name + ": " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    // ---- serving ----

    /** Binds a Unix socket at {@code socket} and serves {@code implementation} on it, without a limit. */
    public Listener listen(Path socket, Implementation implementation) {
        return listen(socket, implementation, ListenOptions.defaults());
    }

    public Listener listen(Path socket, Implementation implementation, ListenOptions options) {
        int fd = Sockets.bind(socket, options.backlog());
        return listen(fd, implementation, options);
    }

    /** Serves on an already listening socket fd; takes ownership of it (ListenConnections). */
    public Listener listen(int listeningFd, Implementation implementation, ListenOptions options) {
        return startServer(listeningFd, implementation, options.maxConnections(), true);
    }

    /** Serves one already connected socket fd; takes ownership of it (ServeStream). */
    public Listener serve(int connectedFd, Implementation implementation) {
        return startServer(connectedFd, implementation, -1, false);
    }

    private Listener startServer(int fd, Implementation implementation, long max, boolean listening) {
        long iface = implementation.type().nativeHandle();
        List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
        int connected = NativeApi.EVENT_CONNECTED();
        synchronized (this) {
            if (closed) {
                NativeApi.fd_close(fd);
                throw new ClosedException("event loop " + name + " is closed");
            }
            long handlerToken = Dispatcher.register(implementation.callTarget());
            Listener[] created = new Listener[1];
            long eventToken = Dispatcher.register((Dispatcher.EventTarget) (event, id, active) -> {
                for (ConnectionListener l : connectionListeners) {
                    if (event == connected) l.connected(id, (int) active);
                    else l.disconnected(id, (int) active);
                }
                Listener listener = created[0];
                if (event != connected && listener != null) listener.disconnected();
            });
            tokens.add(handlerToken);
            tokens.add(eventToken);
            long server;
            try {
                server = listening
                        ? NativeApi.server_listen(handle, fd, iface, handlerToken, max, eventToken)
                        : NativeApi.server_serve(handle, fd, iface, handlerToken, eventToken);
            } catch (RuntimeException e) {
                throw new IpcException("cannot serve " + implementation.type().name() + ": " + e.getMessage());
            }
            Listener listener = new Listener(server, connectionListeners);
            created[0] = listener;
            listeners.add(listener);
            return listener;
        }
    }

    // ---- connecting ----

    /** Connects to the Unix socket at {@code socket} and bootstraps its init capability as {@code type}. */
    public Client connect(Path socket, InterfaceType type) {
        return connect(Sockets.connect(socket), type);
    }

    /** Uses an already connected socket fd (ConnectStream); takes ownership of it. */
    public Client connect(int connectedFd, InterfaceType type) {
        long iface = type.nativeHandle();
        Client.Events events = new Client.Events();
        synchronized (this) {
            if (closed) {
                NativeApi.fd_close(connectedFd);
                throw new ClosedException("event loop " + name + " is closed");
            }
            long eventToken = Dispatcher.register(events);
            long client;
            try {
                client = NativeApi.client_connect(handle, connectedFd, iface, eventToken);
            } catch (RuntimeException e) {
                Dispatcher.unregister(eventToken);
                throw new IpcException("cannot connect " + type.name() + ": " + e.getMessage());
            }
            Client c = new Client(type, client, eventToken, events);
            clients.add(c);
            return c;
        }
    }

    // ---- logging ----

    /** Emits a message through this loop's native logger (filtering, cap, handler) from this thread. */
    public void log(LogLevel level, String message) {
        NativeApi.loop_log(handle, level.ordinal(), message, false);
    }

    /** Same, from a fresh native thread unknown to the JVM (diagnostics and tests). */
    void logFromNativeThread(LogLevel level, String message) {
        NativeApi.loop_log(handle, level.ordinal(), message, true);
    }

    // ---- shutdown ----

    /**
     * @throws IllegalStateException when called on this loop's own thread (from a handler
     *     or callback it runs): the loop cannot stop and join itself.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
        }
        if (NativeApi.loop_on_thread(handle)) {
            throw new IllegalStateException("EventLoop " + name + " cannot be closed from its own thread");
        }
        List<Client> ownedClients;
        List<Listener> ownedListeners;
        synchronized (this) {
            if (closed) return;
            closed = true;
            ownedClients = new ArrayList<>(clients);
            ownedListeners = new ArrayList<>(listeners);
        }
        NativeApi.loop_close(handle);  // tears down every connection; no upcall runs after this
        for (Client c : ownedClients) c.free();
        for (Listener l : ownedListeners) l.free();
        synchronized (this) {
            for (long token : tokens) Dispatcher.unregister(token);
            tokens.clear();
        }
        Dispatcher.unregister(logToken);
        NativeApi.loop_free(handle);
    }
}
