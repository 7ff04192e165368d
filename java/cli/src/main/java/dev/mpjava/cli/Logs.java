package dev.mpjava.cli;

import dev.mpjava.LogLevel;
import dev.mpjava.LogOptions;
import java.io.PrintWriter;

/**
 * The CLI's native logging: warnings and errors only (a connect or a call must not print
 * INFO lines such as "IPC client: ..."), everything with -v; all of it to stderr, so
 * stdout holds only the results.
 */
final class Logs {
    private Logs() {}

    static LogOptions options(PrintWriter err, boolean verbose) {
        return LogOptions.defaults()
                .minLevel(verbose ? LogLevel.TRACE : LogLevel.WARNING)
                .maxChars(verbose ? 2000 : 200)
                .handler((level, thread, message) -> {
                    // Called on native threads: one println per line, flushed, keeps lines whole.
                    synchronized (err) {
                        err.println("[" + level + " " + thread + "] " + message);
                        err.flush();
                    }
                });
    }
}
