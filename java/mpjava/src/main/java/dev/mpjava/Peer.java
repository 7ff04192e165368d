package dev.mpjava;

/**
 * The process at the other end of a served connection, as the kernel recorded it when it
 * connected ({@code SO_PEERCRED}). The ids are -1 when the connection is not a Unix socket.
 *
 * @param connectionId the connection's id, unique within its listener
 * @param pid the peer's process id
 * @param uid the peer's user id
 * @param gid the peer's group id
 */
public record Peer(long connectionId, int pid, int uid, int gid) {}
