#include <mpjava/rpc/listener.h>

#include <kj/debug.h>

#include <algorithm>

#include <sys/socket.h>

namespace mpjava {

namespace {

// Retry delays of a failing accept(): doubling from the first to the last, so a full fd
// table (EMFILE/ENFILE, or ENOBUFS/ENOMEM) neither spins the loop nor floods the log.
constexpr kj::Duration kFirstRetryDelay = 10 * kj::MILLISECONDS;
constexpr kj::Duration kMaxRetryDelay = 1000 * kj::MILLISECONDS;
// Refused peers logged one by one per second; the rest of that second are summed up.
constexpr unsigned kRefusalsLoggedPerSecond = 10;

bool Listed(const std::optional<std::vector<int64_t>>& ids, int64_t id)
{
    return ids && std::find(ids->begin(), ids->end(), id) != ids->end();
}

void ReadPeerCredentials(kj::AsyncIoStream& stream, Peer& peer)
{
    struct ucred cred{};
    kj::uint length = sizeof(cred);
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] { stream.getsockopt(SOL_SOCKET, SO_PEERCRED, &cred, &length); })) {
        return;  // not a Unix socket: the fields stay -1
    }
    if (length != sizeof(cred)) return;
    peer.pid = cred.pid;
    peer.uid = cred.uid;
    peer.gid = cred.gid;
}

} // namespace

void Listener::TaskErrors::taskFailed(kj::Exception&& exception)
{
    m_loop.log(Level::Error, std::string("IPC server: task failed: ") + exception.getDescription().cStr());
}

Listener::Listener(EventLoop& loop, InitFactory make_init, ServerOptions options, ConnectionEvents events)
    : m_loop(loop),
      m_make_init(std::move(make_init)),
      m_options(std::move(options)),
      m_events(std::move(events)),
      m_task_errors(loop),
      m_tasks(kj::heap<kj::TaskSet>(m_task_errors))
{
}

Listener::~Listener() noexcept { teardown(); }

void Listener::listen(kj::Own<kj::ConnectionReceiver> receiver, std::optional<SocketFile> file)
{
    m_receiver = kj::mv(receiver);
    m_file = std::move(file);
    m_accepting_enabled = true;
    acceptNext();
}

// A served stream was handed over by its owner (often a socketpair it made itself, whose
// credentials are its own): the allowlists are for accepted peers only.
void Listener::serve(kj::Own<kj::AsyncIoStream> stream) { onAccepted(kj::mv(stream), false); }

void Listener::acceptNext()
{
    if (!m_receiver || !m_accepting_enabled || m_accept_pending || atCapacity()) return;
    m_accept_pending = true;
    m_tasks->add(m_accept_canceler.wrap(m_receiver->accept())
                     .then(
                         [this](kj::Own<kj::AsyncIoStream> stream) -> kj::Promise<void> {
                             m_accept_pending = false;
                             if (m_episode_failures) acceptRecovered();
                             onAccepted(kj::mv(stream), true);
                             return kj::READY_NOW;
                         },
                         [this](kj::Exception&& e) -> kj::Promise<void> {
                             if (!m_accepting_enabled) {  // cancelled by stopAccepting()
                                 m_accept_pending = false;
                                 return kj::READY_NOW;
                             }
                             // A failed accept must not stop the listener, unlike upstream: wait
                             // and try again, still "pending" so nothing else starts an accept.
                             kj::Duration delay = acceptFailed(e);
                             return m_accept_canceler.wrap(m_loop.io().getTimer().afterDelay(delay))
                                 .then([this] { m_accept_pending = false; acceptNext(); },
                                       [this](kj::Exception&&) { m_accept_pending = false; });
                         }));
}

// The first failure of an episode is logged with its reason; the retries that follow
// are not (a full fd table fails every retry until some fd is closed), only counted.
kj::Duration Listener::acceptFailed(const kj::Exception& e)
{
    ++m_accept_failures;
    if (m_episode_failures++ == 0) {
        m_episode_start = m_loop.io().getTimer().now();
        m_retry_delay = kFirstRetryDelay;
        m_loop.log(Level::Error, std::string("IPC server: accept failed: ") + e.getDescription().cStr() +
                                     "; retrying with backoff (10 ms doubling to 1 s), logged again when it recovers");
    } else {
        m_retry_delay = std::min(m_retry_delay * 2, kMaxRetryDelay);
    }
    return m_retry_delay;
}

void Listener::acceptRecovered()
{
    auto lasted = (m_loop.io().getTimer().now() - m_episode_start) / kj::MILLISECONDS;
    m_loop.log(Level::Info, "IPC server: accepting again after " + std::to_string(m_episode_failures) +
                                " failed attempts over " + std::to_string(lasted) + " ms");
    m_episode_failures = 0;
}

