package dev.mpjava;

/**
 * The peer does not serve the interface a client was connected as: it answered the
 * libmultiprocess handshake ({@code construct}) with "Requested interface not implemented".
 * Thrown by {@code EventLoop.connect} for init interfaces that declare {@code construct}
 * (every libmultiprocess init interface); the connection is closed. Interfaces without it
 * are not probed: their first call fails with {@link RemoteException} of type
 * UNIMPLEMENTED instead.
 */
public class InterfaceMismatchException extends IpcException {
    private final String expected;
    private final String peerInterface;

    /**
     * Creates the exception.
     *
     * @param expected the interface asked for
     * @param peerInterface the interface the peer named, or null if it named none
     * @param reason the peer's answer
     */
    public InterfaceMismatchException(String expected, String peerInterface, String reason) {
        super("the peer does not serve " + expected + (peerInterface == null ? "" : " but " + peerInterface)
                + " (it answered construct: " + reason + ")");
        this.expected = expected;
        this.peerInterface = peerInterface;
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
