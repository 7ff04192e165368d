package dev.mpjava.examples;

import dev.mpjava.CallInfo;
import dev.mpjava.CallInterceptor;
import dev.mpjava.CallOutcome;
import dev.mpjava.ConnectOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A call interceptor that records per-method latency: calls, failures, mean and maximum,
 * the way one would feed a metrics library. Install it on a client with
 * {@code ConnectOptions.defaults().withInterceptor(latency)} ({@link Example} does with
 * {@code --latency}), or on a server with {@code implementation.withInterceptor(latency)},
 * where it times each handler and counts a call its caller cancelled as failed.
 */
public final class MethodLatency implements CallInterceptor {
    /** One method's figures; updated from any thread. */
    private static final class Stats {
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder totalNanos = new LongAdder();
        volatile long maxNanos;

        synchronized void max(long nanos) {
            if (nanos > maxNanos) maxNanos = nanos;
        }
    }

    private final Map<String, Stats> byMethod = new ConcurrentHashMap<>();

    @Override
    public void ended(CallInfo call, CallOutcome outcome) {
        Stats stats = byMethod.computeIfAbsent(call.interfaceName() + "." + call.method(), k -> new Stats());
        long nanos = outcome.duration().toNanos();
        stats.calls.increment();
        if (!outcome.succeeded()) stats.failures.increment();
        stats.totalNanos.add(nanos);
        stats.max(nanos);
    }

    /**
     * The options that install this recorder.
     *
     * @return default connect options with this interceptor
     */
    public ConnectOptions options() {
        return ConnectOptions.defaults().withInterceptor(this);
    }

    /**
     * How many calls of {@code method} ended.
     *
     * @param method "Interface.method"
     * @return the count, 0 if none
     */
    public long calls(String method) {
        Stats stats = byMethod.get(method);
        return stats == null ? 0 : stats.calls.sum();
    }

    /**
     * One line per method, sorted: calls, failures, mean and max in microseconds.
     *
     * @return the report
     */
    public String report() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Stats> e : new TreeMap<>(byMethod).entrySet()) {
            Stats s = e.getValue();
            long calls = s.calls.sum();
            out.append(String.format("%-40s %6d calls %4d failed  mean %8.1f us  max %8.1f us%n", e.getKey(), calls,
                    s.failures.sum(), s.totalNanos.sum() / 1e3 / Math.max(calls, 1), s.maxNanos / 1e3));
        }
        return out.toString();
    }
}
