package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A capability of a peer: the init capability of a connection, or a capability received
 * in a value (which belongs to the connection, or to the loop for one received by a
 * handler). The init capability ({@link EventLoop#connect}) owns its connection: closing
 * it closes the connection. Generated typed clients wrap one ({@code Foo.Client.dynamic()}). Calls may be made from any thread, except that a blocking {@link #call} on
 * this client's own loop thread is refused (it would deadlock); use {@link #callAsync}
 * there.
 *
 * <p>Lifecycle: {@link #close()} may be called from any thread, also from a callback
 * running inside a call on this client; calls in flight then fail with
 * {@link DisconnectedException} or {@link ClosedException}. Closing a connection closes
 * the capabilities received over it; closing the loop closes every client made from
 * it. A client that becomes unreachable without close() is released by a
 * {@link Cleaner} (without the {@code destroy} call). After close, every method but
 * {@link #type()}, {@link #callTimeout()}, {@link #isConnected()} and {@link #close()} throws
 * {@link ClosedException}.
 */
public final class Client implements AutoCloseable {
    private static final Consumer<StructBuilder> NO_PARAMS = p -> {};
    private static final System.Logger LOGGER = System.getLogger(SystemLoggerHandler.CLIENT);

    private final EventLoop loop;
    private final InterfaceType type;
    private final Core core;
    private final ClientCalls calls;
    private final Cleaner.Cleanable cleanable;

    /** Connection events; registered with the dispatcher before the connection exists, so no event is missed. */
    static final class Events implements Dispatcher.EventTarget {
        private static final int PEER_DISCONNECTED = NativeApi.EVENT_PEER_DISCONNECTED();
        private static final int CONSTRUCTED = NativeApi.EVENT_CONSTRUCTED();
        final List<Runnable> disconnectListeners = new CopyOnWriteArrayList<>();
        /** The status of construct's answer (a disconnect answers it too). */
        final CompletableFuture<Integer> constructed = new CompletableFuture<>();
        volatile boolean peerDisconnected;

        @Override
        public void onEvent(int event, long a, long b) {
            if (event == CONSTRUCTED) constructed.complete((int) a);
            if (event != PEER_DISCONNECTED) return;
            peerDisconnected = true;
            constructed.complete(NativeApi.STATUS_DISCONNECTED());
            for (Runnable listener : disconnectListeners) listener.run();
        }
    }

    /**
     * What must be released natively, without a reference to the Client (so a Cleaner
     * can run it): the handle, the capabilities received through it, its registrations.
     */
    static final class Core implements EventLoop.Owned {
        final EventLoop loop;
        final NativeHandle handle;
        final Events events;
        final Core parent;  // the connection a received capability came over, or null
        final long eventToken;
        final Duration callTimeout;  // the default of calls through this client; null: none
        final Interceptors interceptors;
        final Set<Core> children = ConcurrentHashMap.newKeySet();

        Core(EventLoop loop, NativeHandle handle, Events events, Core parent, long eventToken, Duration callTimeout,
                Interceptors interceptors) {
            this.loop = loop;
            this.handle = handle;
            this.events = events;
            this.parent = parent;
            this.eventToken = eventToken;
            this.callTimeout = callTimeout;
            this.interceptors = interceptors;
        }

        /** Closes the received capabilities, then releases this handle natively. */
        void close(String why) {
            closeChildren("closed: its connection was closed");
            if (parent != null) parent.children.remove(this);
            loop.disown(this);
            handle.release(why);
            if (eventToken != 0) loop.unregister(eventToken);
        }

        @Override
        public void ownerClosed(String why) {
            closeChildren(why);
            handle.drop(why);  // the loop releases the native handle itself
        }

        private void closeChildren(String why) {
            for (Core child : new ArrayList<>(children)) {
                children.remove(child);
                child.close(why);
            }
        }
    }

    private Client(EventLoop loop, InterfaceType type, long id, Events events, Core parent, long eventToken,
            Duration callTimeout, Interceptors interceptors) {
        this.loop = loop;
        this.type = type;
        String what = (parent == null && eventToken != 0 ? "client of " : "capability ") + type.name();
        this.core = new Core(loop, new NativeHandle(what, id, NativeApi::client_free), events, parent, eventToken,
                callTimeout, interceptors);
        this.calls = new ClientCalls(loop, type, core);
        Core c = core;
        this.cleanable = NativeHandle.CLEANER.register(this, () -> c.close("released by the garbage collector"));
        if (parent != null) parent.children.add(core);
        loop.adopt(core);
        if (parent != null && !parent.handle.isOpen() && parent.children.remove(core)) {
            core.close("closed: its connection was closed");
        }
    }

    /**
     * The init capability of a new connection; with the interface check, once the peer
     * answered construct (when the interface declares it): a peer of another interface fails it here.
     */
    static Client connected(EventLoop loop, InterfaceType type, long id, long eventToken, Events events,
            ConnectOptions options) {
        Client client = new Client(loop, type, id, events, null, eventToken, options.callTimeout().orElse(null),
                options.interceptorSet());
        if (!options.interfaceCheck() || !type.declares("construct")) return client;
        try {
            ConstructCheck.await(loop, type, client.core.handle, events.constructed, client.core.callTimeout);
        } catch (RuntimeException e) {
            if (!client.core.handle.beginClose("closed")) throw e;
            client.finishClose();  // no destroy: the peer does not serve this interface, or is gone
            throw e;
        }
        return client;
    }

    /** A capability received in a value; belongs to {@code values}' connection (or loop). */
    static Client received(long id, CallValues values) {
        String[] description;
        try {
            description = NativeApi.client_describe(id).split("\n");
        } catch (RuntimeException e) {
            throw values.loop().translate(e);
        }
        InterfaceType type = InterfaceType.described(description[0],
                List.of(Arrays.copyOfRange(description, 1, description.length)));
        Core parent = values.connection();
        Events events = parent != null ? parent.events : new Events();
        return new Client(values.loop(), type, id, events, parent, 0, parent != null ? parent.callTimeout : null,
                parent != null ? parent.interceptors : Interceptors.NONE);
    }

    /** The native handle, to pass this capability on in a value. */
    long handleForValue() {
        return core.handle.get();
    }

    /**
     * The interface this client calls.
     *
     * @return the type it was connected or received as
     */
    public InterfaceType type() {
        return type;
    }

    /**
     * False once the peer went away or the client was closed.
     *
     * @return whether calls can still be made
     */
    public boolean isConnected() {
        return core.handle.isOpen() && !core.events.peerDisconnected;
    }

    /**
     * Runs {@code listener} on the loop thread if the peer disconnects unexpectedly.
     *
     * @param listener what to run
     * @return this client
     */
    public Client onDisconnect(Runnable listener) {
        core.handle.get();
        core.events.disconnectListeners.add(listener);
        return this;
    }

    /**
     * Calls {@code method} without params, waiting for the results; see {@link #call(String, Consumer, Duration)}.
     *
     * @param method the method name
     * @return the results
     */
    public StructValue call(String method) {
        return call(method, NO_PARAMS);
    }

    /**
     * Calls {@code method} with params set by {@code params}, waiting for the results as
     * long as the default timeout of {@link ConnectOptions} allows (without one, until the
     * peer answers); see {@link #call(String, Consumer, Duration)}.
     *
     * @param method the method name
     * @param params sets the param fields (fields it leaves unset keep their defaults)
     * @return the results
     */
    public StructValue call(String method, Consumer<StructBuilder> params) {
        return calls.call(core.handle.get(), method, params, core.callTimeout);
    }

    /**
     * Calls {@code method}, waiting for the results at most {@code timeout}. Past it the
     * call fails with {@link DeadlineExceededException}; if this thread is interrupted
     * while it waits, with {@link CancelledException} (the interrupt flag stays set). In
     * both cases the request is cancelled on the wire and a late answer is discarded.
     * Callbacks the peer makes to this thread during the call run on it while it waits.
     *
     * @param method the method name
     * @param params sets the param fields (fields it leaves unset keep their defaults)
     * @param timeout how long to wait, positive
     * @return the results
     */
    public StructValue call(String method, Consumer<StructBuilder> params, Duration timeout) {
        return calls.call(core.handle.get(), method, params, ClientCalls.checkTimeout(timeout));
    }

    /**
     * Sends a call of {@code method} without params; see {@link #callAsync(String, Consumer)}.
     *
     * @param method the method name
     * @return the future results
     */
    public CompletableFuture<StructValue> callAsync(String method) {
        return callAsync(method, NO_PARAMS);
    }

    /**
     * Sends the call and returns at once, with the default timeout of {@link ConnectOptions}
     * if one is set; see {@link #callAsync(String, Consumer, Duration)}.
     *
     * @param method the method name
     * @param params sets the param fields
     * @return the future results
     */
    public CompletableFuture<StructValue> callAsync(String method, Consumer<StructBuilder> params) {
        return calls.callAsync(core.handle.get(), method, params, core.callTimeout);
    }

    /**
     * Sends the call and returns at once. The future completes on the loop thread: keep
     * dependent actions short, or use the *Async variants of CompletableFuture. Past
     * {@code timeout} it fails with {@link DeadlineExceededException}. Completing it
     * early in any other way ({@code cancel}, {@code orTimeout}, {@code complete}) cancels
     * the request on the wire, and the answer is discarded. An unknown method throws
     * here; params that do not fit the schema fail the future with
     * IllegalArgumentException (they are checked where the message is built).
     *
     * @param method the method name
     * @param params sets the param fields
     * @param timeout how long the call may take, positive
     * @return the future results
     */
    public CompletableFuture<StructValue> callAsync(String method, Consumer<StructBuilder> params, Duration timeout) {
        return calls.callAsync(core.handle.get(), method, params, ClientCalls.checkTimeout(timeout));
    }

    /**
     * The timeout of calls that give none: {@link ConnectOptions#withCallTimeout} of the
     * connection (capabilities received over it share it).
     *
     * @return the timeout, or empty for none
     */
    public Optional<Duration> callTimeout() {
        return Optional.ofNullable(core.callTimeout);
    }

    /**
     * Calls {@code destroy} first when the interface declares it (as upstream's clients
     * do; a failure is logged, not thrown), then releases the capability, or for a
     * connected client closes the connection. New calls fail with ClosedException from
     * the moment close begins. Idempotent; safe from any thread. On the loop thread
     * (a handler, a future's continuation) it cannot wait for {@code destroy}: it sends
     * it and releases the capability when the answer comes.
     */
    @Override
    public void close() {
        boolean destroy = type.declares("destroy") && isConnected();
        long id = core.handle.rawId();
        if (!core.handle.beginClose("closed")) return;
        if (!destroy) {
            finishClose();
            return;
        }
        boolean onLoopThread;
        try {
            onLoopThread = NativeApi.loop_on_thread(loop.idForOwned());
        } catch (ClosedException e) {
            finishClose();
            return;
        }
        if (onLoopThread) {
            try {
                calls.callAsync(id, "destroy", NO_PARAMS, core.callTimeout).whenComplete((r, e) -> {
                    if (e != null) destroyFailed(e);
                    finishClose();
                });
            } catch (RuntimeException e) {
                destroyFailed(e);
                finishClose();
            }
            return;
        }
        try {
            calls.call(id, "destroy", NO_PARAMS, core.callTimeout);
        } catch (RuntimeException e) {
            destroyFailed(e);
        } finally {
            finishClose();
        }
    }

    // Through the loop's log handler, like every other line of the loop. A peer or loop
    // that is already gone cannot hear destroy: expected, so not a warning.
    private void destroyFailed(Throwable e) {
        Throwable cause = e.getCause() != null && e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        boolean gone = cause instanceof ClosedException || cause instanceof DisconnectedException;
        String message = "Remote destroy call failed during cleanup. Continuing. (" + cause.getMessage() + ")";
        try {
            loop.log(gone ? LogLevel.DEBUG : LogLevel.WARNING, message);
        } catch (ClosedException loopClosed) {
            LOGGER.log(System.Logger.Level.DEBUG, message);
        }
    }

    private void finishClose() {
        core.close("closed");  // fails calls in flight, so their threads return
        cleanable.clean();     // no-op now; unregisters the Cleaner
    }
}
