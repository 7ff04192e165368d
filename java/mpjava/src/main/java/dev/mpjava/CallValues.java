package dev.mpjava;

import java.util.ArrayList;
import java.util.List;

/**
 * The capabilities in one call's values. Exports: each Implementation encoded into the
 * params (or a handler's results) gets a dispatcher token owned by this call; native
 * code claims it when it really exports it, and {@link #releaseUnclaimed()} drops the
 * rest once the call is over, so a refused call leaves no registration behind.
 * Received: capabilities decoded from the results belong to the connection the call
 * went over (or, for a served call's params, to the loop).
 */
final class CallValues {
    private final EventLoop loop;
    private final Client.Core connection;
    private final List<Implementation.Export> exports = new ArrayList<>();  // guarded by this

    CallValues(EventLoop loop, Client.Core connection) {
        this.loop = loop;
        this.connection = connection;
    }

    EventLoop loop() {
        return loop;
    }

    /** The connection received capabilities belong to, or null for the loop. */
    Client.Core connection() {
        return connection;
    }

    /** Registers a new export of {@code implementation} for this call; returns its token. */
    long export(Implementation implementation) {
        Implementation.Export export = implementation.newExport(loop);
        synchronized (this) {
            exports.add(export);
        }
        return export.token();
    }

    /** Drops the tokens native code never took. */
    void releaseUnclaimed() {
        List<Implementation.Export> made;
        synchronized (this) {
            made = new ArrayList<>(exports);
            exports.clear();
        }
        for (Implementation.Export export : made) export.releaseIfUnclaimed();
    }
}
