// A Thread capability (wire-protocol.md §3): a worker thread this side made for the
// peer (it owns the worker and its ThreadClaim), or a calling thread's waiter offered as
// a callbackThread (not owned).
//
// Created and destroyed on the loop thread, where Cap'n Proto keeps it in the
// connection's CapabilityServerSet; waiter() is what a call posts its work to.
#pragma once

#include <mpjava/protocol/thread_limit.h>
#include <mpjava/runtime/stats.h>
#include <mpjava/runtime/worker.h>

#include <mp/proxy.capnp.h>

#include <memory>
#include <string>

namespace mpjava {

class ThreadServer final : public mp::Thread::Server {
public:
    ThreadServer(std::string name, std::unique_ptr<WorkerThread> worker, std::unique_ptr<ThreadClaim> claim);
    ThreadServer(std::string name, std::shared_ptr<Waiter> waiter);
    Waiter& waiter() { return *m_waiter; }
    const std::string& name() const { return m_name; }

protected:
    kj::Promise<void> getName(GetNameContext context) override;

private:
    std::string m_name;
    std::unique_ptr<WorkerThread> m_worker;
    std::shared_ptr<Waiter> m_waiter;
    std::unique_ptr<ThreadClaim> m_claim;  // declared after m_worker: returned once the thread is let go
    LiveCounter<Live::Capability> m_live;
};

} // namespace mpjava
