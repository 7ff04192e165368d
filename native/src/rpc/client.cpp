#include <mpjava/rpc/client.h>

#include <mpjava/protocol/thread_map.h>

#include <kj/debug.h>

namespace mpjava {

Client::Client(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream, capnp::InterfaceSchema schema,
               std::function<void()> on_disconnect)
    : m_loop(loop),
      m_schema(schema),
      m_threads(std::make_shared<ProtocolState>(loop)),
      m_connection(kj::heap<Connection>(loop, kj::mv(stream))),
      m_on_disconnect(std::move(on_disconnect))
{
    m_init = m_connection->bootstrap();
    exchangeThreadMaps();
    m_watch = m_connection->onDisconnect().then([this] {
        if (m_closed) return;
        m_disconnected = true;
        m_loop.log(Level::Warning, "IPC client: unexpected network disconnect.");
        if (m_on_disconnect) m_on_disconnect();
    }).eagerlyEvaluate(nullptr);  // KJ runs continuations only of promises someone drives
}

Client::~Client() noexcept { teardown(); }

void Client::exchangeThreadMaps()
{
    KJ_IF_MAYBE(method, m_schema.findMethodByName("construct")) {
        KJ_IF_MAYBE(init, m_init) {
            auto request = init->castAs<capnp::DynamicCapability>(m_schema).newRequest(*method);
            for (auto field : m_threads->fieldsOf(method->getParamType()).thread_maps) {
                request.set(field, capnp::Capability::Client(kj::heap<ThreadMapServer>(m_threads))
                                       .castAs<capnp::DynamicCapability>(field.getType().asInterface()));
            }
            auto sent = request.send();
            for (auto field : m_threads->fieldsOf(method->getResultType()).thread_maps) {
                // Pipelined: later makeThread calls go out without waiting for construct.
                m_threads->callers().setPeerThreadMap(sent.get(field).releaseAs<capnp::DynamicCapability>());
            }
            m_construct = sent.ignoreResult().eagerlyEvaluate([this](kj::Exception&& e) {
                m_loop.log(Level::Warning, std::string("IPC client: construct failed: ") + e.getDescription().cStr());
            });
        }
    }
}

kj::Promise<capnp::Response<capnp::AnyPointer>> Client::call(const capnp::InterfaceSchema::Method& method,
                                                               const ParamsBuilder& build, const Caller* caller,
                                                               std::size_t size_hint)
{
    KJ_IF_MAYBE(failure, checkUsable()) {
        return kj::mv(*failure);
    }
    return SendCall(KJ_ASSERT_NONNULL(m_init), method, build, caller, m_threads, size_hint);
}

kj::Promise<capnp::Response<capnp::AnyPointer>> Client::call(const capnp::InterfaceSchema::Method& method,
                                                               capnp::DynamicStruct::Reader params,
                                                               const Caller* caller)
{
    return call(method, [params](capnp::AnyPointer::Builder root) { root.setAs<capnp::DynamicStruct>(params); }, caller,
                params.totalSize().wordCount * sizeof(capnp::word));
}

kj::Maybe<kj::Exception> Client::checkUsable() const
{
    if (m_closed || m_init == nullptr) {
        return KJ_EXCEPTION(DISCONNECTED, "IPC client method called after the client was closed.");
    }
    if (m_disconnected) return KJ_EXCEPTION(DISCONNECTED, "IPC client method called after disconnect.");
    return nullptr;
}

capnp::Capability::Client Client::init() { return KJ_ASSERT_NONNULL(m_init); }

void Client::close()
{
    if (m_closed) return;  // already closed, or torn down with its loop
    m_closed = true;       // calls fail from now on
    // The connection goes on a later turn: close() may run inside a call this very
    // connection is dispatching (a callback, an event), whose frames must not vanish.
    // Held here, so destroying the Client first cancels it.
    m_closing = kj::evalLater([this] {
        release();
        m_loop.forgetLater(this);
    }).eagerlyEvaluate(nullptr);
}

void Client::teardown()
{
    release();
    m_closing = nullptr;
}

void Client::release()
{
    m_closed = true;
    m_watch = nullptr;
    m_construct = nullptr;
    m_threads->clear();
    m_init = nullptr;
    m_connection = nullptr;
}

} // namespace mpjava
