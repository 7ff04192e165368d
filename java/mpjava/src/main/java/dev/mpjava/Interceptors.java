package dev.mpjava;

import java.time.Duration;
import java.util.List;

/** The interceptors of one client or server, called so that one that throws harms no call. */
final class Interceptors {
    static final Interceptors NONE = new Interceptors(List.of());

    private final List<CallInterceptor> list;
    private final System.Logger logger;  // where a throwing interceptor is reported

    /** A client's interceptors. */
    Interceptors(List<CallInterceptor> list) {
        this(list, SystemLoggerHandler.CLIENT);
    }

    private Interceptors(List<CallInterceptor> list, String loggerName) {
        this.list = List.copyOf(list);
        this.logger = System.getLogger(loggerName);
    }

    /** A server's interceptors (an {@link Implementation}'s). */
    static Interceptors forServer(List<CallInterceptor> list) {
        return new Interceptors(list, SystemLoggerHandler.SERVER);
    }

    List<CallInterceptor> list() {
        return list;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    void started(CallInfo call) {
        for (CallInterceptor i : list) {
            try {
                i.started(call);
            } catch (RuntimeException e) {
                logger.log(System.Logger.Level.WARNING, "call interceptor " + i + " threw in started; ignored", e);
            }
        }
    }

    void ended(CallInfo call, Throwable error, int resultBytes) {
        if (list.isEmpty()) return;
        CallOutcome outcome = new CallOutcome(Duration.ofNanos(System.nanoTime() - call.startNanos()), error,
                error == null ? resultBytes : 0);
        for (CallInterceptor i : list) {
            try {
                i.ended(call, outcome);
            } catch (RuntimeException e) {
                logger.log(System.Logger.Level.WARNING, "call interceptor " + i + " threw in ended; ignored", e);
            }
        }
    }
}
