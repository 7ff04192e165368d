package dev.mpjava;

import java.time.Duration;
import java.util.List;

/** The interceptors of one client or server, called so that one that throws harms no call. */
final class Interceptors {
    static final Interceptors NONE = new Interceptors(List.of());
    private static final System.Logger LOGGER = System.getLogger(SystemLoggerHandler.CLIENT);

    private final List<CallInterceptor> list;

    Interceptors(List<CallInterceptor> list) {
        this.list = List.copyOf(list);
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
                LOGGER.log(System.Logger.Level.WARNING, "call interceptor " + i + " threw in started; ignored", e);
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
                LOGGER.log(System.Logger.Level.WARNING, "call interceptor " + i + " threw in ended; ignored", e);
            }
        }
    }
}
