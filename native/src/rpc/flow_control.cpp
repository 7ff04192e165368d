#include <mpjava/rpc/flow_control.h>

#include <capnp/rpc.capnp.h>
#include <kj/debug.h>

#include <algorithm>

namespace mpjava {

namespace {

using capnp::rpc::Message;

// The type of an RPC message, or nullptr for one the RPC system will reject anyway.
kj::Maybe<Message::Which> TypeOf(capnp::AnyPointer::Reader body)
{
    kj::Maybe<Message::Which> type;
    KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] { type = body.getAs<Message>().which(); })) {
        (void)e;
    }
    return type;
}

kj::Exception CutOff(const std::string& reason) { return KJ_EXCEPTION(DISCONNECTED, "peer disconnected", reason); }

} // namespace

void FlowState::received(capnp::IncomingRpcMessage& message)
{
    KJ_IF_MAYBE (type, TypeOf(message.getBody())) {
        if (*type == Message::CALL || *type == Message::BOOTSTRAP) ++m_in_flight;
    }
}

void FlowState::queued(capnp::OutgoingRpcMessage& message, std::size_t bytes)
{
    KJ_IF_MAYBE (type, TypeOf(message.getBody().asReader())) {
        // Every Call and Bootstrap is answered by exactly one Return.
        if (*type == Message::RETURN && m_in_flight > 0) --m_in_flight;
    }
    const bool behind = !m_charges.empty();  // an earlier message is still unwritten
    m_charges.push_back(bytes);
    m_queued_bytes += bytes;
    if (behind && m_queued_bytes > m_limits.max_outgoing_bytes) {
        disconnect("the peer does not read its replies: " + std::to_string(m_queued_bytes) +
                   " bytes queued, more than maxOutgoingBytes=" + std::to_string(m_limits.max_outgoing_bytes));
        return;
    }
    maybeResume();
}

void FlowState::written()
{
    if (m_charges.empty()) return;
    m_queued_bytes -= m_charges.front();
    m_charges.pop_front();
    maybeResume();
}

bool FlowState::readAllowed() const
{
    return m_in_flight < m_limits.max_in_flight_calls && m_queued_bytes <= m_limits.outgoing_pause_bytes;
}

kj::Promise<void> FlowState::whenReadAllowed()
{
    if (m_disconnected) return CutOff("connection cut off");
    if (readAllowed()) return kj::READY_NOW;
    auto paf = kj::newPromiseAndFulfiller<void>();
    m_paused_read = kj::mv(paf.fulfiller);
    // A paused peer that leaves must still be noticed, though its replies may never
    // drain and its calls never end.
    if (m_stream == nullptr) return kj::mv(paf.promise);
    return paf.promise.exclusiveJoin(m_stream->whenWriteDisconnected());
}

void FlowState::maybeResume()
{
    if (!readAllowed()) return;
    KJ_IF_MAYBE (paused, m_paused_read) {
        auto fulfiller = kj::mv(*paused);
        m_paused_read = nullptr;
        fulfiller->fulfill();
    }
}

void FlowState::disconnect(const std::string& reason)
{
    if (m_disconnected) return;
    if (m_log) m_log(reason);
    cutOff(reason);
}

void FlowState::cutOff(const std::string& reason)
{
    if (m_disconnected) return;
    m_disconnected = true;
    KJ_IF_MAYBE (paused, m_paused_read) {
        auto fulfiller = kj::mv(*paused);
        m_paused_read = nullptr;
        fulfiller->reject(CutOff(reason));
    }
    // Fails the read and the blocked write the network waits on, so the RPC system
    // ends the connection now instead of waiting for a peer that does not read.
    m_canceler.cancel(reason);
}

namespace {

class FlowStream final : public kj::AsyncIoStream {
public:
    FlowStream(kj::Own<kj::AsyncIoStream> inner, std::shared_ptr<FlowState> state)
        : m_inner(kj::mv(inner)), m_state(kj::mv(state))
    {
        m_state->attach(*m_inner);
    }

    kj::Promise<size_t> tryRead(void* buffer, size_t min_bytes, size_t max_bytes) override
    {
        if (m_state->disconnected()) return CutOff("connection cut off");
        return m_state->canceler().wrap(m_inner->tryRead(buffer, min_bytes, max_bytes));
    }

    // The network writes each message with one call, in the order it sent them.
    kj::Promise<void> write(const void* buffer, size_t size) override { return counted(m_inner->write(buffer, size)); }
    kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override
    {
        return counted(m_inner->write(pieces));
    }

    kj::Promise<void> whenWriteDisconnected() override { return m_inner->whenWriteDisconnected(); }
    void shutdownWrite() override { m_inner->shutdownWrite(); }
    void abortRead() override { m_inner->abortRead(); }
    void getsockopt(int level, int option, void* value, kj::uint* length) override
    {
        m_inner->getsockopt(level, option, value, length);
    }
    void setsockopt(int level, int option, const void* value, kj::uint length) override
    {
        m_inner->setsockopt(level, option, value, length);
    }
    void getsockname(struct sockaddr* addr, kj::uint* length) override { m_inner->getsockname(addr, length); }
    void getpeername(struct sockaddr* addr, kj::uint* length) override { m_inner->getpeername(addr, length); }
    kj::Maybe<int> getFd() const override { return m_inner->getFd(); }

private:
    kj::Promise<void> counted(kj::Promise<void> write)
    {
        if (m_state->disconnected()) return CutOff("connection cut off");
        // A failed write ends the connection: the network would wait for its read to fail,
        // which never comes while reading is paused.
        return m_state->canceler().wrap(kj::mv(write)).then([state = m_state] { state->written(); },
                                                             [state = m_state](kj::Exception&& e) {
                                                                 state->cutOff(e.getDescription().cStr());
                                                                 kj::throwRecoverableException(kj::mv(e));
                                                             });
    }

