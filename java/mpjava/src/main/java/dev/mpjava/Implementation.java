package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Java implementation of a Cap'n Proto interface: one {@link MethodHandler} per
 * method. Unknown method names fail when registering; a method without a handler
 * fails the call with "not implemented". Besides serving a listener, an
 * implementation can be passed as an interface-typed value ({@code p.set("callback",
 * impl)}): each such export is a separate remote object that ends when the peer calls
 * its {@code destroy} method or releases it, which runs the {@link #onClose} hook once.
 * An Implementation is configuration, not a native resource: its methods work at any
 * time, also after its exports ended or their loop closed.
 *
 * <pre>{@code
 * Implementation calc = Implementation.of(schema.interfaceType("CalcInit"))
 *     .on("add", (p, r) -> r.set("result", p.getInt("a") + p.getInt("b")));
 * }</pre>
 */
public final class Implementation {
    private final InterfaceType type;
    private final MethodHandler[] handlers;
    private final Map<Integer, String> paramTypeNames = new ConcurrentHashMap<>();
    private volatile Runnable onClose = () -> {};
    private volatile Executor executor;
    private volatile Interceptors interceptors = Interceptors.NONE;

    private Implementation(InterfaceType type) {
        this.type = type;
        this.handlers = new MethodHandler[type.methods().size()];
    }

    /**
     * Starts an implementation of {@code type} with no handlers; a method without one fails its calls.
     *
     * @param type the interface to implement
     * @return the new implementation
     */
    public static Implementation of(InterfaceType type) {
        return new Implementation(Objects.requireNonNull(type, "type"));
    }

    /**
     * Sets the handler of {@code method}, replacing any earlier one.
     *
     * @param method the method name
     * @param handler runs each call
     * @return this implementation
     * @throws IllegalArgumentException if the interface has no such method
     */
    public Implementation on(String method, MethodHandler handler) {
        handlers[type.methodIndex(method)] = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Runs when an exported instance ends (destroy, release or disconnect); on a native thread.
     *
     * @param hook what to run
     * @return this implementation
     */
    public Implementation onClose(Runnable hook) {
        this.onClose = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * Runs the handlers of methods without a {@code Proxy.Context} parameter on
     * {@code executor} instead of the event loop thread, for this implementation wherever
     * it is served (listeners and exported instances); it overrides a listener's
     * {@link ListenOptions#withHandlerExecutor}. See that method for what changes: calls
     * of one connection then run concurrently, a rejected call fails with "server busy".
     * The executor stays the caller's: mpjava never shuts it down.
     *
     * @param executor where to run handlers, or null for the loop thread (the default)
     * @return this implementation
     */
    public Implementation handlersOn(Executor executor) {
        this.executor = executor;
        return this;
    }

    /**
     * Also calls {@code interceptor} around every call this implementation serves, wherever
     * it is served (listeners and exported instances), after the interceptors added before.
     * It runs on the handler's thread: {@code started} before the handler, {@code ended}
     * after the answer, with the handler's exception, or a {@link CancelledException} if the
     * caller cancelled the call, as the outcome's error. An interceptor that throws is
     * logged on {@code dev.mpjava.server} and the call goes on.
     *
     * @param interceptor what to call
     * @return this implementation
     */
    public Implementation withInterceptor(CallInterceptor interceptor) {
        Objects.requireNonNull(interceptor, "interceptor");
        synchronized (this) {
            List<CallInterceptor> list = new ArrayList<>(interceptors.list());
            list.add(interceptor);
            interceptors = Interceptors.forServer(list);
        }
        return this;
    }

    /**
     * The interceptors, in the order they are called.
     *
     * @return the interceptors added with {@link #withInterceptor}
     */
    public List<CallInterceptor> interceptors() {
        return interceptors.list();
    }

    /**
     * The implemented interface.
     *
     * @return the type given to {@link #of(InterfaceType)}
     */
    public InterfaceType type() {
        return type;
    }

    /** A new exported instance, registered with {@code loop}'s dispatcher targets. */
    Export newExport(EventLoop loop) {
        Export export = new Export(loop);
        export.token = loop.register(export);
        return export;
    }

    /**
     * One exported instance: its own destroyed state, released by the peer. Its token is
     * the encoding call's until native code claims it (EVENT_EXPORTED); then the native
     * server owns it and reports its release (EVENT_RELEASED).
     */
    final class Export implements Dispatcher.CallTarget, Dispatcher.EventTarget {
        private final EventLoop loop;
        private final Dispatcher.CallTarget calls;
        private volatile boolean claimed;
        private final AtomicBoolean closed = new AtomicBoolean();
        private long token;

        private Export(EventLoop loop) {
            this.loop = loop;
            this.calls = callTarget(loop, null);
        }

        long token() {
            return token;
        }

        @Override
        public void call(int method, byte[] params, Dispatcher.Reply reply) throws Exception {
            String name = type.methods().get(method);
            if ("destroy".equals(name)) {
                // On the calling thread, so the instance is closed when the caller hears back.
                byte[] results = handlers[method] != null ? invoke(loop, method, params, reply)
                        : ValueCodec.encode(new StructBuilder(), type.name() + ".destroy$Results", null);
                close();
                reply.ok(results);
                return;
            }
            if (closed.get()) throw new IllegalStateException(type.name() + "." + name + " called after destroy");
            calls.call(method, params, reply);
        }

        @Override
        public void onEvent(int event, long a, long b) {
            if (event == EXPORTED) {
                claimed = true;
            } else if (event == RELEASED) {
                loop.unregister(token);
                close();
            }
        }

        void releaseIfUnclaimed() {
            if (!claimed) loop.unregister(token);
        }

        /**
         * Runs the close hook once, without a lock: a destroy running on a worker may be in
         * the hook (closing a client, which waits for the loop thread) while the loop thread
         * reports the release, and a lock held across the hook deadlocked the two.
         */
        private void close() {
            if (closed.compareAndSet(false, true)) onClose.run();
        }
    }

    private static final int RELEASED = NativeApi.EVENT_RELEASED();
    private static final int EXPORTED = NativeApi.EVENT_EXPORTED();

    /**
     * The dispatcher's view: decode params, run the handler, encode results; on the
     * calling thread, or on the executor (this implementation's, else {@code fallback})
     * for calls that may be answered later.
     */
    Dispatcher.CallTarget callTarget(EventLoop loop, Executor fallback) {
        return (method, params, reply) -> {
            Executor chosen = executor != null ? executor : fallback;
            if (chosen == null || !reply.deferrable()) {
                serve(loop, method, params, reply);
                return;
            }
            try {
                chosen.execute(() -> serve(loop, method, params, reply));
            } catch (RejectedExecutionException e) {
                reply.fail("server busy: no handler thread is free for " + type.name() + "."
                        + type.methods().get(method) + " (the handler executor rejected the call)");
            }
        };
    }

    /** Runs one call and answers it, between the interceptors. */
    private void serve(EventLoop loop, int method, byte[] params, Dispatcher.Reply reply) {
        Interceptors around = interceptors;
        CallInfo info = around.isEmpty() ? null
                : new CallInfo(type.name(), type.methods().get(method), reply.peer(), params.length, System.nanoTime());
        if (info != null) around.started(info);
        byte[] results = null;
        Throwable error = null;
        try {
            results = invoke(loop, method, params, reply);
            reply.ok(results);
        } catch (Throwable t) {
            error = t;
            reply.fail(t);
        }
        if (info == null) return;
        if (reply.cancelled()) {
            CancelledException cancelled = new CancelledException(info.interfaceName() + "." + info.method()
                    + " was cancelled by its caller");
            if (error != null) cancelled.initCause(error);
            error = cancelled;
        }
        around.ended(info, error, results == null ? 0 : results.length);
    }

    private byte[] invoke(EventLoop loop, int method, byte[] params, Dispatcher.Reply reply) throws Exception {
        String name = type.methods().get(method);
        MethodHandler handler = handlers[method];
        if (handler == null) {
            throw new UnsupportedOperationException("method " + type.name() + "." + name + " is not implemented");
        }
        String paramsName = paramTypeNames.computeIfAbsent(method, m -> type.name() + "." + name + "$Params");
        // Capabilities received in params belong to the loop; exports in results are
        // claimed when the loop builds the response.
        CallValues values = new CallValues(loop, null);
        StructBuilder results = new StructBuilder();
        StructValue in = ValueCodec.decode(params, paramsName, values);
        try {
            CallContext.with(reply, type.name() + "." + name, () -> {
                handler.handle(in, results);
                return null;
            });
            return ValueCodec.encode(results, type.name() + "." + name + "$Results", values);
        } catch (Throwable t) {
            logFailure(loop, type.name() + "." + name, reply, t);
            throw t;
        }
    }

    /**
     * A handler's failure, with its stack trace, method and caller, through the loop's log
     * handler (the caller sees only class and message). After a cancel it is expected.
     */
    private static void logFailure(EventLoop loop, String method, Dispatcher.Reply reply, Throwable t) {
        LogOptions options = loop.logOptions();
        LogLevel level = reply.cancelled() ? LogLevel.DEBUG : LogLevel.ERROR;
        if (level.compareTo(options.minLevel()) < 0) return;
        Peer peer = reply.peer();
        String message = "IPC server: handler of " + method + " threw" + (reply.cancelled() ? " after its call was cancelled" : "")
                + " (peer: connection " + peer.connectionId() + ", pid " + peer.pid() + ", uid " + peer.uid() + ", gid "
                + peer.gid() + "): " + Dispatcher.describe(t);
        try {
            options.handler().log(level, Thread.currentThread().getName(), message, t);
        } catch (RuntimeException e) {
            // A broken log handler must not change the call's outcome.
        }
    }
}
