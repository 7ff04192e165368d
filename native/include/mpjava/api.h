// The facade JavaCPP binds (dev.mpjava.internal.NativeApi): plain functions over
// opaque int64 handles, so no template or KJ type reaches the JNI layer.
//
// Handles are ids into one table (handles.h), never addresses: an id that was freed,
// or its loop closed, fails with a message starting with CLOSED_HANDLE, and a
// function racing with a free keeps the object alive until it returns.
// Errors: functions throw std::runtime_error (JavaCPP turns it into a Java
// RuntimeException carrying what()); call results carry a status instead.
// Upcalls: Java installs one set of callbacks once (install_upcalls); native code
// identifies Java objects only by the int64 tokens Java handed it.
#pragma once

#include <mpjava/protocol/call_status.h>

#include <cstdint>
#include <string>

#include <sys/socket.h>

namespace mpjava {
namespace api {

// ---- upcalls (native -> Java), installed once by the Java dispatcher ---------
// (long long, not int64_t: the type JavaCPP generates for Java's long in callbacks.)
typedef void (*LogUpcall)(long long token, int level, const char* thread, const char* message);
// Java must answer exactly once with reply_ok or reply_fail on the `reply` handle: during
// the upcall, or (when `flags` has CALL_DEFERRABLE) later from any thread. The calling
// connection is `connection` (its id within its listener, 0 if none) and its peer's
// SO_PEERCRED pid/uid/gid (-1 when unknown).
typedef void (*CallUpcall)(long long handler, int method, const char* params, long long size, long long reply,
                           long long connection, int pid, int uid, int gid, int flags);
typedef void (*EventUpcall)(long long token, int event, long long a, long long b);
typedef void (*ThreadUpcall)(const char* name);

void install_upcalls(LogUpcall log, CallUpcall call, EventUpcall event, ThreadUpcall thread);

// The prefix of every error about a closed (freed) handle.
const char CLOSED_HANDLE[] = "closed handle: ";
std::string closed_handle_prefix();

// CallUpcall flags: the reply may come after the upcall returned (the call is not one that
// runs on a worker thread); its handle stays valid until answered or the call ends.
const int CALL_DEFERRABLE = 1;

// Event kinds for EventUpcall.
const int EVENT_CONNECTED = 1;      // a = connection id, b = active connections; event_peer() says who
const int EVENT_DISCONNECTED = 2;   // a = connection id, b = active connections; event_peer() says who
const int EVENT_PEER_DISCONNECTED = 3;  // a client's peer disconnected unexpectedly (Client.onDisconnect)
const int EVENT_CALL_DONE = 4;      // a = result handle (see result_*)
const int EVENT_RELEASED = 5;       // the peer released an exported Java implementation
const int EVENT_EXPORTED = 6;       // native code took an export token (it now reports its release)
// To token 0 (the dispatcher itself): a = the reply handle of a call that ended (its caller
// cancelled it or left) while Java had not answered it yet.
const int EVENT_CALL_CANCELLED = 7;
// A client's `construct` was answered: a = STATUS_OK or its failure's status, whose text
// client_construct_failure() gives.
const int EVENT_CONSTRUCTED = 8;
// A server accepted a connection (a = its id, event_peer() says who): during this upcall
// Java names what the connection serves with event_init, or refuses it with event_refuse
// (logged, the socket closed). No answer refuses it too.
const int EVENT_INIT = 9;

// Result status codes (result_status), defined once in protocol/call_status.h. For
// STATUS_RAISED the bytes are framed as protocol/value_call.h says.
const int STATUS_OK = CALL_OK;
const int STATUS_FAILED = CALL_FAILED;
const int STATUS_OVERLOADED = CALL_OVERLOADED;
const int STATUS_DISCONNECTED = CALL_DISCONNECTED;
const int STATUS_UNIMPLEMENTED = CALL_UNIMPLEMENTED;
const int STATUS_INVALID_ARGUMENT = CALL_INVALID_ARGUMENT;
const int STATUS_CLOSED = CALL_CLOSED;
const int STATUS_RAISED = CALL_RAISED;
const int STATUS_CANCELLED = CALL_CANCELLED;

// Value tree tags (see values/codec.h), exported so Java reads them from one place.
const int TAG_VOID = 0, TAG_BOOL = 1, TAG_INT = 2, TAG_UINT = 3, TAG_FLOAT = 4, TAG_TEXT = 5,
          TAG_DATA = 6, TAG_LIST = 7, TAG_STRUCT = 8, TAG_ENUM = 9, TAG_NULL = 10, TAG_CAP = 11;
// Kinds of TAG_CAP values: a capability handle Java holds (a client), or the token of
// a Java implementation to export.
const int CAP_HELD = 0, CAP_EXPORT = 1;

// ---- event loop -------------------------------------------------------------
int64_t loop_start(const char* name, int min_level, int64_t max_chars, int64_t log_token);
void loop_close(int64_t loop);      // tears down and joins the loop thread; idempotent
bool loop_on_thread(int64_t loop);  // is the caller the loop's own thread?
// Closes the loop and releases it with every handle it owns (listeners, clients,
// received capabilities, results): their ids fail as closed from now on.
void loop_free(int64_t loop);
// Emits a message through the loop's logger (filter, cap, handler) on the calling thread.
void loop_log(int64_t loop, int level, const char* message);

// ---- schemas ----------------------------------------------------------------
int64_t schema_new(const char* import_paths);  // '\n'-separated directories
void schema_load(int64_t schema, const char* file);
void schema_free(int64_t schema);
// Every declaration of the loaded files and their imports (format: values/declarations.h).
std::string schema_declarations(int64_t schema);
// An interface handle keeps its schema set alive until interface_free.
int64_t schema_interface(int64_t schema, const char* name);
// "<name>\n<method 0>\n<method 1>..." in method-number order.
std::string interface_describe(int64_t iface);
void interface_free(int64_t iface);

// ---- sockets ----------------------------------------------------------------
int socket_bind(const char* path, int backlog);
// The listen(2) backlog servers use unless told otherwise.
const int DEFAULT_BACKLOG = SOMAXCONN;
int socket_connect(const char* path);
void socket_pair(int* fds);
void fd_close(int fd);

// ---- processes (upstream's SpawnProcess convention) ----------------------------
// argv: '\n'-separated; an argument "{fd}" becomes the child's socket fd number.
// Returns the pid; *fd receives the parent's end of the socketpair.
int process_spawn(const char* argv, int* fd);
int process_wait(int pid);
void process_kill(int pid);

// ---- servers ----------------------------------------------------------------
// options: "name=value" lines as ListenOptions writes them (rpc/server_options.h reads
// them). These take ownership of fd: it is closed on failure too.
// Every accepted connection is served what Java names during its EVENT_INIT upcall. A
// listener keeps each interface it has served (and `iface`, unless 0, from the start), so
// its connections go on being served it after the interface's schema was closed.
int64_t server_listen(int64_t loop, int fd, int64_t iface, const char* options, int64_t event_token);
// Binds path (io/sockets.h BindSocketFile, with the backlog, socketMode and socketGroup
// options) and serves on it; the listener unlinks the file when it stops, if still its own.
int64_t server_bind(int64_t loop, const char* path, int64_t iface, const char* options, int64_t event_token);
int64_t server_serve(int64_t loop, int fd, int64_t iface, const char* options, int64_t event_token);
int64_t server_active(int64_t server);
void server_stop_accepting(int64_t server);
// During an EVENT_INIT, EVENT_CONNECTED or EVENT_DISCONNECTED upcall, on its thread: the peer, as
// out[0..3] = connection id, pid, uid, gid (-1 when unknown). Throws outside one.
void event_peer(int64_t* out);
// During an EVENT_INIT upcall, on its thread: serve the connection an implementation of
// iface whose calls go to the Java handler token; EVENT_RELEASED to that token follows
// when the connection's init capability is gone. Or refuse the connection, with a reason.
void event_init(int64_t iface, int64_t handler);
void event_refuse(const char* reason);
void server_free(int64_t server);
// Answer a call (see CallUpcall). A reply handle is used once: a second answer, or one
// after the call ended (the peer cancelled or went, the loop closed), fails with CLOSED_HANDLE.
void reply_ok(int64_t reply, const signed char* results, int64_t size);
void reply_fail(int64_t reply, const char* message);
// Whether the call behind `reply` was cancelled (its caller gave up or left; also true
// once the reply is gone). A handler on a Context worker reads it once it is registered
// in Java, so a cancel that came before cannot be missed.
bool reply_cancelled(int64_t reply);

// ---- clients ----------------------------------------------------------------
// Client handles are also what capabilities received in values decode to; for those,
// close releases the capability (Java calls destroy first when the interface has it).
int64_t client_connect(int64_t loop, int fd, int64_t iface, int64_t event_token);  // owns fd, as server_listen
std::string client_describe(int64_t client);  // its interface, as interface_describe
std::string client_construct_failure(int64_t client);  // after EVENT_CONSTRUCTED: "" or why it failed
void client_close(int64_t client);
void client_free(int64_t client);

// ---- calls ----------------------------------------------------------------
// A call handle belongs to the loop of its client: it can be cancelled from any thread
// (Cap'n Proto Finish goes to the peer, the late answer is discarded) and must be freed.
// Starts a call that the calling thread then waits for with call_wait.
int64_t client_call_start(int64_t client, int method, const signed char* params, int64_t size);
// Waits up to timeout_ms, running callbacks addressed to this thread meanwhile; returns
// a result handle, or 0 if the call has not ended yet. Only the thread that started it.
int64_t call_wait(int64_t call, int64_t timeout_ms);
// Starts a call nobody waits for: EVENT_CALL_DONE with a result handle follows on the loop thread.
int64_t client_call_async(int64_t client, int method, const signed char* params, int64_t size, int64_t token);
// The call ends as CALL_CANCELLED unless it has already ended.
void call_cancel(int64_t call);
void call_free(int64_t call);

// ---- diagnostics ----------------------------------------------------------------
// "<name>=<count>\n" lines: live native objects by kind and open handles by kind.
std::string native_stats();

// ---- call results: status + bytes (an encoded struct, or the error text) -----
int result_status(int64_t result);
int64_t result_size(int64_t result);
void result_read(int64_t result, signed char* out);
void result_free(int64_t result);

} // namespace api
} // namespace mpjava