bool Listener::admitted(const Peer& peer)
{
    if (!m_options.allowed_uids && !m_options.allowed_gids) return true;
    if (Listed(m_options.allowed_uids, peer.uid) || Listed(m_options.allowed_gids, peer.gid)) return true;
    logRefused(peer);
    return false;
}

void Listener::logRefused(const Peer& peer)
{
    kj::TimePoint now = m_loop.io().getTimer().now();
    if (now - m_refusal_second >= 1 * kj::SECONDS) {
        sumUpRefusals();
        m_refusal_second = now;
        m_refusals_logged = 0;
    }
    if (m_refusals_logged < kRefusalsLoggedPerSecond) {
        ++m_refusals_logged;
        m_loop.log(Level::Warning, "IPC server: refused connection from pid " + std::to_string(peer.pid) + " uid " +
                                       std::to_string(peer.uid) + " gid " + std::to_string(peer.gid) +
                                       ": neither its uid nor its gid is allowed");
    } else if (m_refusals_unlogged++ == 0) {
        m_tasks->add(m_loop.io().getTimer().atTime(m_refusal_second + 1 * kj::SECONDS).then([this] { sumUpRefusals(); }));
    }
}

void Listener::sumUpRefusals()
{
    if (!m_refusals_unlogged) return;
    m_loop.log(Level::Warning, "IPC server: refused " + std::to_string(m_refusals_unlogged) +
                                   " more connections within a second (not logged one by one)");
    m_refusals_unlogged = 0;
}

void Listener::onAccepted(kj::Own<kj::AsyncIoStream> stream, bool check_peer)
{
    Peer peer;
    ReadPeerCredentials(*stream, peer);
    if (check_peer && !admitted(peer)) {
        stream = nullptr;  // closed before a single byte is read: no slot, no events
        acceptNext();
        return;
    }
    peer.connection_id = m_next_id++;
    KJ_IF_MAYBE (init, makeInit(peer)) {
        ++m_active;
        m_loop.log(Level::Info, "IPC server: socket connected.");
        addConnection(peer, kj::heap<Connection>(m_loop, kj::mv(stream), kj::mv(*init), m_options.flow));
    }
    acceptNext();
}

// The factory may refuse a peer by throwing: it is logged with the reason and closed
// unread, taking no slot and producing no events, like a peer the allowlists refuse.
kj::Maybe<capnp::Capability::Client> Listener::makeInit(const Peer& peer)
{
    std::string reason;
    try {
        return m_make_init(peer);
    } catch (const std::exception& e) {
        reason = e.what();
    } catch (const kj::Exception& e) {
        reason = e.getDescription().cStr();
    }
    m_loop.log(Level::Warning, "IPC server: refused connection from pid " + std::to_string(peer.pid) + " uid " +
                                   std::to_string(peer.uid) + ": " + reason);
    return nullptr;
}

void Listener::addConnection(const Peer& peer, kj::Own<Connection> connection)
{
    const uint64_t id = peer.connection_id;
    auto watch = connection->onDisconnect().then([this, id] {
        // Erase later, outside the network's own callback, as upstream does.
        m_tasks->add(kj::evalLater([this, id] { onDisconnected(id); }));
    }).eagerlyEvaluate(nullptr);  // KJ runs continuations only of promises someone drives
    m_connections.emplace(id, Entry{peer, kj::mv(connection), kj::mv(watch)});
    if (m_events.connected) m_events.connected(peer, m_active.load());
}

void Listener::onDisconnected(uint64_t id)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end()) return;
    Peer peer = it->second.peer;
    m_connections.erase(it);
    m_loop.log(Level::Info, "IPC server: socket disconnected.");
    --m_active;
    if (m_events.disconnected) m_events.disconnected(peer, m_active.load());
    // Leaving capacity restarts exactly one accept (acceptNext keeps at most one pending).
    acceptNext();
    if (!m_accepting_enabled && m_connections.empty()) m_loop.forgetLater(this);
}

void Listener::stopAccepting()
{
    if (!m_tasks) return;  // torn down with its loop
    m_accepting_enabled = false;
    m_accept_canceler.cancel("listener closed");
    removeSocketFile();
    m_receiver = nullptr;
    if (m_connections.empty()) m_loop.forgetLater(this);
}

// Before the listening fd closes, so no client meets a path that refuses it; and only
// if the path is still the file we bound, never a successor's.
void Listener::removeSocketFile()
{
    if (!m_file) return;
    m_file->unlinkIfOurs();
    m_file.reset();
}

void Listener::teardown()
{
    m_accepting_enabled = false;
    m_accept_canceler.cancel("server closed");
    if (m_tasks) m_tasks = nullptr;
    removeSocketFile();
    m_receiver = nullptr;
    m_connections.clear();
    m_active = 0;
}

} // namespace mpjava
