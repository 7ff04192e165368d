package dev.mpjava;

/** Base of mpjava's exceptions: a socket, connection or event loop problem. */
public class IpcException extends RuntimeException {
    public IpcException(String message) {
        super(message);
    }

    public IpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
