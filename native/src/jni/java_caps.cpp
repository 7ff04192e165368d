#include "java_caps.h"

#include <mpjava/protocol/forwarding.h>

#include <kj/debug.h>

#include <map>
#include <mutex>

namespace mpjava {
namespace api {

std::atomic<LogUpcall> g_log{nullptr};
std::atomic<CallUpcall> g_call{nullptr};
std::atomic<EventUpcall> g_event{nullptr};

void Event(int64_t token, int event, int64_t a, int64_t b)
{
    if (auto fn = g_event.load()) fn(token, event, a, b);
}

std::string MethodName(const capnp::InterfaceSchema::Method& method)
{
    return std::string(method.getContainingInterface().getShortDisplayName().cStr()) + "." +
           method.getProto().getName().cStr();
}


uint64_t JavaCaps::hold(capnp::DynamicCapability::Client cap)
{
    KJ_REQUIRE(m_loop->onLoopThread(), "capabilities are held on the loop thread");
    auto handle = std::make_shared<ClientHandle>();
    handle->loop = m_loop;
    handle->loop_id = m_loop_id;
    handle->iface = m_owner->interfaceInfo(cap.getSchema());
    handle->threads = m_threads;
    handle->ref = std::make_shared<CapRef>(kj::mv(cap));
    m_loop->adopt(handle->ref);
    int64_t id = AddHandle(HandleKind::Client, handle, m_loop_id);
    m_held.push_back(id);
    return static_cast<uint64_t>(id);
}

void JavaCaps::releaseHeld()
{
    for (int64_t id : m_held) {
        auto handle = std::static_pointer_cast<ClientHandle>(TakeHandle(id, HandleKind::Client));
        if (handle && handle->ref) {
            handle->ref->teardown();
            m_loop->forgetLater(handle->ref.get());
        }
    }
    m_held.clear();
}

capnp::Capability::Client JavaCaps::resolve(CapKind kind, uint64_t handle, capnp::InterfaceSchema type,
                                            const std::string& path)
{
    KJ_REQUIRE(m_loop->onLoopThread(), "capabilities are resolved on the loop thread");
    if (kind == CapKind::Export) {
        // A Java implementation, exported as a new server on this connection; from now
        // on its token belongs to that server, which reports its release.
        auto token = static_cast<int64_t>(handle);
        auto handler = std::make_shared<JavaCallHandler>(m_loop, m_loop_id, m_owner->interfaceInfo(type), token,
                                                         m_threads, true);
        Event(token, EVENT_EXPORTED, 0, 0);
        return MakeDynamicServer(*m_loop, type, handler, m_threads);
    }
    auto held = Get<ClientHandle>(static_cast<int64_t>(handle), HandleKind::Client);
    if (held->loop != m_loop) {
        throw ValueError(path + ": the capability belongs to another event loop (" + held->loop->name() + ")");
    }
    if (!held->iface->schema.extends(type)) {
        throw ValueError(path + ": a " + held->iface->schema.getShortDisplayName().cStr() + " is not a " +
                         type.getShortDisplayName().cStr());
    }
    capnp::Capability::Client target = [&]() -> capnp::Capability::Client {
        if (held->connection) {
            KJ_IF_MAYBE(failure, held->connection->checkUsable()) {
                throw ValueError(path + ": " + failure->getDescription().cStr());
            }
            return held->connection->init();
        }
        KJ_IF_MAYBE(cap, held->ref->cap()) {
            return *cap;
        }
        throw ValueError(path + ": the capability was released");
    }();
    if (held->threads == m_threads) return target;  // back over its own connection
    auto forward = MakeForwardingHandler(target, held->threads);
    return MakeDynamicServer(*m_loop, type, forward, m_threads);
}

JavaCallHandler::JavaCallHandler(std::shared_ptr<EventLoop> loop, int64_t loop_id,
                                 std::shared_ptr<const InterfaceInfo> iface, int64_t token,
                                 std::shared_ptr<ProtocolState> threads, bool notify_release)
    : m_loop(std::move(loop)), m_loop_id(loop_id), m_iface(std::move(iface)), m_token(token),
      m_threads(std::move(threads)), m_notify_release(notify_release)
{
}

JavaCallHandler::~JavaCallHandler()
{
    if (!m_notify_release) return;
    try {
        m_loop->post([token = m_token] { Event(token, EVENT_RELEASED, 0, 0); });
    } catch (...) {
        // The loop is closing: Java releases every token of the loop itself.
    }
}

CallHandler::Job JavaCallHandler::prepare(const capnp::InterfaceSchema::Method& method,
                                          capnp::DynamicStruct::Reader params, capnp::DynamicStruct::Builder results)
{
    auto caps = std::make_shared<JavaCaps>(m_loop, m_loop_id, m_threads, m_iface->owner());
    auto encoded = std::make_shared<std::string>();
    EncodeStruct(params, *encoded, caps.get());
    auto reply = std::make_shared<Reply>();
    // Set by whichever comes first: the run (Java then owns the held capabilities in
    // the params) or the cancel (they never reach Java and are released here).
    auto claimed = std::make_shared<std::atomic<bool>>(false);
    const int index = m_iface->indexOf(method);
    const int64_t token = m_token;
    Job job;
    job.run = [encoded, reply, index, token, claimed] {
        if (claimed->exchange(true)) throw std::runtime_error("call cancelled");
        auto upcall = g_call.load();
        if (!upcall) throw std::runtime_error("no Java dispatcher installed");
        upcall(token, index, encoded->data(), static_cast<int64_t>(encoded->size()), ToHandle(reply.get()));
        if (!reply->answered) throw std::runtime_error("Java handler gave no reply");
        if (reply->failed) throw std::runtime_error(reply->bytes);
    };
    job.finish = [reply, results, caps, path = MethodName(method) + "$Results"]() mutable {
        try {
            DecodeStruct(reinterpret_cast<const uint8_t*>(reply->bytes.data()), reply->bytes.size(), results, path,
                         caps.get());
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("server results do not fit the schema: ") + e.what());
        }
    };
    job.cancel = [caps, claimed] {
        if (!claimed->exchange(true)) caps->releaseHeld();
    };
    return job;
}

} // namespace api
} // namespace mpjava
