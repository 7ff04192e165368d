package dev.mpjava;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of {@link EventLoop#connect}: what the client's calls default to and who watches
 * them. Immutable; each
 * {@code with…} method returns a changed copy.
 */
public final class ConnectOptions {
    private Duration callTimeout;  // null: calls wait as long as the peer takes
    private Interceptors interceptors = Interceptors.NONE;
    private boolean interfaceCheck;

    private ConnectOptions() {}

    private ConnectOptions copy() {
        ConnectOptions c = new ConnectOptions();
        c.callTimeout = callTimeout;
        c.interceptors = interceptors;
        c.interfaceCheck = interfaceCheck;
        return c;
    }

    /**
     * No call timeout: a call waits until the peer answers, the connection ends or the
     * caller is interrupted.
     *
     * @return the default options
     */
    public static ConnectOptions defaults() {
        return new ConnectOptions();
    }

    /**
     * A copy whose calls (and those of capabilities received over the connection) fail with
     * {@link DeadlineExceededException} after {@code timeout}, unless a call gives its own.
     *
     * @param timeout the default timeout, positive
     * @return the new options
     */
    public ConnectOptions withCallTimeout(Duration timeout) {
        ConnectOptions c = copy();
        c.callTimeout = ClientCalls.checkTimeout(timeout);
        return c;
    }

    /**
     * A copy that also calls {@code interceptor} for every call of the client and of the
     * capabilities received over its connection, after the interceptors added before.
     *
     * @param interceptor what to call
     * @return the new options
     */
    public ConnectOptions withInterceptor(CallInterceptor interceptor) {
        List<CallInterceptor> list = new ArrayList<>(interceptors.list());
        list.add(Objects.requireNonNull(interceptor, "interceptor"));
        ConnectOptions c = copy();
        c.interceptors = new Interceptors(list);
        return c;
    }

    /**
     * A copy whose {@code connect} waits for the peer's answer to {@code construct} (for an
     * init interface that declares it, as every libmultiprocess one does) and throws
     * {@link InterfaceMismatchException}, naming both interfaces, if the peer serves another
     * one. The wait is bounded by the call timeout, if any, and ends with
     * {@link CancelledException} when the thread is interrupted. Without this, connect
     * returns at once (a server at its connection limit keeps a new client in its backlog,
     * and connect does not wait for that); calls to a peer of another interface then fail
     * with InterfaceMismatchException. On the client loop's own thread connect cannot wait
     * and does not.
     *
     * @return the new options
     */
    public ConnectOptions withInterfaceCheck() {
        ConnectOptions c = copy();
        c.interfaceCheck = true;
        return c;
    }

    /**
     * Whether connect waits for {@code construct} and checks the peer's interface.
     *
     * @return true after {@link #withInterfaceCheck()}
     */
    public boolean interfaceCheck() {
        return interfaceCheck;
    }

    /**
     * The default call timeout.
     *
     * @return the timeout, or empty for none
     */
    public Optional<Duration> callTimeout() {
        return Optional.ofNullable(callTimeout);
    }

    /**
     * The interceptors, in the order they are called.
     *
     * @return the interceptors
     */
    public List<CallInterceptor> interceptors() {
        return interceptors.list();
    }

    Interceptors interceptorSet() {
        return interceptors;
    }
}
