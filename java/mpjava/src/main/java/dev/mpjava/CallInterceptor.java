package dev.mpjava;

/**
 * Sees every call of a client ({@link ConnectOptions#withInterceptor}) or of a server, for
 * metrics and tracing. {@link #started} runs before the call is sent, on the calling thread;
 * {@link #ended} once it has ended, on the thread that learns the outcome (the caller for a
 * blocking call, the loop thread for an async one). Both must be quick and must not throw:
 * an exception is logged and dropped, the call goes on.
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
