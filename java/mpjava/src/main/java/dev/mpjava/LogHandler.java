package dev.mpjava;

/**
 * Receives native log messages that passed the loop's level filter, on the native
 * thread that produced them (the loop thread, or any other native thread). Must be
 * thread safe and quick; an exception it throws is reported and otherwise ignored.
 */
@FunctionalInterface
public interface LogHandler {
    /**
     * Receives one message.
     *
     * @param level its level
     * @param thread the name of the native thread that logged it
     * @param message the text
     */
    void log(LogLevel level, String thread, String message);

    /**
     * Receives one message that comes with an exception: a Java handler's failure, logged
     * by mpjava on the thread that ran it. The default appends the exception's stack
     * trace to the message and passes it to {@link #log(LogLevel, String, String)};
     * {@link #systemLogger()} hands the exception to the logging system instead.
     *
     * @param level its level
     * @param thread the name of the thread that logged it
     * @param message the text
     * @param thrown the exception
     */
    default void log(LogLevel level, String thread, String message, Throwable thrown) {
        java.io.StringWriter trace = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(trace));
        log(level, thread, message + System.lineSeparator() + trace);
    }

    /**
     * The default: forwards each line to the {@link System.Logger} of its component,
     * {@code dev.mpjava.server}, {@code .client}, {@code .loop} or {@code .protocol}, at the
     * matching level. With it, {@link LogOptions#defaults()} filters natively at the lowest
     * level those loggers pass on when the loop starts: enabling TRACE in the logging
     * configuration is enough to get trace lines.
     *
     * @return the handler
     */
    static LogHandler systemLogger() {
        return new SystemLoggerHandler();
    }
}
