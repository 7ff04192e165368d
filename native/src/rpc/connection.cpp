#include <mpjava/rpc/connection.h>

#include <mpjava/io/unix_stream.h>

#include <capnp/rpc.capnp.h>

#include <algorithm>

namespace mpjava {

Connection::Connection(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream, capnp::Capability::Client init,
                       FlowLimits limits)
    : m_flow(std::make_shared<FlowState>(limits, [&loop](const std::string& reason) {
          loop.log(Level::Warning, "IPC server: disconnecting a peer: " + reason);
      })),
      m_stream(MakeFlowStream(kj::mv(stream), m_flow)),
      m_network(*m_stream, capnp::rpc::twoparty::Side::SERVER, capnp::ReaderOptions()),
      m_flow_network(MakeFlowNetwork(m_network, m_flow))
{
    auto& rpc = m_rpc.emplace(capnp::makeRpcServer(*m_flow_network, kj::mv(init)));
    rpc.setFlowLimit(std::max<std::size_t>(1, limits.max_in_flight_bytes / sizeof(capnp::word)));
}

Connection::Connection(EventLoop& loop, kj::Own<kj::AsyncIoStream> stream)
    : m_stream(kj::mv(stream)),
      m_network(*m_stream, capnp::rpc::twoparty::Side::CLIENT, capnp::ReaderOptions())
{
    m_rpc.emplace(capnp::makeRpcClient(m_network));
}

Connection::~Connection()
{
    // Drop the RPC state first (it releases every capability of this connection),
    // then tell the peer we are done writing, as upstream v14 does.
    m_rpc = nullptr;
    m_flow_network = nullptr;
    KJ_IF_MAYBE(e, kj::runCatchingExceptions([&] { m_stream->shutdownWrite(); })) {
        (void)e;  // ENOTCONN / UNIMPLEMENTED when the peer is already gone: nothing to do.
    }
}

capnp::Capability::Client Connection::bootstrap()
{
    capnp::word scratch[4];
    memset(scratch, 0, sizeof(scratch));
    capnp::MallocMessageBuilder message(scratch);
    auto vat_id = message.getRoot<capnp::rpc::twoparty::VatId>();
    vat_id.setSide(capnp::rpc::twoparty::Side::SERVER);
    KJ_IF_MAYBE(rpc, m_rpc) {
        return rpc->bootstrap(vat_id);
    }
    KJ_FAIL_REQUIRE("connection is closed");
}

kj::Own<kj::AsyncIoStream> WrapSocket(EventLoop& loop, int fd)
{
    return WrapUnixStream(loop.eventPort(), fd);
}

kj::Own<kj::ConnectionReceiver> WrapListener(EventLoop& loop, int fd) { return WrapUnixListener(loop.eventPort(), fd); }

} // namespace mpjava
