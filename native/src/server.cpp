#include <mpjava/server.h>

#include <kj/debug.h>

#include <exception>

namespace mpjava {

namespace {

std::string ExceptionText(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (const kj::Exception& e) {
        return e.getDescription().cStr();
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

class DynamicServer final : public capnp::DynamicCapability::Server {
public:
    DynamicServer(EventLoop& loop, capnp::InterfaceSchema schema, std::shared_ptr<CallHandler> handler)
        : capnp::DynamicCapability::Server(schema), m_loop(loop), m_handler(std::move(handler))
    {
    }

    kj::Promise<void> call(capnp::InterfaceSchema::Method method,
                           capnp::CallContext<capnp::DynamicStruct, capnp::DynamicStruct> context) override
    {
        const uint64_t request = ++m_requests;
        const bool debug = m_loop.logEnabled(Level::Debug);
        std::string type;
        if (debug) {
            type = std::string(method.getContainingInterface().getShortDisplayName().cStr()) + "." +
                   method.getProto().getName().cStr();
            m_loop.log(Level::Debug, "IPC server recv request  #" + std::to_string(request) + " " + type + "$Params");
        }
        try {
            m_handler->call(method, context.getParams(), context.getResults());
        } catch (...) {
            std::string text = ExceptionText(std::current_exception());
            m_loop.log(Level::Error, "IPC server unhandled exception: " + text);
            return KJ_EXCEPTION(FAILED, text);
        }
        if (debug) {
            m_loop.log(Level::Debug, "IPC server send response #" + std::to_string(request) + " " + type + "$Results");
        }
        return kj::READY_NOW;
    }

private:
    EventLoop& m_loop;
    std::shared_ptr<CallHandler> m_handler;
    uint64_t m_requests = 0;
};

} // namespace

capnp::Capability::Client MakeDynamicServer(EventLoop& loop, capnp::InterfaceSchema schema,
                                            std::shared_ptr<CallHandler> handler)
{
    return kj::heap<DynamicServer>(loop, schema, std::move(handler));
}

void Server::TaskErrors::taskFailed(kj::Exception&& exception)
{
    m_loop.log(Level::Error, std::string("IPC server: task failed: ") + exception.getDescription().cStr());
}

Server::Server(EventLoop& loop, InitFactory make_init, std::optional<std::size_t> max_connections, ServerEvents events)
    : m_loop(loop),
      m_make_init(std::move(make_init)),
      m_max(max_connections),
      m_events(std::move(events)),
      m_task_errors(loop),
      m_tasks(kj::heap<kj::TaskSet>(m_task_errors))
{
}

Server::~Server() noexcept { teardown(); }

void Server::listen(kj::Own<kj::ConnectionReceiver> receiver)
{
    m_receiver = kj::mv(receiver);
    m_accepting_enabled = true;
    acceptNext();
}

void Server::serve(kj::Own<kj::AsyncIoStream> stream) { onAccepted(kj::mv(stream)); }

void Server::acceptNext()
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

void Server::onAccepted(kj::Own<kj::AsyncIoStream> stream)
{
    const uint64_t id = m_next_id++;
    ++m_active;
    m_loop.log(Level::Info, "IPC server: socket connected.");
    auto connection = kj::heap<Connection>(m_loop, kj::mv(stream), m_make_init());
    auto watch = connection->onDisconnect().then([this, id] {
        // Erase later, outside the network's own callback, as upstream does.
        m_tasks->add(kj::evalLater([this, id] { onDisconnected(id); }));
    }).eagerlyEvaluate(nullptr);  // KJ runs continuations only of promises someone drives
    m_connections.emplace(id, Entry{kj::mv(connection), kj::mv(watch)});
    if (m_events.connected) m_events.connected(id, m_active.load());
    acceptNext();
}

void Server::onDisconnected(uint64_t id)
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

void Server::stopAccepting()
{
    if (!m_tasks) return;  // torn down with its loop
    m_accepting_enabled = false;
    m_accept_canceler.cancel("listener closed");
    m_receiver = nullptr;
    if (m_connections.empty()) m_loop.forgetLater(this);
}

void Server::teardown()
{
    m_accepting_enabled = false;
    m_accept_canceler.cancel("server closed");
    if (m_tasks) m_tasks = nullptr;
    m_receiver = nullptr;
    m_connections.clear();
    m_active = 0;
}

} // namespace mpjava
