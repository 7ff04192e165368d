package dev.mpjava;

/**
 * What a {@link Listener} reports of its connections, on its event loop thread ({@link Listener#watchConnections}).
 * Peers refused by {@link ListenOptions#withAllowedUids} / {@link ListenOptions#withAllowedGids} are never reported.
 */
public interface ConnectionEvents {
    /**
     * A connection was accepted.
     *
     * @param peer the connection's id (unique within the listener) and the peer's pid, uid and gid
     * @param active the number of connections now served, this one included
     */
    default void connected(Peer peer, int active) {}

    /**
     * A connection ended.
     *
     * @param peer the peer it was accepted with
     * @param active the number of connections still served, this one no longer included
     */
    default void disconnected(Peer peer, int active) {}
}
