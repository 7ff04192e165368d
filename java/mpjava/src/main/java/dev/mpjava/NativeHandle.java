package dev.mpjava;

import dev.mpjava.internal.NativeApi;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * The lifecycle of one native handle, shared by every public handle class: open →
 * closing → closed, the handle zeroed when it is released. Native handles are ids into
 * a table, never addresses, so a stale id used by a racing thread fails natively with
 * a "closed handle" error (mapped to {@link ClosedException}) instead of touching freed
 * memory; this class turns the common case into a {@link ClosedException} before any
 * native code runs, naming what is closed and why.
 *
 * <p>Contract: {@link #get()} never returns a released handle's id to a caller that
 * checked after the release; {@link #release(String)} runs the native release exactly
 * once, whichever of close, the owner's close or the {@link Cleaner} comes first. No
 * lock is held while native code runs, so close from any thread (a handler, a callback
 * nested in a call on the same handle) never waits for a call in flight.
 */
final class NativeHandle {
    static final Cleaner CLEANER = Cleaner.create();
    private static final String CLOSED_PREFIX = NativeApi.closed_handle_prefix();

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    private final String what;
    private final LongConsumer free;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private volatile long id;
    private volatile String reason = "closed";

    /** {@code what} names the handle in messages ("client of CalcInit"); {@code free} releases the id. */
    NativeHandle(String what, long id, LongConsumer free) {
        this.what = what;
        this.id = id;
        this.free = free;
    }

    /** The native id; throws ClosedException once closing has begun. */
    long get() {
        long h = id;
        if (state.get() != OPEN || h == 0) throw closedException();
        return h;
    }

    boolean isOpen() {
        return state.get() == OPEN;
    }

    ClosedException closedException() {
        return new ClosedException(what + " is " + reason);
    }

    /** open → closing, once: true for the caller that moved it, which must then call {@link #release}. */
    boolean beginClose(String why) {
        if (!state.compareAndSet(OPEN, CLOSING)) return false;
        reason = why;
        return true;
    }

    /** Releases the native id (once) and zeroes it; any state → closed. */
    void release(String why) {
        if (state.compareAndSet(OPEN, CLOSING)) reason = why;
        long h;
        synchronized (this) {
            h = id;
            id = 0;
        }
        state.set(CLOSED);
        if (h != 0) free.accept(h);
    }

    /**
     * Closed without a native release: the owner already released the id natively (a
     * closed loop releases every handle it owns).
     */
    void drop(String why) {
        if (state.compareAndSet(OPEN, CLOSING)) reason = why;
        synchronized (this) {
            id = 0;
        }
        state.set(CLOSED);
    }

    /** The id while not yet released (0 after), for the owner's own close sequence. */
    long rawId() {
        return id;
    }

    /** A native "closed handle" error (a race with close) as this handle's ClosedException; others as they are. */
    RuntimeException translate(RuntimeException e) {
        return isClosedHandleError(e) ? closedException() : e;
    }

    /** Whether a native error message reports a closed handle (a race with close). */
    static boolean isClosedHandleError(RuntimeException e) {
        String message = e.getMessage();
        return message != null && message.startsWith(CLOSED_PREFIX);
    }

    @Override
    public String toString() {
        return what + (isOpen() ? "" : " (" + reason + ")");
    }
}
