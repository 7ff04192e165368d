#include <mpjava/protocol/thread_pool.h>

#include <kj/debug.h>

#include <string>

namespace mpjava {

void ThreadPool::configure(std::size_t size, std::unique_ptr<ThreadClaim> claim)
{
    m_size = size;
    m_claim = std::move(claim);
}

Waiter& ThreadPool::pick()
{
    KJ_REQUIRE(m_size > 0, "no pool configured");
    WorkerThread* best = nullptr;
    for (auto& worker : m_started) {
        if (!best || worker->waiter()->depth() < best->waiter()->depth()) best = worker.get();
    }
    if ((!best || best->waiter()->depth() > 0) && m_started.size() < m_size) {
        m_started.push_back(std::make_unique<WorkerThread>(m_loop, "mpjava-pool-" + std::to_string(m_started.size())));
        best = m_started.back().get();
    }
    return *best->waiter();
}

void ThreadPool::clear()
{
    m_started.clear();
    m_size = 0;
    m_claim.reset();
}

} // namespace mpjava
