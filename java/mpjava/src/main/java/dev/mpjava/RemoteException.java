package dev.mpjava;

/**
 * The peer answered a call with a Cap'n Proto exception. {@link #reason()} is the
 * peer's text (for a C++ libmultiprocess peer typically {@code std::exception: ...};
 * for an mpjava server {@code <Java exception class>: <message>}), split into
 * {@link #remoteType()} and {@link #remoteMessage()} when it has that form.
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
    /** The peer's text without Cap'n Proto's prefixes. */
    private final String reason;
    /** The reason's leading exception type name, or null. */
    private final String remoteType;

    /**
     * Creates the exception.
     *
     * @param type the Cap'n Proto exception type
     * @param description Cap'n Proto's description; the {@code "remote exception: "} prefixes
     *     Cap'n Proto adds (one per hop the error crossed) are dropped
     */
    public RemoteException(Type type, String description) {
        this(type, stripPrefixes(description), null);
    }

    private RemoteException(Type type, String reason, Void unused) {
        super(type + ": " + reason);
        this.type = type;
        this.reason = reason;
        this.remoteType = typeOf(reason);
    }

    private static String stripPrefixes(String description) {
        String text = description;
        while (text.startsWith(REMOTE_PREFIX)) text = text.substring(REMOTE_PREFIX.length());
        return text;
    }

    /** "pkg.SomeException: text" or "std::runtime_error: text" → the type; anything else → null. */
    private static String typeOf(String reason) {
        int colon = reason.indexOf(": ");
        if (colon <= 0) return null;
        String head = reason.substring(0, colon);
        return head.matches("[A-Za-z_$][\\w$.:<>]*") ? head : null;
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
     * The remote reason, without Cap'n Proto's "remote exception: " prefixes.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * The type of the exception the peer raised, when the reason names one
     * ({@code "java.lang.IllegalStateException: ..."}, {@code "std::exception: ..."}).
     *
     * @return the type name, or null when the reason has no such form
     */
    public String remoteType() {
        return remoteType;
    }

    /**
     * The peer's message: the reason without its leading type name, if it has one.
     *
     * @return the message
     */
    public String remoteMessage() {
        return remoteType == null ? reason : reason.substring(remoteType.length() + 2);
    }
}
