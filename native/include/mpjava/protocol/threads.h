// Threads of the libmultiprocess protocol (wire-protocol.md §3-§5): the Thread and
// ThreadMap servers a peer uses to create and name worker threads, and the
// per-connection registry that checks that a `context.thread` is one this side
// created on that connection.
#pragma once

#include <mpjava/protocol/fields.h>
#include <mpjava/rpc/server_options.h>
#include <mpjava/runtime/event_loop.h>
#include <mpjava/runtime/worker.h>

#include <mp/proxy.capnp.h>

#include <capnp/capability.h>
#include <capnp/dynamic.h>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace mpjava {

// How many threads a peer has made on one connection (makeThread, makePool), against
// the connection's limit. A ThreadClaim holds some of them and gives them back when it
// goes, so a peer that releases its threads may make new ones.
struct ThreadCount {
    explicit ThreadCount(std::size_t max) : limit(max) {}
    std::size_t limit;
    std::atomic<std::size_t> used{0};
};

class ThreadClaim {
public:
    ThreadClaim(std::shared_ptr<ThreadCount> count, std::size_t n) : m_count(std::move(count)), m_n(n) {}
    ~ThreadClaim() { m_count->used -= m_n; }
    ThreadClaim(const ThreadClaim&) = delete;
    ThreadClaim& operator=(const ThreadClaim&) = delete;

private:
    std::shared_ptr<ThreadCount> m_count;
    std::size_t m_n;
};

// A Thread capability: a worker thread this side created (owned), or a calling
// thread's waiter (callback thread, not owned).
class ThreadServer final : public mp::Thread::Server {
public:
    ThreadServer(std::string name, std::unique_ptr<WorkerThread> worker, std::unique_ptr<ThreadClaim> claim);
    ThreadServer(std::string name, std::shared_ptr<Waiter> waiter);
    Waiter& waiter() { return *m_waiter; }
    const std::string& name() const { return m_name; }

protected:
    kj::Promise<void> getName(GetNameContext context) override;

private:
    std::string m_name;
    std::unique_ptr<WorkerThread> m_worker;
    std::shared_ptr<Waiter> m_waiter;
    std::unique_ptr<ThreadClaim> m_claim;  // declared after m_worker: returned once the thread is let go
    LiveCounter<Live::Capability> m_live;
};

// Threads of one connection: the servers this side created for the peer.
class ProtocolState {
public:
    // The default per-connection thread limit (ServerOptions::max_threads_per_connection).
    static constexpr std::size_t kDefaultThreadLimit = 64;

    explicit ProtocolState(EventLoop& loop) : m_loop(loop), m_exe(loop.name()) {}

    EventLoop& loop() const { return m_loop; }
    const std::string& exe() const { return m_exe; }
    // The process at the other end (served connections; unknown ids are -1).
    void setPeer(const Peer& peer) { m_peer = peer; }
    const Peer& peer() const { return m_peer; }
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

    // At most `limit` threads made by the peer at once (makeThread plus makePool's count).
    void setThreadLimit(std::size_t limit) { m_thread_count->limit = limit; }
    std::size_t threadLimit() const { return m_thread_count->limit; }
    // Claims `n` more of the peer's threads, or throws the limit's reason. Loop thread only.
    std::unique_ptr<ThreadClaim> claimThreads(std::size_t n, const char* what);

    bool hasPool() const { return m_pool_size > 0; }
    // A pool of up to `size` threads, started as calls need them (makePool).
    void setPool(std::size_t size, std::unique_ptr<ThreadClaim> claim);
    // An idle pool thread, else a new one while the pool is not full, else the least
    // loaded (ties to the lowest index). Loop thread only.
    Waiter& pickPoolThread();

private:
    EventLoop& m_loop;
    std::string m_exe;
    Peer m_peer;
    capnp::CapabilityServerSet<mp::Thread> m_threads;
    std::shared_ptr<ThreadCount> m_thread_count = std::make_shared<ThreadCount>(kDefaultThreadLimit);
    std::size_t m_pool_size = 0;
    std::vector<std::unique_ptr<WorkerThread>> m_pool;  // started ones; live as long as the connection
    std::unique_ptr<ThreadClaim> m_pool_claim;
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
