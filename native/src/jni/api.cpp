#include <mpjava/api.h>

#include "java_caps.h"

#include "bench.h"
#include <mpjava/io/process.h>
#include <mpjava/io/sockets.h>
#include <mpjava/protocol/threads.h>

#include <kj/debug.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <sstream>
#include <thread>

namespace mpjava {
namespace api {

namespace {

struct ServerHandle {
    std::shared_ptr<EventLoop> loop;
    std::shared_ptr<Server> server;
};

struct Result {
    int status = STATUS_OK;
    std::string bytes;
};

std::shared_ptr<EventLoop> LoopOf(int64_t loop) { return Get<EventLoop>(loop, HandleKind::Loop); }

// Runs fn, turning KJ exceptions into std::runtime_error for JavaCPP.
template <typename F>
auto Guarded(F&& fn) -> decltype(fn())
{
    try {
        return fn();
    } catch (const kj::Exception& e) {
        throw std::runtime_error(e.getDescription().cStr());
    } catch (const LoopClosed&) {
        throw ClosedHandle(HandleKind::Loop);
    }
}

// Owns an fd handed to native code until something takes it: a failure on the way
// closes it, so "takes ownership of fd" holds on every path.
class FdGuard {
public:
    explicit FdGuard(int fd) : m_fd(fd) {}
    ~FdGuard()
    {
        if (m_fd >= 0) CloseFd(m_fd);
    }
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    int release()
    {
        int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

// Runs fn on the loop thread; if the loop is closing, waits until its thread has
// finished the teardown and runs fn here (everything KJ-owned is destroyed by then).
// It never joins: the caller may be a worker that the closing thread is joining.
template <typename F>
void OnLoopOrAfterClose(const std::shared_ptr<EventLoop>& loop, F&& fn)
{
    try {
        loop->sync(fn);
    } catch (const LoopClosed&) {
        loop->waitStopped();
        fn();
    }
}

// Registers an object of a loop; if the loop was released meanwhile, drops it on the
// loop thread (or after the loop stopped) and fails as closed.
template <typename T>
int64_t AddLoopHandle(HandleKind kind, std::shared_ptr<T> object, const std::shared_ptr<EventLoop>& loop,
                      int64_t loop_id)
{
    try {
        return AddHandle(kind, object, loop_id);
    } catch (const ClosedHandle&) {
        OnLoopOrAfterClose(loop, [&] { object.reset(); });
        throw;
    }
}

std::vector<std::string> SplitLines(const char* text)
{
    std::vector<std::string> out;
    std::istringstream in(text ? text : "");
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

int StatusOf(const kj::Exception& e)
{
    switch (e.getType()) {
    case kj::Exception::Type::OVERLOADED: return STATUS_OVERLOADED;
    case kj::Exception::Type::DISCONNECTED: return STATUS_DISCONNECTED;
    case kj::Exception::Type::UNIMPLEMENTED: return STATUS_UNIMPLEMENTED;
    default: return STATUS_FAILED;
    }
}

// Delivers a call's result exactly once: to a waiting thread or as an event. If the
// loop drops the call unfinished (closing), the destructor hands `abandoned` a
// STATUS_CLOSED result instead; it must not call into Java (a destructor may run
// anywhere), so async calls leave that case to Java, which fails them at close.
class Completion {
public:
    using Fn = std::function<void(std::unique_ptr<Result>)>;
    Completion(Fn fn, Fn abandoned) : m_fn(std::move(fn)), m_abandoned(std::move(abandoned)) {}
    Completion(Completion&& other) noexcept : m_fn(std::move(other.m_fn)), m_abandoned(std::move(other.m_abandoned))
    {
        other.m_fn = nullptr;
        other.m_abandoned = nullptr;
    }
    ~Completion()
    {
        if (m_fn && m_abandoned) {
            try {
                m_abandoned(std::make_unique<Result>(
                    Result{STATUS_CLOSED, "IPC client call cancelled: the event loop was closed."}));
            } catch (...) {
            }
        }
    }
    void complete(Result result)
    {
        Fn fn = std::move(m_fn);
        m_fn = nullptr;
        if (fn) fn(std::make_unique<Result>(std::move(result)));
    }

private:
    Fn m_fn;
    Fn m_abandoned;
};

// The calling thread as a Context names it: a stable name per thread (upstream's
// ThreadName format), and its waiter, on which callbacks addressed to it run.
Caller CurrentCaller(const EventLoop& loop)
{
    thread_local std::string name = LongThreadName(loop.name());
    return Caller{std::this_thread::get_id(), name, CurrentThreadWaiter()};
}

// The capability a client handle calls (loop thread).
capnp::Capability::Client Target(const ClientHandle& handle)
{
    if (handle.connection) {
        KJ_IF_MAYBE(failure, handle.connection->checkUsable()) {
            kj::throwFatalException(kj::mv(*failure));
        }
        return handle.connection->init();
    }
    KJ_IF_MAYBE(cap, handle.ref->cap()) {
        return *cap;
    }
    kj::throwFatalException(KJ_EXCEPTION(DISCONNECTED, "IPC client method called after the capability was released."));
}

// Checked before a call's Completion exists: once it does, it always reports.
void CheckMethodIndex(const ClientHandle& handle, int method_index)
{
    if (method_index < 0 || static_cast<size_t>(method_index) >= handle.iface->methods.size()) {
        throw std::invalid_argument("method index " + std::to_string(method_index) + " out of range");
    }
}

// Builds and sends the call on the loop thread; the completion runs there too.
// Params are decoded there (capabilities in them are made on the loop thread).
void StartCall(ClientHandle* handle, int method_index, std::string params, Caller caller, Completion completion)
{
    auto loop = handle->loop;
    const auto method = handle->iface->methods[method_index];
    ClientHandle target_handle = *handle;  // shared_ptr copies: usable on the loop after Java frees its handle
    loop->post([loop, target_handle, method, params = std::move(params), caller = std::move(caller),
                completion = std::move(completion)]() mutable {
        auto done = std::make_shared<Completion>(std::move(completion));
        auto caps = std::make_shared<JavaCaps>(loop, target_handle.loop_id, target_handle.threads,
                                               target_handle.iface->owner());
        kj::Maybe<kj::Promise<capnp::Response<capnp::AnyPointer>>> sent;
        try {
            auto target = Target(target_handle);
            const std::string path = MethodName(method) + "$Params";
            sent = SendCall(
                target, method,
                [&](capnp::AnyPointer::Builder root) {
                    auto built = root.initAs<capnp::DynamicStruct>(method.getParamType());
                    DecodeStruct(reinterpret_cast<const uint8_t*>(params.data()), params.size(), built, path, caps.get());
                },
                &caller, target_handle.threads, params.size());
        } catch (const ValueError& e) {
            done->complete(Result{STATUS_INVALID_ARGUMENT, e.what()});
            return;
        } catch (const ClosedHandle& e) {
            done->complete(Result{STATUS_CLOSED, e.what()});
            return;
        } catch (const kj::Exception& e) {
            done->complete(Result{StatusOf(e), e.getDescription().cStr()});
            return;
        } catch (const std::exception& e) {
            done->complete(Result{STATUS_FAILED, e.what()});
            return;
        }
        auto threads = target_handle.threads;
        loop->addTask(KJ_ASSERT_NONNULL(sent).then(
            [method, done, caps, threads](capnp::Response<capnp::AnyPointer>&& response) {
                auto result = std::make_unique<Result>();
                try {
                    auto results = response.getAs<capnp::DynamicStruct>(method.getResultType());
                    AdoptThreadMaps(results, *threads);
                    // A set $Proxy.exception field: the call failed with a structured error (§7).
                    KJ_IF_MAYBE(raised, threads->fieldsOf(results.getSchema()).exception) {
                        if (results.has(*raised)) {
                            kj::StringPtr name = raised->getProto().getName();
                            uint16_t length = static_cast<uint16_t>(name.size());
                            result->status = STATUS_RAISED;
                            result->bytes.append(reinterpret_cast<const char*>(&length), 2);
                            result->bytes.append(name.cStr(), name.size());
                        }
                    }
                    EncodeStruct(results, result->bytes, caps.get());
                } catch (const kj::Exception& e) {
                    *result = Result{STATUS_FAILED, std::string("cannot read results: ") + e.getDescription().cStr()};
                } catch (const std::exception& e) {
                    *result = Result{STATUS_FAILED, std::string("cannot read results: ") + e.what()};
                }
                done->complete(std::move(*result));
            },
            [done](kj::Exception&& e) {
                std::string text = e.getDescription().cStr();
                if (e.getType() == kj::Exception::Type::DISCONNECTED &&
                    text.find("IPC client method called") == std::string::npos) {
                    text = "IPC client method call interrupted by disconnect. (" + text + ")";
                }
                done->complete(Result{StatusOf(e), text});
            }));
    });
}

ServerEvents MakeServerEvents(int64_t token)
{
    ServerEvents events;
    events.connected = [token](uint64_t id, size_t active) {
        Event(token, EVENT_CONNECTED, static_cast<int64_t>(id), static_cast<int64_t>(active));
    };
    events.disconnected = [token](uint64_t id, size_t active) {
        Event(token, EVENT_DISCONNECTED, static_cast<int64_t>(id), static_cast<int64_t>(active));
    };
    return events;
}

int64_t StartServer(int64_t loop_id, int fd, int64_t iface_id, int64_t handler, std::optional<size_t> max,
                    int64_t token, bool listening)
{
    FdGuard owned(fd);
    auto loop = LoopOf(loop_id);
    auto iface = Get<const InterfaceInfo>(iface_id, HandleKind::Interface);
    auto handle = std::make_shared<ServerHandle>();
    handle->loop = loop;
    loop->sync([&] {
        EventLoop& l = *loop;
        // A fresh init capability and thread registry per connection, one Java handler.
        auto make_init = [&l, loop_ptr = std::weak_ptr<EventLoop>(loop), loop_id, iface, handler] {
            auto threads = std::make_shared<ConnectionThreads>(l);
            auto call_handler = std::make_shared<JavaCallHandler>(loop_ptr.lock(), loop_id, iface, handler, threads, false);
            return MakeDynamicServer(l, iface->schema, call_handler, threads);
        };
        auto server = std::make_shared<Server>(l, make_init, max, MakeServerEvents(token));
        l.adopt(server);
        if (listening) {
            server->listen(WrapListener(l, owned.release()));
        } else {
            server->serve(WrapSocket(l, owned.release()));
        }
        handle->server = server;
    });
    return AddLoopHandle(HandleKind::Listener, handle, loop, loop_id);
}

// Closes a client's connection, or releases a received capability (loop thread, or
// after the loop has stopped).
void CloseClient(ClientHandle& handle)
{
    OnLoopOrAfterClose(handle.loop, [&] {
        if (handle.connection) handle.connection->close();
        if (handle.ref) {
            handle.ref->teardown();  // releases the capability
            if (handle.loop->onLoopThread() && !handle.loop->closed()) handle.loop->forgetLater(handle.ref.get());
        }
    });
}

int64_t NewResult(int64_t loop_id, std::unique_ptr<Result> result)
{
    return AddHandle(HandleKind::Result, std::shared_ptr<Result>(std::move(result)), loop_id);
}

std::string Describe(const InterfaceInfo& iface)
{
    std::string out = iface.schema.getShortDisplayName().cStr();
    for (const auto& method : iface.methods) {
        out += '\n';
        out += method.getProto().getName().cStr();
    }
    return out;
}

} // namespace

std::string closed_handle_prefix() { return CLOSED_HANDLE; }

void install_upcalls(LogUpcall log, CallUpcall call, EventUpcall event, ThreadUpcall thread)
{
    g_log = log;
    g_call = call;
    g_event = event;
    SetThreadStartHook([thread](const std::string& name) {
        if (thread) thread(name.c_str());
    });
}

// ---- event loop -------------------------------------------------------------

int64_t loop_start(const char* name, int min_level, int64_t max_chars, int64_t log_token)
{
    return Guarded([&] {
        LogOptions options;
        options.min_level = static_cast<Level>(min_level);
        options.max_chars = max_chars < 0 ? 0 : static_cast<size_t>(max_chars);
        options.fn = [log_token](Level level, const std::string& thread, const std::string& message) {
            if (auto fn = g_log.load()) fn(log_token, static_cast<int>(level), thread.c_str(), message.c_str());
        };
        return AddHandle(HandleKind::Loop, EventLoop::Start(name ? name : "loop", std::move(options)));
    });
}

void loop_close(int64_t loop)
{
    Guarded([&] { LoopOf(loop)->close(); });
}

bool loop_on_thread(int64_t loop) { return LoopOf(loop)->onLoopThread(); }

void loop_free(int64_t loop)
{
    auto shared = std::static_pointer_cast<EventLoop>(TakeHandle(loop, HandleKind::Loop));
    if (!shared) return;
    shared->close();
    ReleaseLoopHandles(loop);
}

void loop_log(int64_t loop, int level, const char* message, bool on_new_thread)
{
    auto shared = LoopOf(loop);
    std::string text = message ? message : "";
    auto emit = [&] { shared->log(static_cast<Level>(level), text); };
    if (!on_new_thread) {
        emit();
        return;
    }
    std::thread thread([&] {
        SetCurrentThreadName("mpj-native");
        emit();
    });
    thread.join();
}

// ---- schemas ----------------------------------------------------------------

int64_t schema_new(const char* import_paths)
{
    return Guarded([&] { return AddHandle(HandleKind::Schema, std::make_shared<SchemaSet>(SplitLines(import_paths))); });
}

void schema_load(int64_t schema, const char* file)
{
    Guarded([&] { Get<SchemaSet>(schema, HandleKind::Schema)->load(file ? file : ""); });
}

void schema_free(int64_t schema) { TakeHandle(schema, HandleKind::Schema); }

int64_t schema_interface(int64_t schema, const char* name)
{
    return Guarded([&] {
        auto set = Get<SchemaSet>(schema, HandleKind::Schema);
        auto info = set->interfaceInfo(set->findInterface(name ? name : ""));
        return AddHandle(HandleKind::Interface, std::const_pointer_cast<InterfaceInfo>(info));
    });
}

std::string interface_describe(int64_t iface) { return Describe(*Get<const InterfaceInfo>(iface, HandleKind::Interface)); }

void interface_free(int64_t iface) { TakeHandle(iface, HandleKind::Interface); }

// ---- sockets ----------------------------------------------------------------

int socket_bind(const char* path, int backlog) { return BindUnixSocket(path ? path : "", backlog); }
int socket_connect(const char* path) { return ConnectUnixSocket(path ? path : ""); }

void socket_pair(int* fds)
{
    auto pair = MakeSocketPair();
    fds[0] = pair.first;
    fds[1] = pair.second;
}

void fd_close(int fd) { CloseFd(fd); }

// ---- processes --------------------------------------------------------------

int process_spawn(const char* argv, int* fd)
{
    std::vector<std::string> args;
    std::istringstream in(argv ? argv : "");
    std::string line;
    while (std::getline(in, line)) args.push_back(line);
    auto [pid, socket] = SpawnProcess(args);
    *fd = socket;
    return pid;
}

int process_wait(int pid) { return WaitProcess(pid); }
void process_kill(int pid) { KillProcess(pid); }

// ---- servers ----------------------------------------------------------------

int64_t server_listen(int64_t loop, int fd, int64_t iface, int64_t handler, int64_t max_connections,
                      int64_t event_token)
{
    return Guarded([&] {
        std::optional<size_t> max;
        if (max_connections >= 0) max = static_cast<size_t>(max_connections);
        return StartServer(loop, fd, iface, handler, max, event_token, true);
    });
}

int64_t server_serve(int64_t loop, int fd, int64_t iface, int64_t handler, int64_t event_token)
{
    return Guarded([&] { return StartServer(loop, fd, iface, handler, std::nullopt, event_token, false); });
}

int64_t server_active(int64_t server)
{
    return static_cast<int64_t>(Get<ServerHandle>(server, HandleKind::Listener)->server->activeConnections());
}

void server_stop_accepting(int64_t server)
{
    auto handle = Get<ServerHandle>(server, HandleKind::Listener);
    OnLoopOrAfterClose(handle->loop, [&] { handle->server->stopAccepting(); });
}

void server_free(int64_t server)
{
    auto handle = std::static_pointer_cast<ServerHandle>(TakeHandle(server, HandleKind::Listener));
    if (!handle) return;
    OnLoopOrAfterClose(handle->loop, [&] { handle->server.reset(); });
}

void reply_ok(int64_t reply_handle, const signed char* results, int64_t size)
{
    auto* reply = From<Reply>(reply_handle, "reply");
    reply->answered = true;
    reply->bytes.assign(reinterpret_cast<const char*>(results), static_cast<size_t>(size));
}

void reply_fail(int64_t reply_handle, const char* message)
{
    auto* reply = From<Reply>(reply_handle, "reply");
    reply->answered = true;
    reply->failed = true;
    reply->bytes = message ? message : "unknown error";
}

// ---- clients ----------------------------------------------------------------

int64_t client_connect(int64_t loop_id, int fd, int64_t iface_id, int64_t event_token)
{
    return Guarded([&] {
        FdGuard owned(fd);
        auto loop = LoopOf(loop_id);
        auto handle = std::make_shared<ClientHandle>();
        handle->loop = loop;
        handle->loop_id = loop_id;
        handle->iface = Get<const InterfaceInfo>(iface_id, HandleKind::Interface);
        loop->sync([&] {
            auto client = std::make_shared<Client>(*loop, WrapSocket(*loop, owned.release()), handle->iface->schema,
                                                   [event_token] { Event(event_token, EVENT_PEER_LOST, 0, 0); });
            loop->adopt(client);
            handle->connection = client;
            handle->threads = client->threads();
        });
        return AddLoopHandle(HandleKind::Client, handle, loop, loop_id);
    });
}

std::string client_describe(int64_t client) { return Describe(*Get<ClientHandle>(client, HandleKind::Client)->iface); }

int64_t client_call(int64_t client, int method, const signed char* params, int64_t size)
{
    return Guarded([&] {
        auto handle = Get<ClientHandle>(client, HandleKind::Client);
        if (handle->loop->onLoopThread()) {
            throw std::logic_error("blocking call on the event loop thread would deadlock; use callAsync");
        }
        // Wait on this thread's waiter: callbacks addressed to this thread (through the
        // callbackThread of its Context) run here, on its stack, while it waits.
        Caller caller = CurrentCaller(*handle->loop);
        CheckMethodIndex(*handle, method);
        auto waiter = caller.waiter;
        // On the heap, not this frame: should this function leave early (an allocation
        // failing), the job the completion posts to this thread's waiter stays harmless.
        auto slot = std::make_shared<std::unique_ptr<Result>>();
        auto deliver = [waiter, slot](std::unique_ptr<Result> r) {
            auto shared = std::make_shared<std::unique_ptr<Result>>(std::move(r));
            waiter->post([slot, shared] { *slot = std::move(*shared); });
        };
        try {
            StartCall(handle.get(), method,
                      std::string(reinterpret_cast<const char*>(params), static_cast<size_t>(size)), std::move(caller),
                      Completion(deliver, deliver));
        } catch (const LoopClosed&) {
            // The closure (and its completion) was destroyed in post(): already reported.
        }
        waiter->waitUntil([&] { return *slot != nullptr; });
        return NewResult(handle->loop_id, std::move(*slot));
    });
}

void client_call_async(int64_t client, int method, const signed char* params, int64_t size, int64_t token)
{
    Guarded([&] {
        auto handle = Get<ClientHandle>(client, HandleKind::Client);
        CheckMethodIndex(*handle, method);
        try {
            // Nobody waits on this call, so callbacks made during it go to a worker thread.
            std::string name;
            auto waiter = handle->threads->asyncCallbackWaiter(name);
            int64_t loop_id = handle->loop_id;
            StartCall(handle.get(), method,
                      std::string(reinterpret_cast<const char*>(params), static_cast<size_t>(size)),
                      Caller{std::this_thread::get_id(), name, waiter},
                      Completion([token, loop_id](std::unique_ptr<Result> result) {
                          int64_t id;
                          try {
                              id = NewResult(loop_id, std::move(result));
                          } catch (const ClosedHandle&) {
                              return;  // the loop is being released: Java fails the call itself
                          }
                          Event(token, EVENT_CALL_DONE, id, 0);
                      }, nullptr));
        } catch (const LoopClosed&) {
            throw std::runtime_error(std::string(CLOSED_HANDLE) + "event loop is closed");
        }
    });
}

void client_close(int64_t client) { CloseClient(*Get<ClientHandle>(client, HandleKind::Client)); }

void client_free(int64_t client)
{
    auto handle = std::static_pointer_cast<ClientHandle>(TakeHandle(client, HandleKind::Client));
    if (!handle) return;
    CloseClient(*handle);
    auto loop = handle->loop;
    OnLoopOrAfterClose(loop, [&] { handle.reset(); });  // its capability is dropped on the loop thread
}

// ---- diagnostics --------------------------------------------------------------

std::string native_stats()
{
    std::string out;
    for (int k = 0; k < static_cast<int>(Live::Count); ++k) {
        out += std::string(LiveName(static_cast<Live>(k))) + "=" + std::to_string(LiveCount(static_cast<Live>(k))) + "\n";
    }
    for (int k = 0; k < static_cast<int>(HandleKind::Count); ++k) {
        auto kind = static_cast<HandleKind>(k);
        out += std::string("handles.") + HandleKindName(kind) + "=" + std::to_string(HandleCount(kind)) + "\n";
    }
    return out;
}

// ---- benchmark ----------------------------------------------------------------

std::string bench_native(const char* schema_file, const char* import_paths, int calls)
{
    return Guarded([&] {
        auto r = RunNativeBenchmark(schema_file ? schema_file : "", SplitLines(import_paths), calls);
        char line[128];
        std::snprintf(line, sizeof(line), "%.2f %.2f %.0f", r.median_us, r.p99_us, r.calls_per_second);
        return std::string(line);
    });
}

// ---- results ----------------------------------------------------------------

int result_status(int64_t result) { return Get<Result>(result, HandleKind::Result)->status; }
int64_t result_size(int64_t result) { return static_cast<int64_t>(Get<Result>(result, HandleKind::Result)->bytes.size()); }

void result_read(int64_t result, signed char* out)
{
    auto r = Get<Result>(result, HandleKind::Result);
    std::memcpy(out, r->bytes.data(), r->bytes.size());
}

void result_free(int64_t result) { TakeHandle(result, HandleKind::Result); }

} // namespace api
} // namespace mpjava
