package dev.mpjava;

/** The event loop or client used was closed. */
public class ClosedException extends IpcException {
    public ClosedException(String message) {
        super(message);
    }
}
