package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A connection to a peer's init capability. Calls may be made from any thread, except
 * that a blocking {@link #call} on this client's own loop thread is refused (it would
 * deadlock); use {@link #callAsync} there.
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

    private final InterfaceType type;
    private final long eventToken;
    private final Events events;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private long handle;  // guarded by lifecycle
    private volatile boolean closed;

    /** Registered with the dispatcher before the connection exists, so no event is missed. */
    static final class Events implements Dispatcher.EventTarget {
        private static final int PEER_LOST = NativeApi.EVENT_PEER_LOST();
        final List<Runnable> disconnectListeners = new CopyOnWriteArrayList<>();
        volatile boolean peerLost;

        @Override
        public void onEvent(int event, long a, long b) {
            if (event != PEER_LOST) return;
            peerLost = true;
            for (Runnable listener : disconnectListeners) listener.run();
        }
    }

    /** A capability received in a value: typed by the native interface record. */
    static Client received(long handle) {
        return new Client(InterfaceType.forHandle(NativeApi.client_interface(handle)), handle, 0, new Events());
    }

    /** The native handle, to pass this capability on in a value. */
    long handleForValue() {
        lifecycle.readLock().lock();
        try {
            checkOpen();
            return handle;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    Client(InterfaceType type, long handle, long eventToken, Events events) {
        this.type = type;
        this.handle = handle;
        this.eventToken = eventToken;
        this.events = events;
    }

    public InterfaceType type() {
        return type;
    }

    /** False once the peer went away or the client was closed. */
    public boolean isConnected() {
        return !closed && !events.peerLost;
    }

    /** Runs {@code listener} on the loop thread if the peer disconnects unexpectedly. */
    public Client onDisconnect(Runnable listener) {
        events.disconnectListeners.add(listener);
        return this;
    }

    public StructValue call(String method) {
        return call(method, NO_PARAMS);
    }

    /** Calls {@code method} with params set by {@code params}, waiting for the results. */
    public StructValue call(String method, Consumer<StructBuilder> params) {
        int index = type.methodIndex(method);
        byte[] encoded = encodeParams(method, params);
        long result;
        lifecycle.readLock().lock();
        try {
            checkOpen();
            result = callNative(() -> NativeApi.client_call(handle, index, encoded, encoded.length));
        } finally {
            lifecycle.readLock().unlock();
        }
        return takeResult(result, resultsName(method));
    }

    public CompletableFuture<StructValue> callAsync(String method) {
        return callAsync(method, NO_PARAMS);
    }

    /**
     * Sends the call and returns at once. The future completes on the loop thread: keep
     * dependent actions short, or use the *Async variants of CompletableFuture. An
     * unknown method throws here; params that do not fit the schema fail the future
     * with IllegalArgumentException (they are checked where the message is built).
     */
    public CompletableFuture<StructValue> callAsync(String method, Consumer<StructBuilder> params) {
        int index = type.methodIndex(method);
        byte[] encoded = encodeParams(method, params);
        CompletableFuture<StructValue> future = new CompletableFuture<>();
        String resultsName = resultsName(method);
        long[] token = new long[1];
        token[0] = Dispatcher.register((Dispatcher.EventTarget) (event, a, b) -> {
            Dispatcher.unregister(token[0]);
            try {
                future.complete(takeResult(a, resultsName));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        lifecycle.readLock().lock();
        try {
            checkOpen();
            callNative(() -> {
                NativeApi.client_call_async(handle, index, encoded, encoded.length, token[0]);
                return 0L;
            });
        } catch (RuntimeException e) {
            Dispatcher.unregister(token[0]);
            throw e;
        } finally {
            lifecycle.readLock().unlock();
        }
        return future;
    }

    /**
     * Calls {@code destroy} first when the interface declares it (as upstream's clients
     * do; a failure is logged, not thrown), then releases the capability, or for a
     * connected client closes the connection.
     */
    @Override
    public void close() {
        if (closed) return;
        if (type.declares("destroy") && isConnected()) {
            try {
                call("destroy");
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING,
                        "Remote destroy call failed during cleanup. Continuing. (" + e.getMessage() + ")");
            }
        }
        closed = true;
        long h;
        lifecycle.readLock().lock();
        try {
            h = handle;
            if (h != 0) NativeApi.client_close(h);  // fails calls in flight, so their threads return
        } finally {
            lifecycle.readLock().unlock();
        }
        free();
    }

    /** Releases the native handle; also called by the loop when it closes. */
    void free() {
        closed = true;
        lifecycle.writeLock().lock();
        try {
            if (handle != 0) {
                NativeApi.client_free(handle);
                handle = 0;
                if (eventToken != 0) Dispatcher.unregister(eventToken);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed || handle == 0) throw new ClosedException("client of " + type.name() + " is closed");
    }

    private byte[] encodeParams(String method, Consumer<StructBuilder> params) {
        StructBuilder builder = new StructBuilder();
        params.accept(builder);
        return ValueCodec.encode(builder, type.name() + "." + method + "$Params");
    }

    private String resultsName(String method) {
        return type.name() + "." + method + "$Results";
    }

    private interface NativeCall {
        long run();
    }

    // Native failures before the call is sent: bad params, or a call that cannot be made here.
    private static long callNative(NativeCall call) {
        try {
            return call.run();
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("$Params")) throw new IllegalArgumentException(message);
            if (message.contains("event loop is closed")) throw new ClosedException(message);
            throw new IllegalStateException(message);
        }
    }

    static StructValue takeResult(long result, String resultsName) {
        try {
            int status = NativeApi.result_status(result);
            byte[] bytes = new byte[(int) NativeApi.result_size(result)];
            NativeApi.result_read(result, bytes);
            if (status == OK) return ValueCodec.decode(bytes, resultsName);
            if (status == RAISED) {
                int length = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8;
                String field = new String(bytes, 2, length, StandardCharsets.UTF_8);
                byte[] encoded = java.util.Arrays.copyOfRange(bytes, 2 + length, bytes.length);
                throw new RaisedException(field, ValueCodec.decode(encoded, resultsName));
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (status == INVALID_ARGUMENT) throw new IllegalArgumentException(text);
            if (status == DISCONNECTED) throw new DisconnectedException(text);
            if (status == CLOSED) throw new ClosedException(text);
            if (status == OVERLOADED) throw new RemoteException(RemoteException.Type.OVERLOADED, text);
            if (status == UNIMPLEMENTED) throw new RemoteException(RemoteException.Type.UNIMPLEMENTED, text);
            throw new RemoteException(RemoteException.Type.FAILED, text);
        } finally {
            NativeApi.result_free(result);
        }
    }
}
