#include <mpjava/api.h>

#include "java_bridge.h"

#include <mpjava/bench.h>
#include <mpjava/process.h>
#include <mpjava/sockets.h>
#include <mpjava/threads.h>

#include <kj/debug.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <sstream>
#include <thread>

namespace mpjava {
namespace api {

namespace {

struct LoopHandle {
    std::shared_ptr<EventLoop> loop;
};

struct SchemaHandle {
    explicit SchemaHandle(const std::vector<std::string>& imports) : set(std::make_shared<SchemaSet>(imports)) {}
    std::shared_ptr<SchemaSet> set;
};

struct ServerHandle {
    std::shared_ptr<EventLoop> loop;
    std::shared_ptr<Server> server;
};

struct Result {
    int status = STATUS_OK;
    std::string bytes;
};

// Runs fn, turning KJ exceptions into std::runtime_error for JavaCPP.
template <typename F>
auto Guarded(F&& fn) -> decltype(fn())
{
    try {
        return fn();
    } catch (const kj::Exception& e) {
        throw std::runtime_error(e.getDescription().cStr());
    }
}

// Runs fn on the loop thread; if the loop is gone, waits until its teardown has
// finished and runs fn here (everything KJ-owned is destroyed by then).
template <typename F>
void OnLoopOrAfterClose(const std::shared_ptr<EventLoop>& loop, F&& fn)
{
    try {
        loop->sync(fn);
    } catch (const LoopClosed&) {
        loop->close();
        fn();
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
// loop drops the call unfinished (closing), the destructor reports STATUS_CLOSED.
class Completion {
public:
    using Fn = std::function<void(Result*)>;
    explicit Completion(Fn fn) : m_fn(std::move(fn)) {}
    Completion(Completion&& other) noexcept : m_fn(std::move(other.m_fn)) { other.m_fn = nullptr; }
    ~Completion()
    {
        if (m_fn) complete(new Result{STATUS_CLOSED, "IPC client call cancelled: the event loop was closed."});
    }
    void complete(Result* result)
    {
        Fn fn = std::move(m_fn);
        m_fn = nullptr;
        if (fn) fn(result);
    }

private:
    Fn m_fn;
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
        auto caps = std::make_shared<JavaCaps>(loop, target_handle.threads, target_handle.iface->owner);
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
            done->complete(new Result{STATUS_INVALID_ARGUMENT, e.what()});
            return;
        } catch (const kj::Exception& e) {
            done->complete(new Result{StatusOf(e), e.getDescription().cStr()});
            return;
        } catch (const std::exception& e) {
            done->complete(new Result{STATUS_FAILED, e.what()});
            return;
        }
        auto threads = target_handle.threads;
        loop->addTask(KJ_ASSERT_NONNULL(sent).then(
            [method, done, caps, threads](capnp::Response<capnp::AnyPointer>&& response) {
                auto* result = new Result;
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
                done->complete(result);
            },
            [done](kj::Exception&& e) {
                std::string text = e.getDescription().cStr();
                if (e.getType() == kj::Exception::Type::DISCONNECTED &&
                    text.find("IPC client method called") == std::string::npos) {
                    text = "IPC client method call interrupted by disconnect. (" + text + ")";
                }
                done->complete(new Result{StatusOf(e), text});
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

int64_t StartServer(int64_t loop_handle, int fd, int64_t iface_handle, int64_t handler,
                    std::optional<size_t> max, int64_t token, bool listening)
{
    auto loop = From<LoopHandle>(loop_handle, "loop")->loop;
    const InterfaceInfo& iface = *From<InterfaceInfo>(iface_handle, "interface");
    auto handle = std::make_unique<ServerHandle>();
    handle->loop = loop;
    loop->sync([&] {
        EventLoop& l = *loop;
        // A fresh init capability and thread registry per connection, one Java handler.
        auto make_init = [&l, loop_ptr = std::weak_ptr<EventLoop>(loop), &iface, handler] {
            auto threads = std::make_shared<ConnectionThreads>(l.name());
            auto call_handler = std::make_shared<JavaCallHandler>(loop_ptr.lock(), iface, handler, threads, false);
            return MakeDynamicServer(l, iface.schema, call_handler, threads);
        };
        auto server = std::make_shared<Server>(l, make_init, max, MakeServerEvents(token));
        l.adopt(server);
        if (listening) {
            server->listen(WrapListener(l, fd));
        } else {
            server->serve(WrapSocket(l, fd));
        }
        handle->server = server;
    });
    return ToHandle(handle.release());
}

} // namespace

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
        auto handle = std::make_unique<LoopHandle>();
        handle->loop = EventLoop::Start(name ? name : "loop", std::move(options));
        return ToHandle(handle.release());
    });
}

void loop_close(int64_t loop) { From<LoopHandle>(loop, "loop")->loop->close(); }

bool loop_on_thread(int64_t loop) { return From<LoopHandle>(loop, "loop")->loop->onLoopThread(); }

void loop_free(int64_t loop)
{
    auto* handle = From<LoopHandle>(loop, "loop");
    handle->loop->close();
    delete handle;
}

void loop_log(int64_t loop, int level, const char* message, bool on_new_thread)
{
    auto shared = From<LoopHandle>(loop, "loop")->loop;
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
    return Guarded([&] { return ToHandle(new SchemaHandle(SplitLines(import_paths))); });
}

void schema_load(int64_t schema, const char* file)
{
    Guarded([&] { From<SchemaHandle>(schema, "schema")->set->load(file ? file : ""); });
}

void schema_free(int64_t schema) { delete From<SchemaHandle>(schema, "schema"); }

int64_t schema_interface(int64_t schema, const char* name)
{
    return Guarded([&] {
        auto* handle = From<SchemaHandle>(schema, "schema");
        auto iface = handle->set->findInterface(name ? name : "");
        return ToHandle(&InterfaceFor(handle->set, iface));
    });
}

std::string interface_name(int64_t iface)
{
    return From<InterfaceInfo>(iface, "interface")->schema.getShortDisplayName().cStr();
}

std::string interface_methods(int64_t iface)
{
    std::string out;
    for (const auto& method : From<InterfaceInfo>(iface, "interface")->methods) {
        out += method.getProto().getName().cStr();
        out += '\n';
    }
    return out;
}

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
    return static_cast<int64_t>(From<ServerHandle>(server, "server")->server->activeConnections());
}

void server_stop_accepting(int64_t server)
{
    auto* handle = From<ServerHandle>(server, "server");
    OnLoopOrAfterClose(handle->loop, [&] { handle->server->stopAccepting(); });
}

void server_free(int64_t server)
{
    auto* handle = From<ServerHandle>(server, "server");
    OnLoopOrAfterClose(handle->loop, [&] { handle->server.reset(); });
    delete handle;
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

int64_t client_connect(int64_t loop_handle, int fd, int64_t iface_handle, int64_t event_token)
{
    return Guarded([&] {
        auto loop = From<LoopHandle>(loop_handle, "loop")->loop;
        auto handle = std::make_unique<ClientHandle>();
        handle->loop = loop;
        handle->iface = From<InterfaceInfo>(iface_handle, "interface");
        loop->sync([&] {
            auto client = std::make_shared<Client>(*loop, WrapSocket(*loop, fd), handle->iface->schema,
                                                   [event_token] { Event(event_token, EVENT_PEER_LOST, 0, 0); });
            loop->adopt(client);
            handle->connection = client;
            handle->threads = client->threads();
        });
        return ToHandle(handle.release());
    });
}

int64_t client_interface(int64_t client) { return ToHandle(From<ClientHandle>(client, "client")->iface); }

int64_t client_call(int64_t client, int method, const signed char* params, int64_t size)
{
    return Guarded([&] {
        auto* handle = From<ClientHandle>(client, "client");
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
        try {
            StartCall(handle, method, std::string(reinterpret_cast<const char*>(params), static_cast<size_t>(size)),
                      std::move(caller), Completion([waiter, slot](Result* r) {
                          waiter->post([slot, r] { slot->reset(r); });
                      }));
        } catch (const LoopClosed&) {
            // The closure (and its completion) was destroyed in post(): already reported.
        }
        waiter->waitUntil([&] { return *slot != nullptr; });
        return ToHandle(slot->release());
    });
}

void client_call_async(int64_t client, int method, const signed char* params, int64_t size, int64_t token)
{
    Guarded([&] {
        auto* handle = From<ClientHandle>(client, "client");
        CheckMethodIndex(*handle, method);
        try {
            // Nobody waits on this call, so callbacks made during it go to a worker thread.
            std::string name;
            auto waiter = handle->threads->asyncCallbackWaiter(name);
            StartCall(handle, method, std::string(reinterpret_cast<const char*>(params), static_cast<size_t>(size)),
                      Caller{std::this_thread::get_id(), name, waiter},
                      Completion([token](Result* result) { Event(token, EVENT_CALL_DONE, ToHandle(result), 0); }));
        } catch (const LoopClosed&) {
        }
    });
}

void client_close(int64_t client)
{
    auto* handle = From<ClientHandle>(client, "client");
    OnLoopOrAfterClose(handle->loop, [&] {
        if (handle->connection) handle->connection->close();
        if (handle->ref) {
            handle->ref->teardown();  // releases the capability
            if (handle->loop->onLoopThread() && !handle->loop->closed()) handle->loop->forgetLater(handle->ref.get());
        }
    });
}

void client_free(int64_t client)
{
    auto* handle = From<ClientHandle>(client, "client");
    client_close(client);
    OnLoopOrAfterClose(handle->loop, [&] {
        handle->connection.reset();
        handle->ref.reset();
        handle->threads.reset();
    });
    delete handle;
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

int result_status(int64_t result) { return From<Result>(result, "result")->status; }
int64_t result_size(int64_t result) { return static_cast<int64_t>(From<Result>(result, "result")->bytes.size()); }

void result_read(int64_t result, signed char* out)
{
    const auto& bytes = From<Result>(result, "result")->bytes;
    std::memcpy(out, bytes.data(), bytes.size());
}

void result_free(int64_t result) { delete From<Result>(result, "result"); }

} // namespace api
} // namespace mpjava
