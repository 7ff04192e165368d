// A Listener owns incoming connections, fed by a listening socket (ListenConnections,
// with an optional connection limit) or by a connected fd (ServeStream), and gives
// each a fresh init capability. Loop thread only, unless a method says otherwise.
#pragma once

#include <mpjava/io/sockets.h>
#include <mpjava/rpc/connection.h>
#include <mpjava/rpc/server_options.h>
#include <mpjava/runtime/stats.h>
#include <mpjava/runtime/event_loop.h>

#include <capnp/capability.h>

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>

namespace mpjava {

struct ConnectionEvents {
    // Both get the connection's peer (its id is unique per server) and the active count
    // after the change. Peers refused by the allowlists produce neither.
    std::function<void(const Peer& peer, std::size_t active)> connected;
    std::function<void(const Peer& peer, std::size_t active)> disconnected;
};

class Listener : public LoopResource {
    LiveCounter<Live::Listener> m_live;

public:
    // Called once per accepted connection for the init capability it serves; a throw
    // refuses the connection (logged with the exception's text).
    using InitFactory = std::function<capnp::Capability::Client(const Peer&)>;

    Listener(EventLoop& loop, InitFactory make_init, ServerOptions options, ConnectionEvents events);
    ~Listener() noexcept override;

    // Starts accepting from a listening socket (ListenConnections). With a file (the
    // server bound it), the file is unlinked when accepting stops, if it is still ours.
    void listen(kj::Own<kj::ConnectionReceiver> receiver, std::optional<SocketFile> file = std::nullopt);
    // Serves one already connected stream (ServeStream); it counts towards the limit.
    void serve(kj::Own<kj::AsyncIoStream> stream);
    // Stops accepting and closes the listening socket; served connections go on.
    void stopAccepting();
    void teardown() override;

    // Any thread.
    std::size_t activeConnections() const { return m_active.load(); }
    // Failed accept() calls so far (each retry counts).
    uint64_t acceptFailures() const { return m_accept_failures.load(); }

private:
    bool atCapacity() const { return m_options.max_connections && m_active.load() >= *m_options.max_connections; }
    void acceptNext();
    kj::Duration acceptFailed(const kj::Exception& e);
    void acceptRecovered();
    bool admitted(const Peer& peer);
    void logRefused(const Peer& peer);
    void sumUpRefusals();
    void onAccepted(kj::Own<kj::AsyncIoStream> stream, bool check_peer);
    kj::Maybe<capnp::Capability::Client> makeInit(const Peer& peer);
    void addConnection(const Peer& peer, kj::Own<Connection> connection);
    void onDisconnected(uint64_t id);
    void removeSocketFile();

    struct Entry {
        Peer peer;
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
    ServerOptions m_options;
    ConnectionEvents m_events;
    kj::Own<kj::ConnectionReceiver> m_receiver;
    kj::Canceler m_accept_canceler;
    bool m_accept_pending = false;  // invariant: at most one accept (or retry delay) in flight
    std::optional<SocketFile> m_file;
    // The current episode of failing accepts (see Listener::acceptFailed): its retry delay,
    // failures and start; no failures: accepting works.
    kj::Duration m_retry_delay = 0 * kj::MILLISECONDS;
    uint64_t m_episode_failures = 0;
    kj::TimePoint m_episode_start = kj::origin<kj::TimePoint>();
    std::atomic<uint64_t> m_accept_failures{0};
    // Refused peers are logged one by one up to a rate, the rest summed up per second,
    // so a peer reconnecting in a loop cannot flood the log.
    kj::TimePoint m_refusal_second = kj::origin<kj::TimePoint>();
    unsigned m_refusals_logged = 0;
    uint64_t m_refusals_unlogged = 0;
    std::map<uint64_t, Entry> m_connections;
    uint64_t m_next_id = 1;
    std::atomic<std::size_t> m_active{0};
    std::atomic<bool> m_accepting_enabled{false};
    TaskErrors m_task_errors;
    kj::Own<kj::TaskSet> m_tasks;
};

} // namespace mpjava
