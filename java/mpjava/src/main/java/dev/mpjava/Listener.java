package dev.mpjava;

import dev.mpjava.internal.NativeApi;
import java.time.Duration;
import java.util.List;

/**
 * Serves every connection accepted from a listening socket (or one connected socket, for
 * {@link EventLoop#serve}) a fresh init capability, implemented by what the listener's
 * {@link ImplementationFactory} made for that connection (or one shared {@link Implementation}). {@link #close()} stops accepting and closes the listening
 * socket; connections already served keep working until they end or the loop closes.
 * After close (or its loop's close) every method but {@link #isClosed()} and
 * {@link #close()} throws {@link ClosedException}.
 */
public final class Listener implements AutoCloseable {
    private final EventLoop loop;
    private final NativeHandle handle;
    private final List<ConnectionEvents> connectionEvents;
    private final Object idle = new Object();
    private final EventLoop.Owned owned;

    Listener(EventLoop loop, String what, long id, List<ConnectionEvents> connectionEvents) {
        this.loop = loop;
        this.handle = new NativeHandle("listener on " + what, id, NativeApi::server_free);
        this.connectionEvents = connectionEvents;
        this.owned = why -> {
            handle.drop(why);
            disconnected();  // wakes awaitNoConnections, which then reports the close
        };
        loop.adopt(owned);
    }

    /**
     * Connections being served now.
     *
     * @return their number
     */
    public int activeConnections() {
        try {
            return (int) NativeApi.server_active(handle.get());
        } catch (RuntimeException e) {
            throw handle.translate(e);
        }
    }

    /**
     * Watches this listener's connections: {@code events} is called on the loop thread as
     * connections are accepted and end.
     *
     * @param events what to call
     * @return this listener
     */
    public Listener watchConnections(ConnectionEvents events) {
        handle.get();
        connectionEvents.add(events);
        return this;
    }

    /**
     * True once this listener or its loop was closed.
     *
     * @return whether it is closed
     */
    public boolean isClosed() {
        return !handle.isOpen();
    }

    /**
     * Blocks until no connection is served (e.g. a spawned child serving its parent
     * until the parent goes away). Returns false on timeout.
     *
     * @param timeout how long to wait at most
     * @return true when no connection is left, false on timeout
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public boolean awaitNoConnections(Duration timeout) throws InterruptedException {
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
        long id = handle.rawId();
        if (!handle.beginClose("closed")) return;
        loop.disown(owned);
        try {
            NativeApi.server_stop_accepting(id);
        } catch (RuntimeException e) {
            if (!NativeHandle.isClosedHandleError(e)) throw e;  // its loop closed meanwhile
        } finally {
            handle.release("closed");
            disconnected();
        }
    }
}
