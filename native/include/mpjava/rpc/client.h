// An outgoing connection and the peer's init capability (ConnectStream), with
// dynamically typed calls. As upstream's client does, it calls `construct` at once
// when the init interface declares it (sending this side's ThreadMap, keeping the
// peer's), and fills every Proxy.Context param for the calling thread.
// Loop thread only, unless a method says otherwise.
#pragma once

#include <mpjava/rpc/connection.h>
#include <mpjava/runtime/event_loop.h>
#include <mpjava/protocol/call.h>
#include <mpjava/protocol/call_status.h>
#include <mpjava/protocol/protocol_state.h>

#include <capnp/dynamic.h>

#include <atomic>
#include <functional>
#include <mutex>

namespace mpjava {

class Client : public LoopResource {
public:
    // on_disconnect runs on the loop thread when the peer goes away unexpectedly;
    // on_constructed when `construct` is answered, with CALL_OK or the failure's status.
    Client(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream, capnp::InterfaceSchema schema,
           std::function<void()> on_disconnect = {}, std::function<void(int status)> on_constructed = {});
    ~Client() noexcept override;

    // Sends a call with a copy of params (a struct of the method's param type).
    // Throws when disconnected or closed, with upstream's message.
    kj::Promise<capnp::Response<capnp::AnyPointer>> call(const capnp::InterfaceSchema::Method& method,
                                                         capnp::DynamicStruct::Reader params,
                                                         const Caller* caller = nullptr);
    kj::Promise<capnp::Response<capnp::AnyPointer>> call(const capnp::InterfaceSchema::Method& method,
                                                         const ParamsBuilder& build, const Caller* caller,
                                                         std::size_t size_hint = 0);

    const std::shared_ptr<ProtocolState>& threads() const { return m_threads; }
    // The peer's init capability; only while usable.
    capnp::Capability::Client init();
    // Why calls cannot be made now (closed, disconnected), if so.
    kj::Maybe<kj::Exception> checkUsable() const;
    // Why `construct` failed ("" if it did not, or was not answered yet); any thread.
    std::string constructFailure() const;

    // Closes the connection: new calls fail at once, pending calls fail as disconnected
    // when it is torn down, on the loop's next turn.
    void close();
    void teardown() override;


private:
    void exchangeThreadMaps();
    void release();  // drops the connection and everything of it
    kj::Promise<std::string> disconnectReason();
    void constructed(int status, std::string failure);  // after the disconnect: what ended it

    EventLoop& m_loop;
    capnp::InterfaceSchema m_schema;
    std::shared_ptr<ProtocolState> m_threads;
    kj::Own<Connection> m_connection;
    kj::Maybe<capnp::Capability::Client> m_init;
    kj::Maybe<kj::Promise<void>> m_watch;
    kj::Maybe<kj::Promise<void>> m_construct;  // the construct call in flight
    kj::Maybe<kj::Promise<void>> m_closing;    // the deferred release after close()
    std::function<void()> m_on_disconnect;
    std::function<void(int)> m_on_constructed;
    mutable std::mutex m_construct_mutex;
    std::string m_construct_failure;  // guarded by m_construct_mutex
    std::string m_disconnect_reason;  // set before m_disconnected; loop thread only
    std::atomic<bool> m_disconnected{false};
    std::atomic<bool> m_closed{false};
};

} // namespace mpjava
