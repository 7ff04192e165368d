// Flow control of one server connection: how much a peer can make the server hold.
//
// Cap'n Proto 0.9.2's TwoPartyVatNetwork reads the next message as soon as the RPC
// system asks, whatever is waiting to be written, and queues every outgoing message in
// a promise chain with no bound: a peer that pipelines calls and never reads the
// answers grows the server without limit. So the server side of a Connection sits
// between the RPC system and that network (FlowNetwork) and between the network and
// the socket (FlowStream), and keeps per connection:
//   - calls in flight: Call/Bootstrap messages read whose Return is not sent yet;
//   - queued outgoing bytes: messages sent by the RPC system whose write has not
//     completed, each charged at least its first segment (what it holds in memory).
// While calls in flight reach their limit or queued bytes exceed the pause bound,
// no further message is read from that peer (backpressure: its socket fills, its
// writes block); reading resumes as replies drain. A peer whose queue exceeds the hard
// bound while an earlier message is still unwritten is disconnected with a logged
// reason. Nothing here is shared between connections. Loop thread only.
#pragma once

#include <mpjava/rpc/server_options.h>

#include <capnp/rpc-twoparty.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace mpjava {

// The per-connection counters and the read gate.
class FlowState {
public:
    using Log = std::function<void(const std::string& reason)>;
    FlowState(FlowLimits limits, Log disconnect_log) : m_limits(limits), m_log(std::move(disconnect_log)) {}

    // An incoming message was read; counts it if it is a call.
    void received(capnp::IncomingRpcMessage& message);
    // The RPC system sent `message` (not yet written) charged `bytes`.
    void queued(capnp::OutgoingRpcMessage& message, std::size_t bytes);
    // The oldest queued message has been written to the socket.
    void written();

    // The stream under the connection, watched for the peer's hang-up while paused.
    void attach(kj::AsyncIoStream& stream) { m_stream = &stream; }
    // Resolves when another message may be read, or the peer hung up (the read then
    // sees the end); rejects once the peer is cut off.
    kj::Promise<void> whenReadAllowed();
    // Cuts the peer off and logs why: pending and later reads and writes fail.
    void disconnect(const std::string& reason);
    // The same without a log line: a write failed, the peer is gone anyway.
    void cutOff(const std::string& reason);

    kj::Canceler& canceler() { return m_canceler; }
    bool disconnected() const { return m_disconnected; }
    std::size_t inFlightCalls() const { return m_in_flight; }
    std::size_t queuedBytes() const { return m_queued_bytes; }

private:
    bool readAllowed() const;
    void maybeResume();

    FlowLimits m_limits;
    Log m_log;
    kj::AsyncIoStream* m_stream = nullptr;
    std::size_t m_in_flight = 0;
    std::size_t m_queued_bytes = 0;
    std::deque<std::size_t> m_charges;  // one per queued message, oldest first
    kj::Maybe<kj::Own<kj::PromiseFulfiller<void>>> m_paused_read;
    bool m_disconnected = false;
    kj::Canceler m_canceler;  // wraps every pending read and write of the stream
};

// The stream under a server connection: counts completed writes and fails everything
// once the FlowState disconnected the peer.
kj::Own<kj::AsyncIoStream> MakeFlowStream(kj::Own<kj::AsyncIoStream> inner, std::shared_ptr<FlowState> state);

// The network the RPC system of a server connection talks to: TwoPartyVatNetwork with
// the read gate and the message accounting of `state` in between.
kj::Own<capnp::TwoPartyVatNetworkBase> MakeFlowNetwork(capnp::TwoPartyVatNetworkBase& inner,
                                                        std::shared_ptr<FlowState> state);

} // namespace mpjava
