package dev.mpjava;

/** The connection is gone: a call was interrupted by, or made after, a disconnect. */
public class DisconnectedException extends RemoteException {
    public DisconnectedException(String description) {
        super(Type.DISCONNECTED, description);
    }
}
