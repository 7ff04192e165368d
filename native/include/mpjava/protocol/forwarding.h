// Passing a capability of one connection on to another (wire-protocol.md §6): the
// receiving connection gets a local server that re-sends each call to the original,
// with this side's Context for the original connection, as upstream wraps a
// ProxyClient passed to a third party in a new local ProxyServer (a Thread of one
// connection means nothing on another).
#pragma once

#include <mpjava/protocol/dispatch.h>
#include <mpjava/protocol/protocol_state.h>

#include <capnp/capability.h>

#include <memory>

namespace mpjava {

// A CallHandler that forwards to `target`, a capability of the connection whose
// protocol state is `target_threads`. Forwarded calls are sent from the loop thread;
// callbacks addressed to their callbackThread run on the target connection's
// callback worker. Loop thread only.
std::shared_ptr<CallHandler> MakeForwardingHandler(capnp::Capability::Client target,
                                                   std::shared_ptr<ProtocolState> target_threads);

} // namespace mpjava
