package dev.mpjava.internal;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FunctionPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.StdString;

/**
 * JavaCPP binding of the native facade {@code native/include/mpjava/api.h}: plain
 * functions over opaque {@code long} handles. Only {@link Dispatcher} and the public
 * API classes call it. The preloads are Debian's Cap'n Proto libraries in dependency
 * order; the build copies them into the jar next to libmpjava.so.
 */
@Platform(
        include = "mpjava/api.h",
        link = "mpjava",
        preload = {"kj-0.9.2", "kj-async-0.9.2", "capnp-0.9.2", "capnp-rpc-0.9.2", "capnpc-0.9.2"})
@Namespace("mpjava::api")
public final class NativeApi {
    static {
        NativePlatform.check();
        Loader.load();
    }

    private NativeApi() {}

    // ---- upcalls: one instance of each, created and strongly held by Dispatcher for the
    // life of the JVM. Each delegates to Dispatcher, which never lets an exception out.

    /** Native log message that passed the loop's level filter. */
    public static final class LogUpcall extends FunctionPointer {
        static {
            NativePlatform.check();
            Loader.load();
        }

        LogUpcall() {
            allocate();
        }

        private native void allocate();

        public void call(long token, int level, @Cast("const char*") BytePointer thread,
                @Cast("const char*") BytePointer message) {
            Dispatcher.onLog(token, level, thread, message);
        }
    }

    /** A call on a Java-implemented server; must answer with reply_ok or reply_fail (api.h CallUpcall). */
    public static final class CallUpcall extends FunctionPointer {
        static {
            NativePlatform.check();
            Loader.load();
        }

        CallUpcall() {
            allocate();
        }

        private native void allocate();

        public void call(long handler, int method, @Cast("const char*") BytePointer params, long size,
                long reply, long connection, int pid, int uid, int gid, int flags) {
            Dispatcher.onCall(handler, method, params, size, reply, connection, pid, uid, gid, flags);
        }
    }

    /** Connection, disconnection and async call completion events. */
    public static final class EventUpcall extends FunctionPointer {
        static {
            NativePlatform.check();
            Loader.load();
        }

        EventUpcall() {
            allocate();
        }

        private native void allocate();

        public void call(long token, int event, long a, long b) {
            Dispatcher.onEvent(token, event, a, b);
        }
    }

    /** Runs first on every native thread mpjava starts, with its readable name. */
    public static final class ThreadUpcall extends FunctionPointer {
        static {
            NativePlatform.check();
            Loader.load();
        }

        ThreadUpcall() {
            allocate();
        }

        private native void allocate();

        public void call(@Cast("const char*") BytePointer name) {
            Dispatcher.onThreadStart(name);
        }
    }

    public static native void install_upcalls(LogUpcall log, CallUpcall call, EventUpcall event, ThreadUpcall thread);

    /** The prefix of every native error about a closed (released) handle. */
    public static native @StdString String closed_handle_prefix();

    // ---- constants shared with native code (defined once, in api.h) ----
    @MemberGetter public static native int CALL_DEFERRABLE();
    @MemberGetter public static native int EVENT_CONNECTED();
    @MemberGetter public static native int EVENT_DISCONNECTED();
    @MemberGetter public static native int EVENT_PEER_DISCONNECTED();
    @MemberGetter public static native int EVENT_CALL_DONE();
    @MemberGetter public static native int EVENT_CALL_CANCELLED();
    @MemberGetter public static native int EVENT_RELEASED();
    @MemberGetter public static native int EVENT_EXPORTED();
    @MemberGetter public static native int EVENT_CONSTRUCTED();
    @MemberGetter public static native int EVENT_INIT();
    @MemberGetter public static native int DEFAULT_BACKLOG();
    @MemberGetter public static native int STATUS_OK();
    @MemberGetter public static native int STATUS_FAILED();
    @MemberGetter public static native int STATUS_OVERLOADED();
    @MemberGetter public static native int STATUS_DISCONNECTED();
    @MemberGetter public static native int STATUS_UNIMPLEMENTED();
    @MemberGetter public static native int STATUS_INVALID_ARGUMENT();
    @MemberGetter public static native int STATUS_CLOSED();
    @MemberGetter public static native int STATUS_RAISED();
    @MemberGetter public static native int STATUS_CANCELLED();
    @MemberGetter public static native int TAG_VOID();
    @MemberGetter public static native int TAG_BOOL();
    @MemberGetter public static native int TAG_INT();
    @MemberGetter public static native int TAG_UINT();
    @MemberGetter public static native int TAG_FLOAT();
    @MemberGetter public static native int TAG_TEXT();
    @MemberGetter public static native int TAG_DATA();
    @MemberGetter public static native int TAG_LIST();
    @MemberGetter public static native int TAG_STRUCT();
    @MemberGetter public static native int TAG_ENUM();
    @MemberGetter public static native int TAG_NULL();
    @MemberGetter public static native int TAG_CAP();
    @MemberGetter public static native int CAP_HELD();
    @MemberGetter public static native int CAP_EXPORT();

    // ---- event loop ----
    public static native long loop_start(String name, int minLevel, long maxChars, long logToken);
    public static native void loop_close(long loop);
    public static native @Cast("bool") boolean loop_on_thread(long loop);
    public static native void loop_free(long loop);
    public static native void loop_log(long loop, int level, String message);

    // ---- schemas ----
    public static native long schema_new(String importPaths);
    public static native void schema_load(long schema, String file);
    public static native void schema_free(long schema);
    public static native @StdString String schema_declarations(long schema);
    public static native long schema_interface(long schema, String name);
    public static native @StdString String interface_describe(long iface);
    public static native void interface_free(long iface);

    // ---- sockets ----
    public static native int socket_bind(String path, int backlog);
    public static native int socket_connect(String path);
    public static native void socket_pair(int[] fds);
    public static native void fd_close(int fd);

    // ---- processes ----
    public static native int process_spawn(String argv, int[] fd);
    public static native int process_wait(int pid);
    public static native void process_kill(int pid);

    // ---- servers ----
    public static native long server_listen(long loop, int fd, long iface, String options, long eventToken);
    public static native long server_bind(long loop, String path, long iface, String options, long eventToken);
    public static native long server_serve(long loop, int fd, long iface, String options, long eventToken);
    public static native long server_active(long server);
    public static native void server_stop_accepting(long server);
    public static native void event_peer(@Cast("int64_t*") long[] out);
    public static native void event_init(long iface, long handler);
    public static native void event_refuse(String reason);
    public static native void server_free(long server);
    public static native void reply_ok(long reply, @Cast("const signed char*") byte[] results, long size);
    public static native void reply_fail(long reply, String message);
    public static native boolean reply_cancelled(long reply);

    // ---- clients ----
    public static native long client_connect(long loop, int fd, long iface, long eventToken);
    public static native @StdString String client_describe(long client);
    public static native @StdString String client_construct_failure(long client);
    public static native void client_close(long client);
    public static native void client_free(long client);

    // ---- calls ----
    public static native long client_call_start(long client, int method, @Cast("const signed char*") byte[] params,
            long size);
    public static native long call_wait(long call, long timeoutMs);
    public static native long client_call_async(long client, int method, @Cast("const signed char*") byte[] params,
            long size, long token);
    public static native void call_cancel(long call);
    public static native void call_free(long call);

    // ---- diagnostics ----
    public static native @StdString String native_stats();

    // ---- call results ----
    public static native int result_status(long result);
    public static native long result_size(long result);
    public static native void result_read(long result, @Cast("signed char*") byte[] out);
    public static native void result_free(long result);
}
