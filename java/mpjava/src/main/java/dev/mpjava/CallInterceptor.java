package dev.mpjava;

/**
 * Sees every call of a client ({@link ConnectOptions#withInterceptor}) or of a server
 * ({@link Implementation#withInterceptor}), for metrics and tracing. On a client,
 * {@link #started} runs before the call is sent, on the calling thread, and {@link #ended}
 * once it has ended, on the thread that learns the outcome (the caller for a blocking call,
 * the loop thread for an async one). On a server both run on the handler's thread, around
 * the handler; the outcome's error is what the handler threw, or a
 * {@link CancelledException} if the caller cancelled the call meanwhile. Both must be quick
 * and must not throw: an exception is logged and dropped, the call goes on.
 */
public interface CallInterceptor {
    /**
     * A call starts.
     *
     * @param call what is called
     */
    default void started(CallInfo call) {}

    /**
     * A call ended.
     *
     * @param call what was called
     * @param outcome how it ended
     */
    void ended(CallInfo call, CallOutcome outcome);
}
