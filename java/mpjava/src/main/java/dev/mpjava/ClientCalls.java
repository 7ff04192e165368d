package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The calls of one {@link Client}: params encoded, the native call started, waited for
 * (blocking) or completed by an event (async), cancelled on a deadline, an interrupt or a
 * cancelled future, and the result turned into values or exceptions.
 */
final class ClientCalls {
    private static final int OK = NativeApi.STATUS_OK();
    private static final int DISCONNECTED = NativeApi.STATUS_DISCONNECTED();
    private static final int OVERLOADED = NativeApi.STATUS_OVERLOADED();
    private static final int UNIMPLEMENTED = NativeApi.STATUS_UNIMPLEMENTED();
    private static final int CLOSED = NativeApi.STATUS_CLOSED();
    private static final int INVALID_ARGUMENT = NativeApi.STATUS_INVALID_ARGUMENT();
    private static final int RAISED = NativeApi.STATUS_RAISED();
    private static final int CANCELLED = NativeApi.STATUS_CANCELLED();
    /** How long a blocked caller waits natively before it looks at its interrupt flag again. */
    private static final long SLICE_MS = 20;

    private final EventLoop loop;
    private final InterfaceType type;
    private final Client.Core core;

    ClientCalls(EventLoop loop, InterfaceType type, Client.Core core) {
        this.loop = loop;
        this.type = type;
        this.core = core;
    }

