package dev.mpjava;

/**
 * Implements one method of a Java server. Runs on the event loop thread of the
 * listener. An exception fails the call: the caller gets FAILED with reason
 * {@code <exception class>: <message>}, and the server keeps serving.
 */
@FunctionalInterface
public interface MethodHandler {
    /**
     * Handles one call.
     *
     * @param params the call's parameters
     * @param results where to set the result fields; fields left unset keep their defaults
     * @throws Exception to fail the call
     */
    void handle(StructValue params, StructBuilder results) throws Exception;
}