    kj::Own<kj::AsyncIoStream> m_inner;
    std::shared_ptr<FlowState> m_state;
};

class FlowOutgoingMessage final : public capnp::OutgoingRpcMessage {
public:
    FlowOutgoingMessage(kj::Own<capnp::OutgoingRpcMessage> inner, std::shared_ptr<FlowState> state, kj::uint first_words)
        : m_inner(kj::mv(inner)), m_state(kj::mv(state)), m_first_words(first_words)
    {
    }

    capnp::AnyPointer::Builder getBody() override { return m_inner->getBody(); }
    void setFds(kj::Array<int> fds) override { m_inner->setFds(kj::mv(fds)); }
    size_t sizeInWords() override { return m_inner->sizeInWords(); }

    void send() override
    {
        // Charged what it holds until written: a builder allocates its first segment
        // whole (Cap'n Proto's default 8 KiB), however small the message is.
        const size_t first = m_first_words == 0 ? capnp::SUGGESTED_FIRST_SEGMENT_WORDS : m_first_words;
        const size_t words = std::max(first, m_inner->sizeInWords());
        m_inner->send();  // throws, unqueued, for a message over the size limit
        m_state->queued(*m_inner, words * sizeof(capnp::word));
    }

private:
    kj::Own<capnp::OutgoingRpcMessage> m_inner;
    std::shared_ptr<FlowState> m_state;
    kj::uint m_first_words;
};

class FlowConnection final : public capnp::TwoPartyVatNetworkBase::Connection {
public:
    FlowConnection(kj::Own<capnp::TwoPartyVatNetworkBase::Connection> inner, std::shared_ptr<FlowState> state)
        : m_inner(kj::mv(inner)), m_state(kj::mv(state))
    {
    }

    kj::Own<capnp::RpcFlowController> newStream() override { return m_inner->newStream(); }
    capnp::rpc::twoparty::VatId::Reader getPeerVatId() override { return m_inner->getPeerVatId(); }
    kj::Promise<void> shutdown() override { return m_inner->shutdown(); }

    kj::Own<capnp::OutgoingRpcMessage> newOutgoingMessage(kj::uint first_words) override
    {
        return kj::heap<FlowOutgoingMessage>(m_inner->newOutgoingMessage(first_words), m_state, first_words);
    }

    kj::Promise<kj::Maybe<kj::Own<capnp::IncomingRpcMessage>>> receiveIncomingMessage() override
    {
        // The gate comes before the read: a paused peer's bytes stay in its socket.
        return m_state->whenReadAllowed()
            .then([this] { return m_inner->receiveIncomingMessage(); })
            .then([state = m_state](kj::Maybe<kj::Own<capnp::IncomingRpcMessage>>&& message) {
                KJ_IF_MAYBE (m, message) state->received(**m);
                return kj::mv(message);
            });
    }

private:
    kj::Own<capnp::TwoPartyVatNetworkBase::Connection> m_inner;
    std::shared_ptr<FlowState> m_state;
};

class FlowNetwork final : public capnp::TwoPartyVatNetworkBase {
public:
    FlowNetwork(capnp::TwoPartyVatNetworkBase& inner, std::shared_ptr<FlowState> state)
        : m_inner(inner), m_state(kj::mv(state))
    {
    }

    kj::Maybe<kj::Own<Connection>> connect(capnp::rpc::twoparty::VatId::Reader host) override
    {
        KJ_IF_MAYBE (connection, m_inner.connect(host)) {
            return kj::Own<Connection>(kj::heap<FlowConnection>(kj::mv(*connection), m_state));
        }
        return nullptr;
    }

    kj::Promise<kj::Own<Connection>> accept() override
    {
        return m_inner.accept().then([state = m_state](kj::Own<Connection>&& connection) {
            return kj::Own<Connection>(kj::heap<FlowConnection>(kj::mv(connection), state));
        });
    }

private:
    capnp::TwoPartyVatNetworkBase& m_inner;
    std::shared_ptr<FlowState> m_state;
};

} // namespace

kj::Own<kj::AsyncIoStream> MakeFlowStream(kj::Own<kj::AsyncIoStream> inner, std::shared_ptr<FlowState> state)
{
    return kj::heap<FlowStream>(kj::mv(inner), kj::mv(state));
}

kj::Own<capnp::TwoPartyVatNetworkBase> MakeFlowNetwork(capnp::TwoPartyVatNetworkBase& inner,
                                                        std::shared_ptr<FlowState> state)
{
    return kj::heap<FlowNetwork>(inner, kj::mv(state));
}

} // namespace mpjava
