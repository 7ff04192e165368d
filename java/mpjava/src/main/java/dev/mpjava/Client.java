package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A capability of a peer: the init capability of a connection, or a capability received
 * in a value (which belongs to the connection, or to the loop for one received by a
 * handler). Calls may be made from any thread, except that a blocking {@link #call} on
 * this client's own loop thread is refused (it would deadlock); use {@link #callAsync}
 * there.
 *
 * <p>Lifecycle: {@link #close()} may be called from any thread, also from a callback
 * running inside a call on this client; calls in flight then fail with
 * {@link DisconnectedException} or {@link ClosedException}. Closing a connection closes
 * the capabilities received over it; closing the loop closes every client made from
 * it. A client that becomes unreachable without close() is released by a
 * {@link Cleaner} (without the {@code destroy} call). After close, every method but
 * {@link #type()}, {@link #isConnected()} and {@link #close()} throws
 * {@link ClosedException}.
 */
public final class Client implements AutoCloseable {
    private static final int OK = NativeApi.STATUS_OK();
    private static final int DISCONNECTED = NativeApi.STATUS_DISCONNECTED();
    private static final int OVERLOADED = NativeApi.STATUS_OVERLOADED();
    private static final int UNIMPLEMENTED = NativeApi.STATUS_UNIMPLEMENTED();
    private static final int CLOSED = NativeApi.STATUS_CLOSED();
    private static final int INVALID_ARGUMENT = NativeApi.STATUS_INVALID_ARGUMENT();
    private static final int RAISED = NativeApi.STATUS_RAISED();
    private static final Consumer<StructBuilder> NO_PARAMS = p -> {};
    private static final System.Logger LOGGER = System.getLogger("dev.mpjava");

    private final EventLoop loop;
    private final InterfaceType type;
    private final Core core;
    private final Cleaner.Cleanable cleanable;

    /** Connection events; registered with the dispatcher before the connection exists, so no event is missed. */
    static final class Events implements Dispatcher.EventTarget {
        private static final int PEER_DISCONNECTED = NativeApi.EVENT_PEER_DISCONNECTED();
        final List<Runnable> disconnectListeners = new CopyOnWriteArrayList<>();
        volatile boolean peerDisconnected;

        @Override
        public void onEvent(int event, long a, long b) {
            if (event != PEER_DISCONNECTED) return;
            peerDisconnected = true;
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
        final Set<Core> children = ConcurrentHashMap.newKeySet();

        Core(EventLoop loop, NativeHandle handle, Events events, Core parent, long eventToken) {
            this.loop = loop;
            this.handle = handle;
            this.events = events;
            this.parent = parent;
            this.eventToken = eventToken;
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

    private Client(EventLoop loop, InterfaceType type, long id, Events events, Core parent, long eventToken) {
        this.loop = loop;
        this.type = type;
        String what = (parent == null && eventToken != 0 ? "client of " : "capability ") + type.name();
        this.core = new Core(loop, new NativeHandle(what, id, NativeApi::client_free), events, parent, eventToken);
        Core c = core;
        this.cleanable = NativeHandle.CLEANER.register(this, () -> c.close("released by the garbage collector"));
        if (parent != null) parent.children.add(core);
        loop.adopt(core);
        if (parent != null && !parent.handle.isOpen() && parent.children.remove(core)) {
            core.close("closed: its connection was closed");
        }
    }

    /** The init capability of a new connection. */
    static Client connected(EventLoop loop, InterfaceType type, long id, long eventToken, Events events) {
        return new Client(loop, type, id, events, null, eventToken);
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
        return new Client(values.loop(), type, id, events, parent, 0);
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
     * Calls {@code method} without params, waiting for the results.
     *
     * @param method the method name
     * @return the results
     */
    public StructValue call(String method) {
        return call(method, NO_PARAMS);
    }

    /**
     * Calls {@code method} with params set by {@code params}, waiting for the results.
     *
     * @param method the method name
     * @param params sets the param fields (fields it leaves unset keep their defaults)
     * @return the results
     */
    public StructValue call(String method, Consumer<StructBuilder> params) {
        return call(core.handle.get(), method, params);
    }

    private StructValue call(long id, String method, Consumer<StructBuilder> params) {
        int index = type.methodIndex(method);
        CallValues values = new CallValues(loop, core);
        try {
            byte[] encoded = encodeParams(method, params, values);
            long result;
            try {
                result = NativeApi.client_call(id, index, encoded, encoded.length);
            } catch (RuntimeException e) {
                throw translateRefusal(e);
            }
            return takeResult(result, resultsName(method), values);
        } finally {
            values.releaseUnclaimed();
        }
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
     * Sends the call and returns at once. The future completes on the loop thread: keep
     * dependent actions short, or use the *Async variants of CompletableFuture. An
     * unknown method throws here; params that do not fit the schema fail the future
     * with IllegalArgumentException (they are checked where the message is built).
     *
     * @param method the method name
     * @param params sets the param fields
     * @return the future results
     */
    public CompletableFuture<StructValue> callAsync(String method, Consumer<StructBuilder> params) {
        return callAsync(core.handle.get(), method, params);
    }

    private CompletableFuture<StructValue> callAsync(long id, String method, Consumer<StructBuilder> params) {
        int index = type.methodIndex(method);
        CallValues values = new CallValues(loop, core);
        byte[] encoded;
        PendingCall pending = new PendingCall(resultsName(method), values);
        try {
            encoded = encodeParams(method, params, values);
            pending.token = loop.register(pending);
        } catch (RuntimeException e) {
            values.releaseUnclaimed();
            throw e;
        }
        try {
            NativeApi.client_call_async(id, index, encoded, encoded.length, pending.token);
        } catch (RuntimeException e) {
            loop.unregister(pending.token);
            values.releaseUnclaimed();
            throw translateRefusal(e);
        }
        return pending.future;
    }

    /** One callAsync in flight: completed by its event, or failed when the loop closes. */
    private final class PendingCall implements Dispatcher.EventTarget, EventLoop.LoopBound {
        final CompletableFuture<StructValue> future = new CompletableFuture<>();
        final String resultsName;
        final CallValues values;
        long token;

        PendingCall(String resultsName, CallValues values) {
            this.resultsName = resultsName;
            this.values = values;
        }

        @Override
        public void onEvent(int event, long result, long unused) {
            loop.unregister(token);
            try {
                future.complete(takeResult(result, resultsName, values));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            } finally {
                values.releaseUnclaimed();
            }
        }

        @Override
        public void loopClosed(ClosedException reason) {
            future.completeExceptionally(reason);
        }
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
                callAsync(id, "destroy", NO_PARAMS).whenComplete((r, e) -> {
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
            call(id, "destroy", NO_PARAMS);
        } catch (RuntimeException e) {
            destroyFailed(e);
        } finally {
            finishClose();
        }
    }

    // A peer or loop that is already gone cannot hear destroy: expected, so not a warning.
    private static void destroyFailed(Throwable e) {
        Throwable cause = e.getCause() != null && e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        boolean gone = cause instanceof ClosedException || cause instanceof DisconnectedException;
        LOGGER.log(gone ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                "Remote destroy call failed during cleanup. Continuing. (" + cause.getMessage() + ")");
    }

    private void finishClose() {
        core.close("closed");  // fails calls in flight, so their threads return
        cleanable.clean();     // no-op now; unregisters the Cleaner
    }

    private byte[] encodeParams(String method, Consumer<StructBuilder> params, CallValues values) {
        StructBuilder builder = new StructBuilder();
        params.accept(builder);
        return ValueCodec.encode(builder, type.name() + "." + method + "$Params", values);
    }

    private String resultsName(String method) {
        return type.name() + "." + method + "$Results";
    }

    // Native failures before the call is sent: bad params, a closed handle or loop.
    private RuntimeException translateRefusal(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (NativeHandle.isClosedHandleError(e)) {
            return core.handle.isOpen() ? new ClosedException(message) : core.handle.closedException();
        }
        if (message.contains("$Params")) return new IllegalArgumentException(message);
        return new IllegalStateException(message);
    }

    private StructValue takeResult(long result, String resultsName, CallValues values) {
        byte[] bytes;
        int status;
        try {
            status = NativeApi.result_status(result);
            bytes = new byte[(int) NativeApi.result_size(result)];
            NativeApi.result_read(result, bytes);
        } catch (RuntimeException e) {
            throw loop.translate(e);
        } finally {
            NativeApi.result_free(result);
        }
        if (status == OK) return ValueCodec.decode(bytes, resultsName, values);
        if (status == RAISED) {
            int length = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8;
            String field = new String(bytes, 2, length, StandardCharsets.UTF_8);
            byte[] encoded = Arrays.copyOfRange(bytes, 2 + length, bytes.length);
            throw new RaisedException(field, ValueCodec.decode(encoded, resultsName, values));
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (status == INVALID_ARGUMENT) throw new IllegalArgumentException(text);
        if (!core.handle.isOpen()) {
            // The call raced close() from another thread (the peer may have seen destroy
            // first): it failed because this client closed, so say that.
            ClosedException closed = core.handle.closedException();
            closed.addSuppressed(new RemoteException(RemoteException.Type.FAILED, text));
            throw closed;
        }
        if (status == DISCONNECTED) throw new DisconnectedException(text);
        if (status == CLOSED) throw new ClosedException(text);
        if (status == OVERLOADED) throw new RemoteException(RemoteException.Type.OVERLOADED, text);
        if (status == UNIMPLEMENTED) throw new RemoteException(RemoteException.Type.UNIMPLEMENTED, text);
        throw new RemoteException(RemoteException.Type.FAILED, text);
    }
}
