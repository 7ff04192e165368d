#include <mpjava/rpc/listener.h>

#include <kj/debug.h>

#include <sys/socket.h>

namespace mpjava {

namespace {

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

void Listener::listen(kj::Own<kj::ConnectionReceiver> receiver)
{
    m_receiver = kj::mv(receiver);
    m_accepting_enabled = true;
    acceptNext();
}

void Listener::serve(kj::Own<kj::AsyncIoStream> stream) { onAccepted(kj::mv(stream)); }

void Listener::acceptNext()
{
    if (!m_receiver || !m_accepting_enabled || m_accept_pending || atCapacity()) return;
    m_accept_pending = true;
    m_tasks->add(m_accept_canceler.wrap(m_receiver->accept())
                     .then(
                         [this](kj::Own<kj::AsyncIoStream> stream) -> kj::Promise<void> {
                             m_accept_pending = false;
                             onAccepted(kj::mv(stream));
                             return kj::READY_NOW;
                         },
                         [this](kj::Exception&& e) -> kj::Promise<void> {
                             m_accept_pending = false;
                             if (!m_accepting_enabled) return kj::READY_NOW;  // cancelled by stopAccepting()
                             // A failed accept (EMFILE, a peer gone early on some systems) must not
                             // stop the listener, unlike upstream: log and try again shortly.
                             m_loop.log(Level::Error,
                                        std::string("IPC server: accept failed: ") + e.getDescription().cStr());
                             return m_loop.io().getTimer().afterDelay(10 * kj::MILLISECONDS).then([this] {
                                 acceptNext();
                             });
                         }));
}

void Listener::onAccepted(kj::Own<kj::AsyncIoStream> stream)
{
    Peer peer;
    peer.connection_id = m_next_id++;
    ReadPeerCredentials(*stream, peer);
    const uint64_t id = peer.connection_id;
    ++m_active;
    m_loop.log(Level::Info, "IPC server: socket connected.");
    auto connection = kj::heap<Connection>(m_loop, kj::mv(stream), m_make_init(peer), m_options.flow);
    auto watch = connection->onDisconnect().then([this, id] {
        // Erase later, outside the network's own callback, as upstream does.
        m_tasks->add(kj::evalLater([this, id] { onDisconnected(id); }));
    }).eagerlyEvaluate(nullptr);  // KJ runs continuations only of promises someone drives
    m_connections.emplace(id, Entry{kj::mv(connection), kj::mv(watch)});
    if (m_events.connected) m_events.connected(id, m_active.load());
    acceptNext();
}

void Listener::onDisconnected(uint64_t id)
{
    auto it = m_connections.find(id);
    if (it == m_connections.end()) return;
    m_connections.erase(it);
    m_loop.log(Level::Info, "IPC server: socket disconnected.");
    --m_active;
    if (m_events.disconnected) m_events.disconnected(id, m_active.load());
    // Leaving capacity restarts exactly one accept (acceptNext keeps at most one pending).
    acceptNext();
    if (!m_accepting_enabled && m_connections.empty()) m_loop.forgetLater(this);
}

void Listener::stopAccepting()
{
    if (!m_tasks) return;  // torn down with its loop
    m_accepting_enabled = false;
    m_accept_canceler.cancel("listener closed");
    m_receiver = nullptr;
    if (m_connections.empty()) m_loop.forgetLater(this);
}

void Listener::teardown()
{
    m_accepting_enabled = false;
    m_accept_canceler.cancel("server closed");
    if (m_tasks) m_tasks = nullptr;
    m_receiver = nullptr;
    m_connections.clear();
    m_active = 0;
}

} // namespace mpjava
