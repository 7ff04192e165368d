package dev.mpjava;

/** Base of mpjava's exceptions: a socket, connection or event loop problem. */
public class IpcException extends RuntimeException {
    /**
     * Creates the exception.
     *
     * @param message what failed
     */
    public IpcException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed
     * @param cause the underlying exception
     */
    public IpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
