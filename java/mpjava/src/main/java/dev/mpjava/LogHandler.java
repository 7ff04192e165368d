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
     * The default: forwards to {@link System.Logger} "dev.mpjava" with the thread name.
     *
     * @return a handler that logs {@code [thread] message} at the matching System.Logger level
     */
    static LogHandler systemLogger() {
        System.Logger logger = System.getLogger("dev.mpjava");
        return (level, thread, message) -> {
            System.Logger.Level target = level.toSystemLevel();
            if (logger.isLoggable(target)) logger.log(target, "[" + thread + "] " + message);
        };
    }
}
