package dev.mpjava;

/**
 * The peer answered a call with a Cap'n Proto exception. {@link #reason()} is the
 * peer's text (for a C++ libmultiprocess peer typically {@code std::exception: ...};
 * for an mpjava server {@code <Java exception class>: <message>}).
 */
public class RemoteException extends IpcException {
    /** Cap'n Proto exception types. */
    public enum Type {
        /** The call failed (an exception in the peer's handler, among others). */
        FAILED,
        /** The peer is temporarily out of resources. */
        OVERLOADED,
        /** The connection is gone. */
        DISCONNECTED,
        /** The peer does not implement the method. */
        UNIMPLEMENTED
    }

    private static final String REMOTE_PREFIX = "remote exception: ";
    /** The Cap'n Proto exception type. */
    private final Type type;
    /** The peer's text without Cap'n Proto's prefix. */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param type the Cap'n Proto exception type
     * @param description Cap'n Proto's description; a leading {@code "remote exception: "} is dropped from {@link #reason()}
     */
    public RemoteException(Type type, String description) {
        super(type + ": " + description);
        this.type = type;
        this.reason = description.startsWith(REMOTE_PREFIX) ? description.substring(REMOTE_PREFIX.length()) : description;
    }

    /**
     * The Cap'n Proto exception type.
     *
     * @return the type
     */
    public Type type() {
        return type;
    }

    /**
     * The remote reason, without Cap'n Proto's "remote exception: " prefix.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
