// The pool a peer asks for with makePool (wire-protocol.md §4): calls whose Context
// names no thread run on it. Threads start as calls need them, so makePool(n) costs the
// loop nothing up front (upstream starts all n at once).
//
// Owned by the connection's ProtocolState; loop thread only. Its threads live as long as
// the connection (clear() lets them go).
#pragma once

#include <mpjava/protocol/thread_limit.h>
#include <mpjava/runtime/event_loop.h>
#include <mpjava/runtime/worker.h>

#include <memory>
#include <vector>

namespace mpjava {

class ThreadPool {
public:
    explicit ThreadPool(EventLoop& loop) : m_loop(loop) {}

    bool configured() const { return m_size > 0; }
    // Up to `size` threads, held by `claim` against the connection's limit.
    void configure(std::size_t size, std::unique_ptr<ThreadClaim> claim);
    // An idle thread, else a new one while fewer than `size` exist, else the least
    // loaded (ties to the lowest index).
    Waiter& pick();
    void clear();

private:
    EventLoop& m_loop;
    std::size_t m_size = 0;
    std::vector<std::unique_ptr<WorkerThread>> m_started;
    std::unique_ptr<ThreadClaim> m_claim;
};

} // namespace mpjava
