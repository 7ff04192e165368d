// Threads of the libmultiprocess protocol (wire-protocol.md §3-§5): the Thread and
// ThreadMap servers a peer uses to create and name worker threads, and the
// per-connection registry that checks that a `context.thread` is one this side
// created on that connection.
#pragma once

#include <mpjava/protocol/fields.h>
#include <mpjava/runtime/event_loop.h>
#include <mpjava/runtime/worker.h>

#include <mp/proxy.capnp.h>

#include <capnp/capability.h>
#include <capnp/dynamic.h>

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace mpjava {

// A Thread capability: a worker thread this side created (owned), or a calling
// thread's waiter (callback thread, not owned).
class ThreadServer final : public mp::Thread::Server {
public:
    ThreadServer(std::string name, std::unique_ptr<WorkerThread> worker);
    ThreadServer(std::string name, std::shared_ptr<Waiter> waiter);
    Waiter& waiter() { return *m_waiter; }
    const std::string& name() const { return m_name; }

protected:
    kj::Promise<void> getName(GetNameContext context) override;

private:
    std::string m_name;
    std::unique_ptr<WorkerThread> m_worker;
    std::shared_ptr<Waiter> m_waiter;
    LiveCounter<Live::Capability> m_live;
};

// Threads of one connection: the servers this side created for the peer.
class ProtocolState {
public:
    explicit ProtocolState(EventLoop& loop) : m_loop(loop), m_exe(loop.name()) {}

    EventLoop& loop() const { return m_loop; }
    const std::string& exe() const { return m_exe; }
    mp::Thread::Client add(kj::Own<ThreadServer> server) { return m_threads.add(kj::mv(server)); }
    // Resolves to the local server behind `thread`, or null if it is not one of ours.
    kj::Promise<kj::Maybe<mp::Thread::Server&>> find(mp::Thread::Client thread) { return m_threads.getLocalServer(thread); }

    // The peer's ThreadMap, received in a ThreadMap-typed param (construct).
    void setPeerThreadMap(capnp::Capability::Client map) { m_peer_thread_map = kj::mv(map); }

    // Fills a call's Context as upstream's client does (§3): `thread` is the peer thread
    // kept for the calling thread (made with a pipelined makeThread on first use),
    // `callbackThread` a Thread this side hosts for the calling thread. Loop thread only.
    void fillContext(capnp::DynamicStruct::Builder params, const ProtocolFields::Context& fields,
                     const std::string& caller_name, const std::shared_ptr<Waiter>& caller_waiter);

    // After a call from `caller` was cancelled, its peer thread may still be busy with it:
    // the caller's next Context call gets a fresh thread instead of queueing behind it.
    // Loop thread only.
    void forgetRemoteThread(Waiter* caller);

    // The protocol's fields of a struct type, found once per type on this connection:
    // looking them up by type on every call was a measurable part of a call. Loop thread only.
    const ProtocolFields& fieldsOf(capnp::StructSchema type) { return m_fields.of(type); }

    // While a request from the peer runs on the thread behind `waiter`, that thread's
    // own calls to the peer name the request's callbackThread. Loop thread only.
    void pushRequestThread(Waiter* waiter, capnp::Capability::Client callback_thread);
    void popRequestThread(Waiter* waiter);

    // Keeps a reference to a peer's callbackThread for the life of the connection, so a
    // Context call does not end with a Release message for it (the peer sends the same
    // thread again with every call from that thread). Loop thread only.
    void keepPeerThread(capnp::Capability::Client thread);

    // Drops every capability held (loop thread, before the connection goes).
    void clear();

    // The thread that serves callbacks made during calls nobody waits on (callAsync):
    // a worker made on first use. Any thread; returns its waiter and name.
    std::shared_ptr<Waiter> asyncCallbackWaiter(std::string& name);

    bool hasPool() const { return !m_pool.empty(); }
    void setPool(std::vector<mp::Thread::Client> pool, std::vector<ThreadServer*> servers);
    // Least loaded pool thread, ties to the lowest index.
    ThreadServer& pickPoolThread();

private:
    EventLoop& m_loop;
    std::string m_exe;
    capnp::CapabilityServerSet<mp::Thread> m_threads;
    std::vector<mp::Thread::Client> m_pool;  // strong refs: pool threads live as long as the connection
    std::vector<ThreadServer*> m_pool_servers;
    kj::Maybe<capnp::Capability::Client> m_peer_thread_map;

    struct CallerThreads {
        kj::Maybe<capnp::Capability::Client> remote_thread;  // made on first top-level call
        capnp::Capability::Client callback_thread;
    };
    std::map<Waiter*, CallerThreads> m_callers;  // keyed by the calling thread's waiter
    std::mutex m_async_mutex;
    std::unique_ptr<WorkerThread> m_async_worker;  // guarded by m_async_mutex
    std::map<Waiter*, std::vector<capnp::Capability::Client>> m_request_threads;
    std::map<const capnp::ClientHook*, capnp::Capability::Client> m_peer_threads;
    FieldCache m_fields;
};

// The ThreadMap a peer uses to create threads on this side of one connection.
class ThreadMapServer final : public mp::ThreadMap::Server {
public:
    explicit ThreadMapServer(std::shared_ptr<ProtocolState> threads) : m_threads(std::move(threads)) {}

protected:
    kj::Promise<void> makeThread(MakeThreadContext context) override;
    kj::Promise<void> makePool(MakePoolContext context) override;

private:
    std::shared_ptr<ProtocolState> m_threads;
    LiveCounter<Live::Capability> m_live;
};

} // namespace mpjava
