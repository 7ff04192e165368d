#include <mpjava/protocol/threads.h>

#include <kj/debug.h>

#include <condition_variable>

namespace mpjava {

ThreadServer::ThreadServer(std::string name, std::unique_ptr<WorkerThread> worker, std::unique_ptr<ThreadClaim> claim)
    : m_name(std::move(name)), m_worker(std::move(worker)), m_waiter(m_worker->waiter()), m_claim(std::move(claim))
{
}

ThreadServer::ThreadServer(std::string name, std::shared_ptr<Waiter> waiter)
    : m_name(std::move(name)), m_waiter(std::move(waiter))
{
}

void ProtocolState::keepPeerThread(capnp::Capability::Client thread)
{
    auto hook = capnp::ClientHook::from(kj::cp(thread));
    const capnp::ClientHook* key = hook.get();
    if (m_peer_threads.count(key) == 0) m_peer_threads.emplace(key, kj::mv(thread));
}

void ProtocolState::pushRequestThread(Waiter* waiter, capnp::Capability::Client callback_thread)
{
    m_request_threads[waiter].push_back(kj::mv(callback_thread));
}

void ProtocolState::popRequestThread(Waiter* waiter)
{
    auto it = m_request_threads.find(waiter);
    if (it == m_request_threads.end()) return;
    it->second.pop_back();
    if (it->second.empty()) m_request_threads.erase(it);
}


void ProtocolState::forgetRemoteThread(Waiter* caller)
{
    auto it = m_callers.find(caller);
    if (it != m_callers.end()) it->second.remote_thread = nullptr;
}

void ProtocolState::fillContext(capnp::DynamicStruct::Builder params, const ProtocolFields::Context& fields,
                                    const std::string& caller_name, const std::shared_ptr<Waiter>& caller_waiter)
{
    Waiter* caller = caller_waiter.get();
    auto it = m_callers.find(caller);
    if (it == m_callers.end()) {
        auto callback = add(kj::heap<ThreadServer>(caller_name, caller_waiter));
        it = m_callers.emplace(caller, CallerThreads{nullptr, kj::mv(callback)}).first;
    }
    capnp::Capability::Client thread = nullptr;
    auto nested = m_request_threads.find(caller);
    if (nested != m_request_threads.end()) {
        // A thread serving a request from this peer calls back to the peer's waiting thread.
        thread = nested->second.back();
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

kj::Promise<void> ThreadServer::getName(GetNameContext context)
{
    context.getResults().setResult(m_name);
    return kj::READY_NOW;
}

std::shared_ptr<Waiter> ProtocolState::asyncCallbackWaiter(std::string& name)
{
    std::lock_guard<std::mutex> lock(m_async_mutex);
    if (!m_async_worker) m_async_worker = std::make_unique<WorkerThread>(m_loop, "mpjava-callbacks");
    name = m_exe + " (async callbacks)";
    return m_async_worker->waiter();
}

void ProtocolState::clear()
{
    m_callers.clear();
    m_request_threads.clear();
    m_peer_threads.clear();
    m_peer_thread_map = nullptr;
    m_pool.clear();
    m_pool_size = 0;
    m_pool_claim.reset();
}

std::unique_ptr<ThreadClaim> ProtocolState::claimThreads(std::size_t n, const char* what)
{
    const std::size_t used = m_thread_count->used.load();
    const std::size_t limit = m_thread_count->limit;
    if (n > limit || used > limit - n) {
        throw std::runtime_error(std::string(what) + " refused: thread limit reached (this connection may have " +
                                 std::to_string(limit) + " threads, has " + std::to_string(used) + ", asked for " +
                                 std::to_string(n) + " more)");
    }
    m_thread_count->used += n;
    return std::make_unique<ThreadClaim>(m_thread_count, n);
}

void ProtocolState::setPool(std::size_t size, std::unique_ptr<ThreadClaim> claim)
{
    m_pool_size = size;
    m_pool_claim = std::move(claim);
}

Waiter& ProtocolState::pickPoolThread()
{
    KJ_REQUIRE(m_pool_size > 0, "no pool configured");
    WorkerThread* best = nullptr;
    for (auto& worker : m_pool) {
        if (!best || worker->waiter()->depth() < best->waiter()->depth()) best = worker.get();
    }
    // Threads start as calls need them, so makePool(n) costs the loop nothing up front.
    if ((!best || best->waiter()->depth() > 0) && m_pool.size() < m_pool_size) {
        m_pool.push_back(std::make_unique<WorkerThread>(m_loop, "mpjava-pool-" + std::to_string(m_pool.size())));
        best = m_pool.back().get();
    }
    return *best->waiter();
}

kj::Promise<void> ThreadMapServer::makeThread(MakeThreadContext context)
{
    std::string from = context.getParams().getName();
    auto claim = m_threads->claimThreads(1, "makeThread");
    // The long name (with the new thread's tid) is taken on the new thread itself.
    auto worker = std::make_unique<WorkerThread>(m_threads->loop(), "mpjava-worker");
    std::string name;
    std::mutex m;
    std::condition_variable cv;
    bool named = false;
    auto exe = m_threads->exe();
    worker->waiter()->post([&] {
        std::string long_name = LongThreadName(exe) + " (from " + from + ")";
        std::lock_guard<std::mutex> lock(m);
        name = long_name;
        named = true;
        cv.notify_one();
    });
    {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return named; });
    }
    context.getResults().setResult(m_threads->add(kj::heap<ThreadServer>(name, std::move(worker), std::move(claim))));
    return kj::READY_NOW;
}

kj::Promise<void> ThreadMapServer::makePool(MakePoolContext context)
{
    uint32_t count = context.getParams().getCount();
    if (count == 0) return kj::READY_NOW;
    if (m_threads->hasPool()) {
        return KJ_EXCEPTION(FAILED, "std::exception: makePool called on connection with existing pool");
    }
    m_threads->setPool(count, m_threads->claimThreads(count, "makePool"));
    return kj::READY_NOW;
}

} // namespace mpjava
