package dev.mpjava.internal;

import dev.mpjava.Peer;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;

/**
 * The single entry point for every native-to-Java call. Native code never holds a Java
 * reference: it holds {@code long} tokens that this class maps to targets, and the
 * four upcall objects live in static final fields, so nothing native code can call is
 * ever left to the garbage collector. No exception escapes into native code: each
 * upcall catches everything and reports it.
 */
public final class Dispatcher {
    /** Receives native log messages for one event loop. */
    public interface LogSink {
        void log(int level, String thread, String message);
    }

    /** Handles calls on a Java-implemented server: params and results are value trees. */
    public interface CallTarget {
        /**
         * Answers through {@code reply}: before returning, or, if the reply is deferrable,
         * later from any thread. A throw before answering fails the call.
         */
        void call(int method, byte[] params, Reply reply) throws Exception;
    }

    /**
     * One call's answer: the first of {@link #ok} and {@link #fail} counts. An answer that
     * comes after the call ended (the peer cancelled or left, the loop closed) is dropped.
     */
    public static final class Reply {
        private final long handle;
        private final Peer peer;
        private final boolean deferrable;
        private final AtomicBoolean answered = new AtomicBoolean();
        private volatile boolean cancelled;
        private Thread runner;  // the thread running the handler; guarded by this

        Reply(long handle, Peer peer, boolean deferrable) {
            this.handle = handle;
            this.peer = peer;
            this.deferrable = deferrable;
        }

        /** The calling connection's peer. */
        public Peer peer() {
            return peer;
        }

        /** Whether the answer may come after the upcall returned (the call runs on the loop thread). */
        public boolean deferrable() {
            return deferrable;
        }

        /** Whether the call ended (its caller cancelled it or left) before it was answered. */
        public boolean cancelled() {
            return cancelled;
        }

        /** The calling thread runs the handler now: a cancel interrupts it. */
        public synchronized void enter() {
            runner = Thread.currentThread();
            if (cancelled) runner.interrupt();
        }

        /** The handler returned: no interrupt reaches this thread for this call any more. */
        public synchronized void exit() {
            runner = null;
            if (cancelled) Thread.interrupted();  // a pooled thread carries no stale interrupt on
        }

        private synchronized void cancel() {
            cancelled = true;
            if (runner != null) runner.interrupt();
        }

        public void ok(byte[] results) {
            if (!answered.compareAndSet(false, true)) return;
            RUNNING.remove(handle);
            try {
                NativeApi.reply_ok(handle, results, results.length);
            } catch (RuntimeException e) {
                lateAnswer(e);
            }
        }

        public void fail(String message) {
            if (!answered.compareAndSet(false, true)) return;
            RUNNING.remove(handle);
            try {
                NativeApi.reply_fail(handle, message);
            } catch (RuntimeException e) {
                lateAnswer(e);
            }
        }

        public void fail(Throwable t) {
            fail(describe(t));
        }