    static Duration checkTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a call timeout must be positive, got " + timeout);
        }
        return timeout;
    }

    /** Blocks until the call ends, its timeout (null: none) passes, or this thread is interrupted. */
    StructValue call(long id, String method, Consumer<StructBuilder> params, Duration timeout) {
        int index = type.methodIndex(method);
        String what = type.name() + "." + method;
        if (Thread.currentThread().isInterrupted()) {
            throw new CancelledException(what + " not called: the calling thread is interrupted");
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        CallValues values = new CallValues(loop, core);
        try {
            byte[] encoded = encodeParams(method, params, values);
            CallInfo info = new CallInfo(type.name(), method, null, encoded.length, System.nanoTime());
            core.interceptors.started(info);
            int[] resultBytes = new int[1];
            try {
                long call;
                try {
                    call = NativeApi.client_call_start(id, index, encoded, encoded.length);
                } catch (RuntimeException e) {
                    throw translateRefusal(e);
                }
                try {
                    StructValue results = awaitResult(call, what, deadline, timeout, values, resultBytes);
                    core.interceptors.ended(info, null, resultBytes[0]);
                    return results;
                } finally {
                    NativeApi.call_free(call);
                }
            } catch (RuntimeException e) {
                core.interceptors.ended(info, e, 0);
                throw e;
            }
        } finally {
            values.releaseUnclaimed();
        }
    }

    private StructValue awaitResult(long call, String what, long deadline, Duration timeout, CallValues values,
            int[] resultBytes) {
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                cancel(call);
                throw new CancelledException(what + " cancelled: the calling thread was interrupted");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                cancel(call);
                throw new DeadlineExceededException(what + " exceeded its deadline of " + timeout.toMillis() + " ms");
            }
            long slice = Math.min(SLICE_MS, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            long result;
            try {
                result = NativeApi.call_wait(call, slice);
            } catch (RuntimeException e) {
                throw loop.translate(e);
            }
            if (result != 0) return takeResult(result, what, values, resultBytes);
        }
    }

    private void cancel(long call) {
        try {
            NativeApi.call_cancel(call);
        } catch (RuntimeException e) {
            // The loop released the call: nothing is left to cancel.
        }
    }

    /** Starts the call; the future fails with DeadlineExceededException after {@code timeout} (null: none). */
    CompletableFuture<StructValue> callAsync(long id, String method, Consumer<StructBuilder> params, Duration timeout) {
        int index = type.methodIndex(method);
        String what = type.name() + "." + method;
        CallValues values = new CallValues(loop, core);
        PendingCall pending = new PendingCall(what, values);
        byte[] encoded;
        try {
            encoded = encodeParams(method, params, values);
            pending.token = loop.register(pending);
        } catch (RuntimeException e) {
            values.releaseUnclaimed();
            throw e;
        }
        CallInfo info = new CallInfo(type.name(), method, null, encoded.length, System.nanoTime());
        core.interceptors.started(info);
        try {
            pending.started(NativeApi.client_call_async(id, index, encoded, encoded.length, pending.token));
        } catch (RuntimeException e) {
            loop.unregister(pending.token);
            values.releaseUnclaimed();
            RuntimeException refused = translateRefusal(e);
            core.interceptors.ended(info, refused, 0);
            throw refused;
        }
        if (!core.interceptors.isEmpty()) {
            pending.future.whenComplete((r, e) -> core.interceptors.ended(info, unwrap(e), pending.resultBytes[0]));
        }
        if (timeout != null) {
            ScheduledFuture<?> timer = Deadlines.SCHEDULER.schedule(() -> pending.future.completeExceptionally(
                    new DeadlineExceededException(what + " exceeded its deadline of " + timeout.toMillis() + " ms")),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            pending.future.whenComplete((r, e) -> timer.cancel(false));
        }
        // Completed by anything but the native answer (cancel, a timeout, orTimeout): cancel on the wire.
        pending.future.whenComplete((r, e) -> pending.abandon());
        return pending.future;
    }

    /** An async call: its future, and the native call until it has answered. */
    private final class PendingCall implements Dispatcher.EventTarget, EventLoop.LoopBound {
        final CompletableFuture<StructValue> future = new CompletableFuture<>();
        final String what;
        final CallValues values;
        long token;
        final int[] resultBytes = new int[1];
        private long call;        // the native call, once started; 0 once freed
        private boolean answered; // the native answer arrived

        PendingCall(String what, CallValues values) {
            this.what = what;
            this.values = values;
        }

        synchronized void started(long id) {
            if (answered) NativeApi.call_free(id);  // answered before client_call_async returned
            else call = id;
        }

        @Override
        public void onEvent(int event, long result, long unused) {
            loop.unregister(token);
            synchronized (this) {
                answered = true;
                if (call != 0) NativeApi.call_free(call);
                call = 0;
            }
            try {
                future.complete(takeResult(result, what, values, resultBytes));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            } finally {
                values.releaseUnclaimed();
            }
        }

        synchronized void abandon() {
            if (!answered && call != 0) cancel(call);  // the answer (CANCELLED) still comes and frees it
        }

        @Override
        public void loopClosed(ClosedException reason) {
            future.completeExceptionally(reason);
        }
    }

    private byte[] encodeParams(String method, Consumer<StructBuilder> params, CallValues values) {
        StructBuilder builder = new StructBuilder();
        params.accept(builder);
        return ValueCodec.encode(builder, type.name() + "." + method + "$Params", values);
    }

    // Native failures before the call is sent: bad params, a closed handle or loop.
    RuntimeException translateRefusal(RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (NativeHandle.isClosedHandleError(e)) {
            return core.handle.isOpen() ? new ClosedException(message) : core.handle.closedException();
        }
        if (message.contains("$Params")) return new IllegalArgumentException(message);
        return new IllegalStateException(message);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private StructValue takeResult(long result, String what, CallValues values, int[] resultBytes) {
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
        String resultsName = what + "$Results";
        resultBytes[0] = bytes.length;
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
        if (status == CANCELLED) throw new CancelledException(what + ": " + text);
        if (status == DISCONNECTED) throw new DisconnectedException(text);
        if (status == CLOSED) throw new ClosedException(text);
        if (status == OVERLOADED) throw new RemoteException(RemoteException.Type.OVERLOADED, text);
        if (status == UNIMPLEMENTED) throw ConstructCheck.unimplemented(type.name(), text);
        throw new RemoteException(RemoteException.Type.FAILED, text);
    }

    /** The one timer thread for async call deadlines, started on first use. */
    private static final class Deadlines {
        static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mpjava-deadlines");
            t.setDaemon(true);
            return t;
        });

        static {
            SCHEDULER.setRemoveOnCancelPolicy(true);
        }
    }
}
