package dev.mpjava;

import dev.mpjava.internal.NativeApi;
import java.util.List;

/**
 * Serves an {@link Implementation} on every connection accepted from a listening socket
 * (or on one connected socket, for {@link EventLoop#serve}). Each connection gets a
 * fresh init capability. {@link #close()} stops accepting and closes the listening
 * socket; connections already served keep working until they end or the loop closes.
 */
public final class Listener implements AutoCloseable {
    private final long handle;
    private final List<ConnectionListener> connectionListeners;
    private volatile boolean closed;
    private final Object idle = new Object();

    Listener(long handle, List<ConnectionListener> connectionListeners) {
        this.handle = handle;
        this.connectionListeners = connectionListeners;
    }

    /** Connections being served now. */
    public int activeConnections() {
        return (int) NativeApi.server_active(handle);
    }

    /** Adds a listener for connect/disconnect events (called on the loop thread). */
    public Listener addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(listener);
        return this;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Blocks until no connection is served (e.g. a spawned child serving its parent
     * until the parent goes away). Returns false on timeout.
     */
    public boolean awaitNoConnections(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (activeConnections() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Called by the loop on every disconnect. */
    void disconnected() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        NativeApi.server_stop_accepting(handle);
    }

    /** Called by the loop after it stopped: releases the native handle. */
    void free() {
        NativeApi.server_free(handle);
    }
}
