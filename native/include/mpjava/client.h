// An outgoing connection and the peer's init capability (ConnectStream), with
// dynamically typed calls. Loop thread only, unless a method says otherwise.
#pragma once

#include <mpjava/connection.h>
#include <mpjava/event_loop.h>

#include <capnp/dynamic.h>

#include <atomic>
#include <functional>

namespace mpjava {

class Client : public LoopResource {
public:
    // on_disconnect runs on the loop thread when the peer goes away unexpectedly.
    Client(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream, capnp::InterfaceSchema schema,
           std::function<void()> on_disconnect = {});
    ~Client() noexcept override;

    capnp::InterfaceSchema schema() const { return m_schema; }

    // Sends a call with a copy of params (a struct of the method's param type).
    // Throws when disconnected or closed, with upstream's message.
    kj::Promise<capnp::Response<capnp::AnyPointer>> call(const capnp::InterfaceSchema::Method& method,
                                                         capnp::DynamicStruct::Reader params);

    // Closes the connection; pending calls fail as disconnected.
    void close();
    void teardown() override;

    // Any thread.
    bool disconnected() const { return m_disconnected.load(); }
    bool isClosed() const { return m_closed.load(); }

private:
    EventLoop& m_loop;
    capnp::InterfaceSchema m_schema;
    kj::Own<Connection> m_connection;
    kj::Maybe<capnp::Capability::Client> m_init;
    kj::Maybe<kj::Promise<void>> m_watch;
    std::function<void()> m_on_disconnect;
    std::atomic<bool> m_disconnected{false};
    std::atomic<bool> m_closed{false};
};

} // namespace mpjava
