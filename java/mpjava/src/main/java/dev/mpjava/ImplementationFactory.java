package dev.mpjava;

/**
 * Makes what one served connection gets: a listener calls it once per accepted connection,
 * so each client can have state of its own (upstream makes a fresh init object per
 * connection the same way).
 *
 * <p>It runs on the event loop thread before the connection's first message is read:
 * keep it quick and never make a blocking call from it. If it throws or returns null, the
 * connection is refused: the reason is logged on {@code dev.mpjava.server} (WARNING), the
 * socket is closed, and the listener goes on accepting; the refused connection takes no
 * slot and produces no {@link ConnectionEvents}.
 *
 * <pre>{@code
 * loop.listen(socket, peer -> Implementation.of(counterType).on("next", new Counter(peer)));
 * }</pre>
 */
@FunctionalInterface
public interface ImplementationFactory {
    /**
     * Makes the implementation that serves one new connection's init capability.
     *
     * @param peer the connection: its id within the listener and the process at its other end
     * @return what that connection is served
     */
    Implementation create(Peer peer);
}
