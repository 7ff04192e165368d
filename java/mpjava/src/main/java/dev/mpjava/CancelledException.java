package dev.mpjava;

/**
 * A blocking call gave up because its thread was interrupted. The request was cancelled on
 * the wire and a late answer is discarded; the thread's interrupt flag stays set. A server's
 * {@link CallInterceptor} sees it as the outcome of a call its caller cancelled.
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
