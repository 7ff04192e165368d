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
