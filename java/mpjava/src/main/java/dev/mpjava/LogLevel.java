package dev.mpjava;

/** Native log levels, in the order of libmultiprocess's {@code mp::Log} (ordinal = native value). */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARNING, ERROR, RAISE;

    static LogLevel of(int nativeLevel) {
        LogLevel[] all = values();
        return nativeLevel >= 0 && nativeLevel < all.length ? all[nativeLevel] : ERROR;
    }

    System.Logger.Level toSystemLevel() {
        switch (this) {
            case TRACE: return System.Logger.Level.TRACE;
            case DEBUG: return System.Logger.Level.DEBUG;
            case INFO: return System.Logger.Level.INFO;
            case WARNING: return System.Logger.Level.WARNING;
            default: return System.Logger.Level.ERROR;
        }
    }
}
