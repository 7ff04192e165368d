package dev.mpjava;

import dev.mpjava.internal.Dispatcher;

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
    private final Dispatcher.Reply reply;

    private CallContext(Peer peer, String method, Dispatcher.Reply reply) {
        this.peer = peer;
        this.method = method;
        this.reply = reply;
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

    /**
     * Whether the caller gave up on this call (a deadline, an interrupt, a cancelled future)
     * or left. The handler's thread is then also interrupted; either way its answer is
     * dropped, so a long handler may stop early.
     *
     * @return true once the call was cancelled
     */
    public boolean isCancelled() {
        return reply.cancelled();
    }

    /**
     * Runs {@code body} with this thread's context set to the given call, restoring the
     * previous one; a cancel of the call interrupts this thread meanwhile.
     */
    static <T> T with(Dispatcher.Reply reply, String method, Body<T> body) throws Exception {
        CallContext previous = CURRENT.get();
        CURRENT.set(new CallContext(reply.peer(), method, reply));
        reply.enter();
        try {
            return body.run();
        } finally {
            reply.exit();
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        }
    }
}
