// Serving calls the libmultiprocess way (wire-protocol.md §2-§3): dynamically typed
// capability servers whose calls go to a CallHandler, each run on the thread its
// Proxy.Context names. Loop thread only, unless a method says otherwise.
#pragma once

#include <mpjava/protocol/protocol_state.h>
#include <mpjava/runtime/event_loop.h>

#include <capnp/dynamic.h>

#include <functional>
#include <memory>
#include <stdexcept>

namespace mpjava {

// Receives every call made on a dynamic server. prepare() runs on the loop thread and
// splits the call: `run` executes on the thread the call belongs to (the loop thread,
// or the worker thread its Proxy.Context names), `finish` back on the loop thread.
// Ownership: the loop keeps the Job; a worker gets only a copy of `run`, so a worker
// never holds the last reference to anything of the connection. `run` must capture
// plain data, or reach Cap'n Proto objects only under a guard that `cancel` respects.
// `cancel` runs on the loop thread when the call ends, finished or cancelled (an `async`
// call, or one with `allow_cancellation`, is dropped on a peer's Finish; any call may be
// dropped when the peer leaves); after it returns, `run` must no longer touch anything
// of the call.
// To fail the call, any step throws (kj::Exception or std::exception); the caller
// sees FAILED with the exception text as reason.
class CallHandler {
public:
    struct Job {
        std::function<void()> run;
        std::function<void()> finish;  // may be empty
        std::function<void()> cancel;  // may be empty
        // If set, the call completes asynchronously on the loop thread instead of run().
        std::function<kj::Promise<void>()> async;
        // A Context call whose `run` may go on after `cancel` (it touches nothing of the
        // call): a peer's Finish then ends the call at once, while the worker finishes
        // `run` (the cross-thread promise it fulfils is kept until it has).
        bool allow_cancellation = false;
    };
    virtual ~CallHandler() = default;
    // By default, run() calls call() with the params reader and results builder under a
    // guard: cancel waits while call() runs and stops a run that has not started. A
    // handler that waits for the loop (a nested call) must implement prepare() instead.
    virtual Job prepare(const capnp::InterfaceSchema::Method& method, capnp::DynamicStruct::Reader params,
                        capnp::DynamicStruct::Builder results);
    // The whole call on the executing thread (handlers written in C++).
    virtual void call(const capnp::InterfaceSchema::Method& method, capnp::DynamicStruct::Reader params,
                      capnp::DynamicStruct::Builder results)
    {
        throw std::logic_error("CallHandler implements neither prepare() nor call()");
    }
};

// A capability implementing `schema` (and its superclasses) by forwarding to handler,
// with libmultiprocess's conventions (wire-protocol.md §2-§3):
// - ThreadMap-typed params are the peer's map (kept in `threads`); ThreadMap-typed
//   results are filled with this side's map; `construct` has no implementation.
// - A method with a Proxy.Context param runs on the worker thread named by
//   context.thread, which must be one this side created on this connection; a null
//   thread goes to the pool. Other methods run on the loop thread.
// `threads` is the connection's thread registry (a new one if null).
capnp::Capability::Client MakeDynamicServer(EventLoop& loop, capnp::InterfaceSchema schema,
                                            std::shared_ptr<CallHandler> handler,
                                            std::shared_ptr<ProtocolState> threads = nullptr);

} // namespace mpjava
