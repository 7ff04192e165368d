package dev.mpjava;

/** Connection events of a {@link Listener}, called on its event loop thread. */
public interface ConnectionListener {
    /** A connection was accepted; {@code active} counts it. */
    default void connected(long connectionId, int active) {}

    /** A connection ended; {@code active} no longer counts it. */
    default void disconnected(long connectionId, int active) {}
}
