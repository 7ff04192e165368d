#include <mpjava/rpc/client.h>

#include <mpjava/protocol/thread_map.h>

#include <kj/debug.h>

namespace mpjava {

Client::Client(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream, capnp::InterfaceSchema schema,
               std::function<void()> on_disconnect, std::function<void(int status)> on_constructed)
    : m_loop(loop),
      m_schema(schema),
      m_threads(std::make_shared<ProtocolState>(loop)),
      m_connection(kj::heap<Connection>(loop, kj::mv(stream))),
      m_on_disconnect(std::move(on_disconnect)),
      m_on_constructed(std::move(on_constructed))
{
    m_init = m_connection->bootstrap();
    exchangeThreadMaps();
    m_watch = m_connection->onDisconnect()
                  .then([this] { return disconnectReason(); })
                  .then([this](std::string reason) {
                      if (m_closed) return;
                      m_disconnect_reason = reason;
                      m_disconnected = true;
                      m_loop.log(Level::Warning, "IPC client: unexpected network disconnect. (" + reason + ")");
                      if (m_on_disconnect) m_on_disconnect();
                  })
                  .eagerlyEvaluate(nullptr);  // KJ runs continuations only of promises someone drives
}

kj::Promise<std::string> Client::disconnectReason()
{
    // The RPC system keeps why it disconnected (the peer hung up, sent bytes that are no
    // Cap'n Proto message, ...) and fails every new call with it: ask with a call that
    // cannot go out (were the connection still up, a method no interface has).
    KJ_IF_MAYBE(init, m_init) {
        return init->typelessRequest(m_schema.getProto().getId(), 0xffff, nullptr).send().then(
            [](capnp::Response<capnp::AnyPointer>&&) -> std::string { return "the connection ended"; },
            [](kj::Exception&& e) -> std::string { return e.getDescription().cStr(); });
    }
    return std::string("the client was closed");
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
            // Its answer says whether the peer serves this interface at all: a peer of
            // another one answers "Requested interface not implemented", naming its own.
            m_construct = sent.ignoreResult()
                              .then([this] { constructed(CALL_OK, ""); },
                                    [this](kj::Exception&& e) {
                                        std::string text = e.getDescription().cStr();
                                        m_loop.log(Level::Warning, "IPC client: construct failed: " + text);
                                        constructed(e.getType() == kj::Exception::Type::DISCONNECTED    ? CALL_DISCONNECTED
                                                    : e.getType() == kj::Exception::Type::UNIMPLEMENTED ? CALL_UNIMPLEMENTED
                                                                                                        : CALL_FAILED,
                                                    text);
                                    })
                              .eagerlyEvaluate(nullptr);
        }
    }
}

void Client::constructed(int status, std::string failure)
{
    {
        std::lock_guard<std::mutex> lock(m_construct_mutex);
        m_construct_failure = std::move(failure);
    }
    if (m_on_constructed) m_on_constructed(status);
}

std::string Client::constructFailure() const
{
    std::lock_guard<std::mutex> lock(m_construct_mutex);
    return m_construct_failure;
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
    if (m_disconnected) {
        return kj::Exception(kj::Exception::Type::DISCONNECTED, __FILE__, __LINE__,
                             kj::str("IPC client method called after disconnect. (", m_disconnect_reason, ")"));
    }
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
