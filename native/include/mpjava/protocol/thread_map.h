// The ThreadMap a peer uses to make threads on this side of one connection
// (wire-protocol.md §4): makeThread starts a worker named after the peer's thread,
// makePool configures the connection's pool. Both count against the thread limit.
//
// A capability server: created, called and destroyed on the loop thread; it shares the
// connection's ProtocolState.
#pragma once

#include <mpjava/protocol/protocol_state.h>
#include <mpjava/runtime/stats.h>

#include <mp/proxy.capnp.h>

#include <memory>
#include <string>

namespace mpjava {

// A worker's names when it serves the peer thread that called itself `from` in
// makeThread: `full` ("mpjava-worker/<from>", printable ASCII, at most 78 bytes) names
// the Java thread, so a thread dump shows which client thread a worker serves; `os`
// ("mpjw/<from's last part>", 15 bytes at most, Linux's limit) names the native thread.
struct WorkerNames {
    std::string full;
    std::string os;
};
WorkerNames NameWorkerFor(const std::string& from);

class ThreadMapServer final : public mp::ThreadMap::Server {
public:
    explicit ThreadMapServer(std::shared_ptr<ProtocolState> protocol) : m_protocol(std::move(protocol)) {}

protected:
    kj::Promise<void> makeThread(MakeThreadContext context) override;
    kj::Promise<void> makePool(MakePoolContext context) override;

private:
    std::shared_ptr<ProtocolState> m_protocol;
    LiveCounter<Live::Capability> m_live;
};

} // namespace mpjava
