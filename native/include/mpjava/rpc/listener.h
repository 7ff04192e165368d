// Serving an init capability: dynamically typed servers whose calls go to a
// CallHandler, and a Server that owns incoming connections, fed by a listening
// socket (ListenConnections, with an optional connection limit) or by a connected
// fd (ServeStream). Loop thread only, unless a method says otherwise.
#pragma once

#include <mpjava/rpc/connection.h>
#include <mpjava/runtime/event_loop.h>
#include <mpjava/protocol/threads.h>

#include <capnp/dynamic.h>

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>

namespace mpjava {

// Receives every call made on a dynamic server. prepare() runs on the loop thread and
// splits the call: `run` executes on the thread the call belongs to (the loop thread,
// or the worker thread its Proxy.Context names), `finish` back on the loop thread.
// Ownership: the loop keeps the Job; a worker gets only a copy of `run`, so a worker
// never holds the last reference to anything of the connection. `run` must capture
// plain data, or reach Cap'n Proto objects only under a guard that `cancel` respects.
// `cancel` runs on the loop thread when the call ends, finished or cancelled (the peer
// went away); after it returns, `run` must no longer touch anything of the call.
// To fail the call, any step throws (kj::Exception or std::exception); the caller
// sees FAILED with the exception text as reason.
class CallHandler {
public:
    struct Job {
        std::function<void()> run;
        std::function<void()> finish;  // may be empty
        std::function<void()> cancel;  // may be empty
        // If set, the call completes asynchronously on the loop thread instead of run().
        std::function<kj::Promise<void>()> async;
    };
    virtual ~CallHandler() = default;
    // By default, run() calls call() with the params reader and results builder under a
    // guard: cancel waits while call() runs and stops a run that has not started. A
    // handler that waits for the loop (a nested call) must implement prepare() instead.
    virtual Job prepare(const capnp::InterfaceSchema::Method& method, capnp::DynamicStruct::Reader params,
                        capnp::DynamicStruct::Builder results);
    // The whole call on the executing thread (handlers written in C++).
    virtual void call(const capnp::InterfaceSchema::Method& method, capnp::DynamicStruct::Reader params,
                      capnp::DynamicStruct::Builder results)
    {
        throw std::logic_error("CallHandler implements neither prepare() nor call()");
    }
};

// A capability implementing `schema` (and its superclasses) by forwarding to handler,
// with libmultiprocess's conventions (wire-protocol.md §2-§3):
// - ThreadMap-typed params are the peer's map (kept in `threads`); ThreadMap-typed
//   results are filled with this side's map; `construct` has no implementation.
// - A method with a Proxy.Context param runs on the worker thread named by
//   context.thread, which must be one this side created on this connection; a null
//   thread goes to the pool. Other methods run on the loop thread.
// `threads` is the connection's thread registry (a new one if null).
capnp::Capability::Client MakeDynamicServer(EventLoop& loop, capnp::InterfaceSchema schema,
                                            std::shared_ptr<CallHandler> handler,
                                            std::shared_ptr<ConnectionThreads> threads = nullptr);

struct ServerEvents {
    // Both get the connection's id (unique per server) and the active count after the change.
    std::function<void(uint64_t id, std::size_t active)> connected;
    std::function<void(uint64_t id, std::size_t active)> disconnected;
};

class Server : public LoopResource {
    LiveCounter<Live::Listener> m_live;

public:
    using InitFactory = std::function<capnp::Capability::Client()>;

    // max_connections: at most that many connections are served at once; the rest
    // wait in the kernel backlog. nullopt: no limit.
    Server(EventLoop& loop, InitFactory make_init, std::optional<std::size_t> max_connections, ServerEvents events);
    ~Server() noexcept override;

    // Starts accepting from a listening socket (ListenConnections).
    void listen(kj::Own<kj::ConnectionReceiver> receiver);
    // Serves one already connected stream (ServeStream); it counts towards the limit.
    void serve(kj::Own<kj::AsyncIoStream> stream);
    // Stops accepting and closes the listening socket; served connections go on.
    void stopAccepting();
    void teardown() override;

    // Any thread.
    std::size_t activeConnections() const { return m_active.load(); }
    bool accepting() const { return m_accepting_enabled.load(); }

private:
    bool atCapacity() const { return m_max && m_active.load() >= *m_max; }
    void acceptNext();
    void onAccepted(kj::Own<kj::AsyncIoStream> stream);
    void onDisconnected(uint64_t id);

    struct Entry {
        kj::Own<Connection> connection;
        kj::Promise<void> watch;  // destroyed before the connection it watches
    };

    class TaskErrors : public kj::TaskSet::ErrorHandler {
    public:
        explicit TaskErrors(EventLoop& loop) : m_loop(loop) {}
        void taskFailed(kj::Exception&& exception) override;

    private:
        EventLoop& m_loop;
    };

    EventLoop& m_loop;
    InitFactory m_make_init;
    std::optional<std::size_t> m_max;
    ServerEvents m_events;
    kj::Own<kj::ConnectionReceiver> m_receiver;
    kj::Canceler m_accept_canceler;
    bool m_accept_pending = false;  // invariant: at most one accept in flight
    std::map<uint64_t, Entry> m_connections;
    uint64_t m_next_id = 1;
    std::atomic<std::size_t> m_active{0};
    std::atomic<bool> m_accepting_enabled{false};
    TaskErrors m_task_errors;
    kj::Own<kj::TaskSet> m_tasks;
};

} // namespace mpjava
