package dev.mpjava;

/**
 * One call as an interceptor sees it.
 *
 * @param interfaceName the interface's name in its schema, e.g. {@code CalcInit}
 * @param method the method's name
 * @param peer the process at the other end, when known (a server's calls); else null
 *     (for a capability served over a connection this process made, the connection id is 0
 *     and the credentials are -1, as in {@link CallContext#peer()})
 * @param paramBytes the size of the encoded params
 * @param startNanos {@link System#nanoTime()} when the call started
 */
public record CallInfo(String interfaceName, String method, Peer peer, int paramBytes, long startNanos) {}
