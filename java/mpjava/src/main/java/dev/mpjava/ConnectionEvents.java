package dev.mpjava;

/** What a {@link Listener} reports of its connections, on its event loop thread ({@link Listener#watchConnections}). */
public interface ConnectionEvents {
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
