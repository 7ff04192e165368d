package dev.mpjava;

/** The event loop or client used was closed. */
public class ClosedException extends IpcException {
    /**
     * Creates the exception.
     *
     * @param message what was closed
     */
    public ClosedException(String message) {
        super(message);
    }
}
