package dev.mpjava;

/**
 * Implements one method of a Java server. A method with a {@code Proxy.Context} runs on
 * the worker thread its caller names; one without runs on the event loop thread, one
 * call at a time, unless a handler executor is set ({@link ListenOptions#withHandlerExecutor},
 * {@link ListenOptions#withHandlerThreads}, {@link Implementation#handlersOn}). The caller
 * is {@link CallContext#current()}. An exception fails the call: the caller gets FAILED
 * with reason {@code <exception class>: <message>}, and the server keeps serving.
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
