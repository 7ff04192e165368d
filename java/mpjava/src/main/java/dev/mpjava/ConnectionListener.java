package dev.mpjava;

/** Connection events of a {@link Listener}, called on its event loop thread. */
public interface ConnectionListener {
    /**
     * A connection was accepted.
     *
     * @param connectionId the connection's id, unique within the listener
     * @param active the number of connections now served, this one included
     */
    default void connected(long connectionId, int active) {}

    /**
     * A connection ended.
     *
     * @param connectionId the id it was accepted with
     * @param active the number of connections still served, this one no longer included
     */
    default void disconnected(long connectionId, int active) {}
}
