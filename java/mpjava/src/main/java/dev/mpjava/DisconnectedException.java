package dev.mpjava;

/** The connection is gone: a call was interrupted by, or made after, a disconnect. */
public class DisconnectedException extends RemoteException {
    /**
     * Creates the exception, of type {@link RemoteException.Type#DISCONNECTED}.
     *
     * @param description Cap'n Proto's description of the disconnect
     */
    public DisconnectedException(String description) {
        super(Type.DISCONNECTED, description);
    }
}
