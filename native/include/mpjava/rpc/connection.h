// One two-party Cap'n Proto RPC connection over a stream socket, as libmultiprocess
// builds it: Side::SERVER serves a bootstrap capability, Side::CLIENT serves none.
// Lives on, and is destroyed on, the loop thread.
#pragma once

#include <mpjava/rpc/flow_control.h>
#include <mpjava/runtime/event_loop.h>
#include <mpjava/runtime/stats.h>

#include <capnp/capability.h>
#include <capnp/rpc-twoparty.h>

namespace mpjava {

class Connection {
public:
    // Incoming connection: the peer can bootstrap `init`, within `limits` (flow_control.h).
    Connection(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream, capnp::Capability::Client init,
               FlowLimits limits = {});
    // Outgoing connection: bootstrap() returns the peer's init capability.
    Connection(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    capnp::Capability::Client bootstrap();

    // Resolves when the peer goes away or the stream fails. Call once.
    kj::Promise<void> onDisconnect() { return m_network.onDisconnect(); }

private:
    std::shared_ptr<FlowState> m_flow;  // incoming connections only
    kj::Own<kj::AsyncIoStream> m_stream;
    capnp::TwoPartyVatNetwork m_network;
    kj::Own<capnp::TwoPartyVatNetworkBase> m_flow_network;  // incoming: m_network within m_flow's limits
    kj::Maybe<capnp::RpcSystem<capnp::rpc::twoparty::VatId>> m_rpc;
    LiveCounter<Live::Connection> m_live;
};

// Wraps a connected socket fd (taking ownership) as a KJ stream, and a listening
// socket fd as a receiver of such streams (see unix_stream.h). Loop thread only.
kj::Own<kj::AsyncIoStream> WrapSocket(EventLoop& loop, int fd);
kj::Own<kj::ConnectionReceiver> WrapListener(EventLoop& loop, int fd);

} // namespace mpjava
