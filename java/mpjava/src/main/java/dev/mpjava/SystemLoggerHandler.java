package dev.mpjava;

/**
 * The default {@link LogHandler}: each native line goes to the {@link System.Logger} of its
 * component, named after the source of upstream's texts:
 * {@code dev.mpjava.server} ("IPC server …"), {@code dev.mpjava.client} ("IPC client …"),
 * {@code dev.mpjava.loop} ("EventLoop …") and {@code dev.mpjava.protocol} (everything else).
 * The native thread's name is added only when the line is logged on another thread (it
 * usually is not: the handler runs on the native thread itself, which the logging
 * framework already names). A named class, so a record's source is this class, not a lambda.
 */
final class SystemLoggerHandler implements LogHandler {
    static final String SERVER = "dev.mpjava.server";
    static final String CLIENT = "dev.mpjava.client";
    static final String LOOP = "dev.mpjava.loop";
    static final String PROTOCOL = "dev.mpjava.protocol";

    private final System.Logger server = System.getLogger(SERVER);
    private final System.Logger client = System.getLogger(CLIENT);
    private final System.Logger loop = System.getLogger(LOOP);
    private final System.Logger protocol = System.getLogger(PROTOCOL);

    @Override
    public void log(LogLevel level, String thread, String message) {
        log(level, thread, message, null);
    }

    /** As the three-argument form, with {@code thrown} (may be null) given to the logger. */
    @Override
    public void log(LogLevel level, String thread, String message, Throwable thrown) {
        System.Logger logger = loggerFor(message);
        System.Logger.Level target = level.toSystemLevel();
        if (!logger.isLoggable(target)) return;
        logger.log(target, thread.equals(Thread.currentThread().getName()) ? message : "[" + thread + "] " + message, thrown);
    }

    private System.Logger loggerFor(String message) {
        if (message.startsWith("IPC server")) return server;
        if (message.startsWith("IPC client")) return client;
        if (message.startsWith("EventLoop")) return loop;
        return protocol;
    }

    /** The lowest level any component logger passes on now: what native code need not filter out. */
    LogLevel lowestEnabledLevel() {
        for (LogLevel level : LogLevel.values()) {
            System.Logger.Level target = level.toSystemLevel();
            if (server.isLoggable(target) || client.isLoggable(target) || loop.isLoggable(target)
                    || protocol.isLoggable(target)) {
                return level;
            }
        }
        return LogLevel.values()[LogLevel.values().length - 1];
    }
}
