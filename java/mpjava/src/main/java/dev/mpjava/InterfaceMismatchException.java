package dev.mpjava;

/**
 * The peer does not serve the interface a client was connected as: it answered with Cap'n
 * Proto's "Requested interface not implemented", which names the interface it serves.
 * Calls to such a peer fail with it; with {@link ConnectOptions#withInterfaceCheck()},
 * {@code EventLoop.connect} already does (for init interfaces that declare
 * {@code construct}, as every libmultiprocess one does), and closes the connection.
 * Its {@link #type()} is UNIMPLEMENTED, as the peer's answer.
 */
public class InterfaceMismatchException extends RemoteException {
    /** The interface the client asked for. */
    private final String expected;
    /** The interface the peer named, or null. */
    private final String peerInterface;

    /**
     * Creates the exception.
     *
     * @param expected the interface asked for
     * @param peerInterface the interface the peer named, or null if it named none
     * @param description the peer's answer
     */
    public InterfaceMismatchException(String expected, String peerInterface, String description) {
        super(Type.UNIMPLEMENTED, description);
        this.expected = expected;
        this.peerInterface = peerInterface;
    }

    /**
     * Names both interfaces, then the peer's answer.
     *
     * @return the message
     */
    @Override
    public String getMessage() {
        return "the peer does not serve " + expected + (peerInterface == null ? "" : " but " + peerInterface)
                + " (it answered: " + reason() + ")";
    }

    /**
     * The interface the client asked for.
     *
     * @return its name
     */
    public String expected() {
        return expected;
    }

    /**
     * The interface the peer serves, as its answer names it (Cap'n Proto's display name
     * without the file, e.g. {@code CalcInit}); mpjava and upstream servers both name it.
     *
     * @return the name, or null if the answer named none
     */
    public String peerInterface() {
        return peerInterface;
    }
}
