#include <mpjava/client.h>

#include <kj/debug.h>

namespace mpjava {

Client::Client(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream, capnp::InterfaceSchema schema,
               std::function<void()> on_disconnect)
    : m_loop(loop),
      m_schema(schema),
      m_connection(kj::heap<Connection>(loop, kj::mv(stream))),
      m_on_disconnect(std::move(on_disconnect))
{
    m_init = m_connection->bootstrap();
    m_watch = m_connection->onDisconnect().then([this] {
        if (m_closed) return;
        m_disconnected = true;
        m_loop.log(Level::Warning, "IPC client: unexpected network disconnect.");
        if (m_on_disconnect) m_on_disconnect();
    }).eagerlyEvaluate(nullptr);  // KJ runs continuations only of promises someone drives
}

Client::~Client() noexcept { teardown(); }

kj::Promise<capnp::Response<capnp::AnyPointer>> Client::call(const capnp::InterfaceSchema::Method& method,
                                                               capnp::DynamicStruct::Reader params)
{
    if (m_closed) {
        return KJ_EXCEPTION(DISCONNECTED, "IPC client method called after the client was closed.");
    }
    if (m_disconnected) return KJ_EXCEPTION(DISCONNECTED, "IPC client method called after disconnect.");
    KJ_IF_MAYBE(init, m_init) {
        auto size = params.totalSize();
        size.wordCount += 4;  // room for the root pointer and struct header
        auto request = init->typelessRequest(method.getContainingInterface().getProto().getId(),
                                             method.getIndex(), size);
        request.setAs<capnp::DynamicStruct>(params);
        return request.send();
    }
    return KJ_EXCEPTION(DISCONNECTED, "IPC client method called after the client was closed.");
}

void Client::close()
{
    if (m_closed) return;  // already closed, or torn down with its loop
    teardown();
    m_loop.forgetLater(this);
}

void Client::teardown()
{
    m_closed = true;
    m_watch = nullptr;
    m_init = nullptr;
    m_connection = nullptr;
}

} // namespace mpjava
