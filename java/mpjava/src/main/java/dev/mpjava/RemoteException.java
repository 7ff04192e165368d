package dev.mpjava;

/**
 * The peer answered a call with a Cap'n Proto exception. {@link #reason()} is the
 * peer's text (for a C++ libmultiprocess peer typically {@code std::exception: ...};
 * for an mpjava server {@code <Java exception class>: <message>}).
 */
public class RemoteException extends IpcException {
    /** Cap'n Proto exception types. */
    public enum Type { FAILED, OVERLOADED, DISCONNECTED, UNIMPLEMENTED }

    private static final String REMOTE_PREFIX = "remote exception: ";
    private final Type type;
    private final String reason;

    public RemoteException(Type type, String description) {
        super(type + ": " + description);
        this.type = type;
        this.reason = description.startsWith(REMOTE_PREFIX) ? description.substring(REMOTE_PREFIX.length()) : description;
    }

    public Type type() {
        return type;
    }

    /** The remote reason, without Cap'n Proto's "remote exception: " prefix. */
    public String reason() {
        return reason;
    }
}
