package dev.mpjava;

import dev.mpjava.internal.Dispatcher;
import dev.mpjava.internal.NativeApi;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of what mpjava holds right now, for leak checks and monitoring: live
 * native objects by kind (loops, connections, listeners, capability servers, worker
 * threads, schema sets), open handles by kind (the ids Java holds: loops, schemas,
 * interfaces, listeners, clients, results) and dispatcher registrations (the Java
 * targets native code can call). Every count returns to its earlier value once what
 * was made in between is closed.
 */
public final class NativeStats {
    private final Map<String, Long> counts;
    private final int registrations;

    private NativeStats(Map<String, Long> counts, int registrations) {
        this.counts = Collections.unmodifiableMap(counts);
        this.registrations = registrations;
    }

    /**
     * Reads the counts now.
     *
     * @return the counts at this moment
     */
    public static NativeStats snapshot() {
        Dispatcher.ensureInstalled();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line : NativeApi.native_stats().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) counts.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
        }
        return new NativeStats(counts, Dispatcher.registrations());
    }

    /**
     * Every native count by name, e.g. {@code connections}, {@code workerThreads}, {@code handles.client}.
     *
     * @return an unmodifiable map, in native order
     */
    public Map<String, Long> counts() {
        return counts;
    }

    /**
     * One count by name.
     *
     * @param name the count's name, as in {@link #counts()}
     * @return the count, 0 if there is no such count
     */
    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    /**
     * Event loops started and not yet freed.
     *
     * @return the {@code loops} count
     */
    public long liveLoops() {
        return count("loops");
    }

    /**
     * Open connections, served and connected.
     *
     * @return the {@code connections} count
     */
    public long liveConnections() {
        return count("connections");
    }

    /**
     * Worker threads started for peers (makeThread, makePool, callbacks) and not yet exited.
     *
     * @return the {@code workerThreads} count
     */
    public long workerThreads() {
        return count("workerThreads");
    }

    /**
     * Java targets registered for upcalls (handlers, exports, pending async calls, event sinks).
     *
     * @return their number
     */
    public int dispatcherRegistrations() {
        return registrations;
    }

    @Override
    public String toString() {
        return "NativeStats" + counts + ", dispatcherRegistrations=" + registrations;
    }
}
