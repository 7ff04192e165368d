package dev.mpjava;

/** Native log levels, in the order of libmultiprocess's {@code mp::Log} (ordinal = native value). */
public enum LogLevel {
    /** Detailed tracing (System.Logger TRACE). */
    TRACE,
    /** Debugging detail (DEBUG). */
    DEBUG,
    /** Normal events such as connections (INFO). */
    INFO,
    /** Something unexpected that was handled (WARNING). */
    WARNING,
    /** An error (ERROR). */
    ERROR,
    /** An error that libmultiprocess raises as an exception (ERROR). */
    RAISE;

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