        private static void lateAnswer(RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith(CLOSED_PREFIX)) {
                LOGGER.log(Level.DEBUG, "mpjava call ended before its handler answered; answer dropped");
            } else {
                LOGGER.log(Level.WARNING, "mpjava cannot deliver a call's answer", e);
            }
        }
    }

    /** Receives connection, disconnection and call-completion events. */
    public interface EventTarget {
        void onEvent(int event, long a, long b);
    }

    private static final System.Logger LOGGER = System.getLogger("dev.mpjava.loop");
    private static final ConcurrentHashMap<Long, Object> TARGETS = new ConcurrentHashMap<>();
    /** Calls whose handler has not answered yet, by reply handle: where a cancel goes. */
    private static final ConcurrentHashMap<Long, Reply> RUNNING = new ConcurrentHashMap<>();
    private static final int CALL_CANCELLED = NativeApi.EVENT_CALL_CANCELLED();
    private static final AtomicLong NEXT_TOKEN = new AtomicLong(1);
    private static final AtomicInteger SINK_FAILURES = new AtomicInteger();
    private static final int MAX_REPORTED_SINK_FAILURES = 10;
    private static final int DEFERRABLE = NativeApi.CALL_DEFERRABLE();
    private static final String CLOSED_PREFIX = NativeApi.closed_handle_prefix();

    // Strongly held for the life of the JVM: native code keeps raw pointers to these.
    private static final NativeApi.LogUpcall LOG_UPCALL = new NativeApi.LogUpcall();
    private static final NativeApi.CallUpcall CALL_UPCALL = new NativeApi.CallUpcall();
    private static final NativeApi.EventUpcall EVENT_UPCALL = new NativeApi.EventUpcall();
    private static final NativeApi.ThreadUpcall THREAD_UPCALL = new NativeApi.ThreadUpcall();

    static {
        NativeApi.install_upcalls(LOG_UPCALL, CALL_UPCALL, EVENT_UPCALL, THREAD_UPCALL);
    }

    private Dispatcher() {}

    /** Loads the native library and installs the upcalls; idempotent. */
    public static void ensureInstalled() {
        // Class initialisation does the work.
    }

    public static long register(Object target) {
        long token = NEXT_TOKEN.getAndIncrement();
        TARGETS.put(token, target);
        return token;
    }

    /** Removes a registration; returns its target, or null if it was already gone. */
    public static Object unregister(long token) {
        return TARGETS.remove(token);
    }

    /** Number of live registrations, for leak checks in tests. */
    public static int registrations() {
        return TARGETS.size();
    }

    static void onLog(long token, int level, BytePointer thread, BytePointer message) {
        try {
            String threadName = nameForeignThread(thread);
            Object sink = TARGETS.get(token);
            if (sink instanceof LogSink) {
                ((LogSink) sink).log(level, threadName, message.getString(StandardCharsets.UTF_8));
            }
        } catch (Throwable t) {
            // A failing log handler must neither crash nor wedge the loop: report a few, drop the rest.
            if (SINK_FAILURES.incrementAndGet() <= MAX_REPORTED_SINK_FAILURES) {
                LOGGER.log(Level.WARNING, "mpjava log handler threw; message dropped", t);
            }
        }
    }

    static void onCall(long handler, int method, BytePointer params, long size, long reply, long connection, int pid,
            int uid, int gid, int flags) {
        Reply answer = new Reply(reply, new Peer(connection, pid, uid, gid), (flags & DEFERRABLE) != 0);
        RUNNING.put(reply, answer);
        // A Context call runs on its worker while the loop may already deliver its cancel:
        // one that came before this registration is read here instead.
        if (!answer.deferrable && NativeApi.reply_cancelled(reply)) answer.cancel();
        try {
            Object target = TARGETS.get(handler);
            if (!(target instanceof CallTarget)) {
                answer.fail("no Java implementation registered for this server");
                return;
            }
            byte[] in = new byte[(int) size];
            params.capacity(size).position(0).get(in);
            ((CallTarget) target).call(method, in, answer);
        } catch (Throwable t) {
            // Nothing escapes into native code; a failed answer is dropped by Reply itself.
            answer.fail(t);
        }
    }

    static void onEvent(long token, int event, long a, long b) {
        try {
            if (token == 0 && event == CALL_CANCELLED) {
                Reply cancelled = RUNNING.remove(a);
                if (cancelled != null) cancelled.cancel();
                return;
            }
            Object target = TARGETS.get(token);
            if (target instanceof EventTarget) {
                ((EventTarget) target).onEvent(event, a, b);
            }
        } catch (Throwable t) {
            LOGGER.log(Level.WARNING, "mpjava event listener threw", t);
        }
    }

    static void onThreadStart(BytePointer name) {
        try {
            Thread.currentThread().setName(name.getString(StandardCharsets.UTF_8));
        } catch (Throwable t) {
            LOGGER.log(Level.WARNING, "cannot name native thread", t);
        }
    }

    /** "ClassName: message", the text a remote caller sees for a Java exception. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getName() + (message == null ? "" : ": " + message);
    }

    // JavaCPP attaches foreign native threads as "JavaCPP Thread ID n"; give them the
    // native thread's own name once, on their first upcall.
    private static String nameForeignThread(BytePointer nativeName) {
        Thread current = Thread.currentThread();
        String name = current.getName();
        if (name.startsWith("JavaCPP Thread")) {
            name = "mpjava-native-" + nativeName.getString(StandardCharsets.UTF_8);
            current.setName(name);
        }
        return name;
    }
}
