#include <mpjava/protocol/thread_server.h>

namespace mpjava {

ThreadServer::ThreadServer(std::string name, std::unique_ptr<WorkerThread> worker, std::unique_ptr<ThreadClaim> claim)
    : m_name(std::move(name)), m_worker(std::move(worker)), m_waiter(m_worker->waiter()), m_claim(std::move(claim))
{
}

ThreadServer::ThreadServer(std::string name, std::shared_ptr<Waiter> waiter)
    : m_name(std::move(name)), m_waiter(std::move(waiter))
{
}

kj::Promise<void> ThreadServer::getName(GetNameContext context)
{
    context.getResults().setResult(m_name);
    return kj::READY_NOW;
}

} // namespace mpjava
