package dev.mpjava;

import java.util.Objects;

/**
 * What a {@link MethodHandler} may ask about the call it is handling, whichever thread
 * runs it (the loop thread, a handler executor's thread, or a Context call's worker):
 *
 * <pre>{@code
 * impl.on("add", (p, r) -> {
 *     Peer caller = CallContext.current().peer();
 *     ...
 * });
 * }</pre>
 *
 * It is set only while the handler runs, on the handler's own thread: read it there,
 * not from threads the handler starts.
 */
public final class CallContext {
    private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

    private final Peer peer;
    private final String method;

    private CallContext(Peer peer, String method) {
        this.peer = peer;
        this.method = method;
    }

    /**
     * The call the current thread's handler is handling.
     *
     * @return its context
     * @throws IllegalStateException outside a method handler
     */
    public static CallContext current() {
        CallContext context = CURRENT.get();
        if (context == null) throw new IllegalStateException("CallContext.current() is only set inside a method handler");
        return context;
    }

    /**
     * The process at the other end of the connection the call came over. For a
     * capability served over a connection this process made ({@link EventLoop#connect}),
     * the connection id is 0 and the credentials are -1.
     *
     * @return the calling peer
     */
    public Peer peer() {
        return peer;
    }

    /**
     * The method called, as {@code Interface.method}.
     *
     * @return its name
     */
    public String method() {
        return method;
    }

    /** Work that may throw, run with a context set. */
    interface Body<T> {
        T run() throws Exception;
    }

    /** Runs {@code body} with this thread's context set to the given call, restoring the previous one. */
    static <T> T with(Peer peer, String method, Body<T> body) throws Exception {
        CallContext previous = CURRENT.get();
        CURRENT.set(new CallContext(Objects.requireNonNull(peer, "peer"), method));
        try {
            return body.run();
        } finally {
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        }
    }
}
