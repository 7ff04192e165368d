package dev.mpjava;

import java.util.Objects;

/** Log settings of an event loop: handler, minimum level (filtered natively), message length cap. */
public final class LogOptions {
    private final LogHandler handler;
    private final LogLevel minLevel;  // null: follow the handler (see minLevel())
    private final int maxChars;

    private LogOptions(LogHandler handler, LogLevel minLevel, int maxChars) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.minLevel = minLevel;
        if (maxChars < 0) throw new IllegalArgumentException("maxChars must be >= 0 (0 = no limit)");
        this.maxChars = maxChars;
    }

    /**
     * {@link LogHandler#systemLogger()}, messages cut at 200 characters (upstream's default),
     * and the minimum level {@link #minLevel()} describes.
     *
     * @return the default options
     */
    public static LogOptions defaults() {
        return new LogOptions(new SystemLoggerHandler(), null, 200);
    }

    /**
     * A copy that sends messages to {@code handler} instead.
     *
     * @param handler the handler
     * @return the new options
     */
    public LogOptions handler(LogHandler handler) {
        return new LogOptions(handler, minLevel, maxChars);
    }

    /**
     * A copy with another minimum level; lower messages are dropped in native code.
     *
     * @param minLevel the lowest level passed on
     * @return the new options
     */
    public LogOptions minLevel(LogLevel minLevel) {
        return new LogOptions(handler, Objects.requireNonNull(minLevel, "minLevel"), maxChars);
    }

    /**
     * A copy with another cap on the length of a message; it also bounds the TRACE lines
     * that show a call's params and results, which can be as long as the values.
     *
     * @param maxChars the cap, 0 for no limit
     * @return the new options
     */
    public LogOptions maxChars(int maxChars) {
        return new LogOptions(handler, minLevel, maxChars);
    }

    /**
     * Where messages go.
     *
     * @return the handler
     */
    public LogHandler handler() {
        return handler;
    }

    /**
     * The lowest level passed on: the one set with {@link #minLevel(LogLevel)}; if none, for
     * {@link LogHandler#systemLogger()} the lowest level its loggers pass on when asked
     * (an event loop asks as it starts: enabling TRACE in the logging configuration is
     * enough), and INFO for any other handler.
     *
     * @return the level
     */
    public LogLevel minLevel() {
        if (minLevel != null) return minLevel;
        return handler instanceof SystemLoggerHandler system ? system.lowestEnabledLevel() : LogLevel.INFO;
    }

    /**
     * The cap on the length of a message.
     *
     * @return the cap, 0 for no limit
     */
    public int maxChars() {
        return maxChars;
    }
}
