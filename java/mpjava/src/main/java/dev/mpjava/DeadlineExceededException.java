package dev.mpjava;

/**
 * A call did not end within its timeout. The request was cancelled on the wire (the peer
 * may stop working on it) and a late answer is discarded; the client stays usable.
 */
public class DeadlineExceededException extends IpcException {
    /**
     * Creates the exception.
     *
     * @param message which call and which deadline
     */
    public DeadlineExceededException(String message) {
        super(message);
    }
}
