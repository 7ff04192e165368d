// The server side of one connection's callback routing (wire-protocol.md §3): while a
// request from the peer runs on one of our threads, that thread's own calls to the peer
// name the request's callbackThread (upstream's request_threads), so re-entrant call
// chains land on the peer thread that waits.
//
// Owned by the connection's ProtocolState; loop thread only.
#pragma once

#include <mpjava/runtime/worker.h>

#include <capnp/capability.h>

#include <map>
#include <vector>

namespace mpjava {

class RequestThreads {
public:
    // `callback_thread` serves calls back from the thread behind `waiter` until pop().
    void push(Waiter* waiter, capnp::Capability::Client callback_thread);
    void pop(Waiter* waiter);
    // The innermost request's callbackThread, if the thread behind `waiter` serves one.
    kj::Maybe<capnp::Capability::Client&> current(Waiter* waiter);

    // Keeps a reference to a peer's callbackThread for the life of the connection, so a
    // Context call does not end with a Release message for it (the peer sends the same
    // thread again with every call from that thread).
    void keepPeerThread(capnp::Capability::Client thread);

    void clear();

private:
    std::map<Waiter*, std::vector<capnp::Capability::Client>> m_serving;
    std::map<const capnp::ClientHook*, capnp::Capability::Client> m_peer_threads;
};

} // namespace mpjava
