// The client side of one call whose params and results are value trees (values/codec.h):
// build the request from the tree, fill the protocol's fields (call.h), send, and turn
// the response into a CallOutcome — results, a raised $Proxy.exception, or an error.
#pragma once

#include <mpjava/protocol/call.h>
#include <mpjava/protocol/call_status.h>
#include <mpjava/values/codec.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace mpjava {

// bytes: the encoded results (CALL_OK), the error text, or for CALL_RAISED the framing
// u16 field-name length (little endian) + the field's name + the encoded results
// (wire-protocol.md §7), so the caller can name the field the peer set.
struct CallOutcome {
    int status = CALL_OK;
    std::string bytes;
};

// Delivers a call's outcome exactly once. If the call is dropped unfinished (its loop
// closing), the destructor hands `abandoned` a CALL_CLOSED outcome instead; that
// function must not call into Java (a destructor may run anywhere), so it may be empty.
class CallCompletion {
public:
    using Fn = std::function<void(std::unique_ptr<CallOutcome>)>;
    CallCompletion(Fn fn, Fn abandoned) : m_fn(std::move(fn)), m_abandoned(std::move(abandoned)) {}
    CallCompletion(CallCompletion&& other) noexcept;
    ~CallCompletion();
    void complete(CallOutcome outcome);

private:
    Fn m_fn;
    Fn m_abandoned;
};

// Lets any thread cancel one value call. The call's promise is dropped on the loop
// thread, so Cap'n Proto sends Finish (the peer may stop the call), the completion
// reports CALL_CANCELLED, and a late answer is discarded. A call cancelled before it
// is sent is never sent. Any thread may drop its reference: the call's loop task keeps one
// until the call ends and disarm() releases the loop-only state (or until the loop's
// teardown destroys the task, after which that state touches nothing).
class CallCancel : public std::enable_shared_from_this<CallCancel> {
public:
    // Any thread; does nothing once the call has ended or its loop has closed.
    void cancel(EventLoop& loop);
    bool requested() const { return m_requested.load(); }

    // Loop thread only, for StartValueCall: a promise that resolves when cancel() is
    // called, and disarm() once the call has ended. `now` runs at the cancel itself,
    // before anything posted after it.
    kj::Promise<void> arm(std::function<void()> now);
    void disarm()
    {
        m_fulfiller = nullptr;
        m_now = nullptr;
    }

private:
    std::atomic<bool> m_requested{false};
    kj::Maybe<kj::Own<kj::PromiseFulfiller<void>>> m_fulfiller;  // loop thread only
    std::function<void()> m_now;                                 // loop thread only
};

// What a value call needs besides its params: the capability to call (found on the
// loop thread, so a closed client fails there), the connection's protocol state, and
// the codec for capabilities inside the values.
struct ValueCallTarget {
    std::function<capnp::Capability::Client()> resolve;
    std::shared_ptr<ProtocolState> threads;
    std::shared_ptr<CapabilityCodec> caps;
};

// Posts the call to `loop`: params are decoded into the request there, and
// `completion` runs there when the call ends. Throws LoopClosed if the loop is closed
// (the completion then reports as abandoned). `cancel` (optional) may cancel it.
void StartValueCall(EventLoop& loop, ValueCallTarget target, capnp::InterfaceSchema::Method method,
                    std::string params, Caller caller, CallCompletion completion,
                    std::shared_ptr<CallCancel> cancel = nullptr);

} // namespace mpjava
