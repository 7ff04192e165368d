#include <mpjava/protocol/caller_threads.h>

#include <kj/debug.h>

namespace mpjava {

void CallerThreads::forgetRemoteThread(Waiter* caller)
{
    auto it = m_callers.find(caller);
    if (it != m_callers.end()) it->second.remote_thread = nullptr;
}

void CallerThreads::fillContext(capnp::DynamicStruct::Builder params, const ProtocolFields::Context& fields,
                                const std::string& caller_name, const std::shared_ptr<Waiter>& caller_waiter)
{
    Waiter* caller = caller_waiter.get();
    auto it = m_callers.find(caller);
    if (it == m_callers.end()) {
        auto callback = m_registry.add(kj::heap<ThreadServer>(caller_name, caller_waiter));
        it = m_callers.emplace(caller, Threads{nullptr, kj::mv(callback)}).first;
    }
    capnp::Capability::Client thread = nullptr;
    KJ_IF_MAYBE(serving, m_requests.current(caller)) {
        // A thread serving a request from this peer calls back to the peer's waiting thread.
        thread = *serving;
    } else {
        if (it->second.remote_thread == nullptr) {
            KJ_IF_MAYBE(map, m_peer_thread_map) {
                auto request = map->castAs<mp::ThreadMap>().makeThreadRequest();
                request.setName(caller_name);
                it->second.remote_thread = capnp::Capability::Client(request.send().getResult());  // pipelined
            } else {
                it->second.remote_thread = capnp::Capability::Client(KJ_EXCEPTION(FAILED,
                    "the peer sent no ThreadMap, so Context calls cannot name a thread (does the init interface declare construct?)"));
            }
        }
        thread = KJ_ASSERT_NONNULL(it->second.remote_thread);
    }
    auto context = params.init(fields.field).as<capnp::DynamicStruct>();
    context.set(fields.thread, thread.castAs<capnp::DynamicCapability>(fields.thread_type));
    context.set(fields.callback_thread, it->second.callback_thread.castAs<capnp::DynamicCapability>(fields.thread_type));
}

std::shared_ptr<Waiter> CallerThreads::asyncCallbackWaiter(std::string& name)
{
    std::lock_guard<std::mutex> lock(m_async_mutex);
    if (!m_async_worker) m_async_worker = std::make_unique<WorkerThread>(m_loop, "mpjava-callbacks");
    name = m_exe + " (async callbacks)";
    return m_async_worker->waiter();
}

void CallerThreads::clear()
{
    m_callers.clear();
    m_peer_thread_map = nullptr;
}

} // namespace mpjava
