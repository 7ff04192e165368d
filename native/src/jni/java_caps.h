// Internals of the JNI facade (api.cpp): the objects behind Java's handles, the call
// handler that forwards calls to Java, and the codec that turns capabilities into
// handles Java holds. Not part of the public C++ API.
#pragma once

#include <mpjava/api.h>
#include <mpjava/rpc/client.h>
#include <mpjava/runtime/event_loop.h>
#include <mpjava/values/schema.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>
#include <mpjava/values/codec.h>

#include "handles.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mpjava {
namespace api {

// The upcalls installed by Java (api.cpp owns them).
extern std::atomic<LogUpcall> g_log;
extern std::atomic<CallUpcall> g_call;
extern std::atomic<EventUpcall> g_event;
void Event(int64_t token, int event, int64_t a, int64_t b);

std::string MethodName(const capnp::InterfaceSchema::Method& method);

// A capability held for Java; dropped on the loop thread when Java releases it or
// when the loop closes, whichever comes first.
class CapRef : public LoopResource {
public:
    explicit CapRef(capnp::Capability::Client cap) : m_cap(kj::mv(cap)) {}
    ~CapRef() noexcept override = default;
    kj::Maybe<capnp::Capability::Client>& cap() { return m_cap; }
    void teardown() override { m_cap = nullptr; }

private:
    kj::Maybe<capnp::Capability::Client> m_cap;
};

// Behind a Java Client: the peer's init capability (with the connection it owns) or
// a capability received in a call.
struct ClientHandle {
    std::shared_ptr<EventLoop> loop;
    int64_t loop_id = 0;                         // the Loop handle whose close releases this one
    std::shared_ptr<const InterfaceInfo> iface;  // keeps its schema set alive
    std::shared_ptr<ProtocolState> threads;  // of the connection the capability came over
    std::shared_ptr<Client> connection;          // set for ConnectStream clients only
    std::shared_ptr<CapRef> ref;                 // set for received capabilities only
};

// Capabilities in values exchanged with Java: received ones become ClientHandles,
// Java implementations become servers whose calls go to Java.
// Loop thread only. Each export tells Java (EVENT_EXPORTED) that native code took its
// token; held capabilities are registered as Client handles of the loop.
class JavaCaps final : public CapabilityCodec {
public:
    JavaCaps(std::shared_ptr<EventLoop> loop, int64_t loop_id, std::shared_ptr<ProtocolState> threads,
             std::shared_ptr<SchemaSet> owner)
        : m_loop(std::move(loop)), m_loop_id(loop_id), m_threads(std::move(threads)), m_owner(std::move(owner))
    {
    }
    uint64_t hold(capnp::DynamicCapability::Client cap) override;
    capnp::Capability::Client resolve(CapKind kind, uint64_t handle, capnp::InterfaceSchema type,
                                      const std::string& path) override;
    // Releases the handles made by hold(), for values that never reach Java.
    void releaseHeld();

private:
    std::shared_ptr<EventLoop> m_loop;
    int64_t m_loop_id;
    std::shared_ptr<ProtocolState> m_threads;
    std::shared_ptr<SchemaSet> m_owner;
    std::vector<int64_t> m_held;
};

// Forwards calls to the Java target registered under `token`: params are encoded on
// the loop thread, Java runs on the call's thread, results are decoded back on the
// loop thread. With notify_release, Java hears (EVENT_RELEASED) when the peer drops
// the capability.
// The release is reported from a posted job, never from the destructor itself (which
// may run anywhere, including during teardown, where Java already dropped the token).
class JavaCallHandler final : public CallHandler {
public:
    JavaCallHandler(std::shared_ptr<EventLoop> loop, int64_t loop_id, std::shared_ptr<const InterfaceInfo> iface,
                    int64_t token, std::shared_ptr<ProtocolState> threads, bool notify_release);
    ~JavaCallHandler() override;
    Job prepare(const capnp::InterfaceSchema::Method& method, capnp::DynamicStruct::Reader params,
                capnp::DynamicStruct::Builder results) override;

private:
    std::shared_ptr<EventLoop> m_loop;
    int64_t m_loop_id;
    std::shared_ptr<const InterfaceInfo> m_iface;
    int64_t m_token;
    std::shared_ptr<ProtocolState> m_threads;
    bool m_notify_release;
};

// What Java answers to a call (reply_ok / reply_fail), behind a Reply table handle that
// the call removes when it ends. A call not answered during its upcall waits on
// `fulfiller` (set after the upcall), which the answering thread, any thread, fulfils.
struct PendingReply {
    std::mutex mutex;
    int64_t id = 0;         // the reply handle Java answers through; guarded by mutex, as are the fields below
    bool answered = false;
    bool failed = false;
    bool cancelled = false;  // the call ended unanswered: its caller gave up or left
    std::string bytes;  // encoded results, or the error text
    kj::Own<kj::CrossThreadPromiseFulfiller<void>> fulfiller;  // deferred answers only
};

// Records an answer; throws if the call was already answered. Any thread.
void Answer(PendingReply& reply, bool failed, std::string bytes);

} // namespace api
} // namespace mpjava
