package dev.mpjava;

import java.util.Objects;

/** Log settings of an event loop: handler, minimum level (filtered natively), message length cap. */
public final class LogOptions {
    private final LogHandler handler;
    private final LogLevel minLevel;
    private final int maxChars;

    private LogOptions(LogHandler handler, LogLevel minLevel, int maxChars) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.minLevel = Objects.requireNonNull(minLevel, "minLevel");
        if (maxChars < 0) throw new IllegalArgumentException("maxChars must be >= 0 (0 = no limit)");
        this.maxChars = maxChars;
    }

    /** System.Logger, level INFO, 200 characters: upstream's defaults. */
    public static LogOptions defaults() {
        return new LogOptions(LogHandler.systemLogger(), LogLevel.INFO, 200);
    }

    public LogOptions handler(LogHandler handler) {
        return new LogOptions(handler, minLevel, maxChars);
    }

    public LogOptions minLevel(LogLevel minLevel) {
        return new LogOptions(handler, minLevel, maxChars);
    }

    public LogOptions maxChars(int maxChars) {
        return new LogOptions(handler, minLevel, maxChars);
    }

    public LogHandler handler() {
        return handler;
    }

    public LogLevel minLevel() {
        return minLevel;
    }

    public int maxChars() {
        return maxChars;
    }
}
