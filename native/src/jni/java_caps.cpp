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

void Answer(PendingReply& reply, bool failed, std::string bytes)
{
    std::lock_guard<std::mutex> lock(reply.mutex);
    if (reply.answered) throw std::logic_error("the call was already answered");
    reply.answered = true;
    reply.failed = failed;
    reply.bytes = std::move(bytes);
    if (reply.fulfiller) reply.fulfiller->fulfill();
}

namespace {

// What one call hands Java; the upcall registers the reply handle for the call's life.
struct Upcall {
    int64_t token;
    int index;
    std::shared_ptr<std::string> params;
    std::shared_ptr<PendingReply> reply;
    Peer peer;
    int64_t loop_id;

    // Registers the reply and calls Java; returns the reply handle.
    int64_t operator()(int flags) const
    {
        auto upcall = g_call.load();
        if (!upcall) throw std::runtime_error("no Java dispatcher installed");
        int64_t id = AddHandle(HandleKind::Reply, reply, loop_id);
        {
            std::lock_guard<std::mutex> lock(reply->mutex);
            reply->id = id;
        }
        upcall(token, index, params->data(), static_cast<int64_t>(params->size()), id,
               static_cast<long long>(peer.connection_id), static_cast<int>(peer.pid), static_cast<int>(peer.uid),
               static_cast<int>(peer.gid), flags);
        return id;
    }

    // The answer as the call's outcome: nothing (results follow in finish) or the failure.
    kj::Promise<void> outcome() const
    {
        std::lock_guard<std::mutex> lock(reply->mutex);
        if (!reply->answered) return KJ_EXCEPTION(FAILED, "Java handler gave no reply");
        // The text as it is (KJ_EXCEPTION would prefix a non-literal with its expression).
        if (reply->failed) return kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__, kj::str(reply->bytes));
        return kj::READY_NOW;
    }
};

} // namespace

CallHandler::Job JavaCallHandler::prepare(const capnp::InterfaceSchema::Method& method,
                                          capnp::DynamicStruct::Reader params, capnp::DynamicStruct::Builder results)
{
    // Upstream's data lines, after dispatch's "IPC server recv request #n" header.
    if (m_loop->logEnabled(Level::Trace)) {
        m_loop->log(Level::Trace, std::string("IPC server request data: ") + kj::str(params).cStr());
    }
    auto caps = std::make_shared<JavaCaps>(m_loop, m_loop_id, m_threads, m_iface->owner());
    auto encoded = std::make_shared<std::string>();
    EncodeStruct(params, *encoded, caps.get());
    auto reply = std::make_shared<PendingReply>();
    const Upcall upcall{m_token, m_iface->indexOf(method), encoded, reply, m_threads->peer(), m_loop_id};
    // Set by whichever comes first: the run (Java then owns the held capabilities in
    // the params) or the cancel (they never reach Java and are released here).
    auto claimed = std::make_shared<std::atomic<bool>>(false);
    auto reply_id = std::make_shared<int64_t>(0);  // loop thread only
    Job job;
    if (m_threads->fieldsOf(params.getSchema()).context != nullptr) {
        // Runs on the Context's worker thread, which waits for Java's answer. A peer's
        // Finish ends the call at once (cancel below tells Java); the worker goes on to
        // the handler's end.
        job.allow_cancellation = true;
        job.run = [upcall, claimed] {
            if (claimed->exchange(true)) throw std::runtime_error("call cancelled");
            int64_t id = upcall(0);
            TakeHandle(id, HandleKind::Reply);
            std::lock_guard<std::mutex> lock(upcall.reply->mutex);
            if (!upcall.reply->answered) throw std::runtime_error("Java handler gave no reply");
            if (upcall.reply->failed) throw std::runtime_error(upcall.reply->bytes);
        };
    } else {
        // Runs on the loop thread; Java answers now, or later from its executor, and the
        // call waits without holding the loop. A caller that leaves meanwhile ends the
        // call at once (its handle goes with it): the late answer is refused, not kept.
        job.async = [upcall, claimed, reply_id]() -> kj::Promise<void> {
            claimed->store(true);
            *reply_id = upcall(CALL_DEFERRABLE);
            {
                // Not answered yet: wait for the answer, whose thread fulfils this once
                // it sees the fulfiller (both under the reply's lock).
                std::lock_guard<std::mutex> lock(upcall.reply->mutex);
                if (!upcall.reply->answered) {
                    auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
                    upcall.reply->fulfiller = kj::mv(paf.fulfiller);
                    return kj::mv(paf.promise).then([upcall] { return upcall.outcome(); });
                }
            }
            return upcall.outcome();  // answered during the upcall (the usual case without an executor)
        };
    }
    job.finish = [loop = m_loop, reply, results, caps, path = MethodName(method) + "$Results"]() mutable {
        std::string bytes;
        {
            std::lock_guard<std::mutex> lock(reply->mutex);
            bytes = std::move(reply->bytes);
        }
        try {
            DecodeStruct(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), results, path, caps.get());
        } catch (const std::exception& e) {
            throw std::runtime_error(std::string("server results do not fit the schema: ") + e.what());
        }
        if (loop->logEnabled(Level::Trace)) {
            loop->log(Level::Trace, std::string("IPC server response data: ") + kj::str(results.asReader()).cStr());
        }
    };
    job.cancel = [caps, claimed, reply_id, reply, loop = m_loop] {
        // Ended unanswered: the caller cancelled or left while Java runs the handler. Tell
        // Java (posted: this runs in a promise's destructor, which must not call Java).
        int64_t running = 0;
        {
            std::lock_guard<std::mutex> lock(reply->mutex);
            if (!reply->answered) {
                reply->cancelled = true;
                running = reply->id;
            }
        }
        if (running != 0) {
            try {
                loop->post([running] { Event(0, EVENT_CALL_CANCELLED, running, 0); });
            } catch (const LoopClosed&) {
                // The loop is closing: its handlers' answers are dropped anyway.
            }
        }
        // An answer that comes after the call ended finds no handle.
        if (*reply_id != 0) TakeHandle(*reply_id, HandleKind::Reply);
        if (!claimed->exchange(true)) caps->releaseHeld();
    };
    return job;
}

} // namespace api
} // namespace mpjava
