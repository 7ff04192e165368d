package dev.mpjava;

/**
 * A blocking call gave up because its thread was interrupted. The request was cancelled on
 * the wire and a late answer is discarded; the thread's interrupt flag stays set.
 */
public class CancelledException extends IpcException {
    /**
     * Creates the exception.
     *
     * @param message which call and why
     */
    public CancelledException(String message) {
        super(message);
    }
}
