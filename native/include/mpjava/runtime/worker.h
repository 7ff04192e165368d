// Threads that run jobs posted to them: a Waiter (the queue a thread drains while it
// waits) and WorkerThread (an OS thread that waits forever), as upstream's Waiter and
// its server threads do.
#pragma once

#include <mpjava/runtime/event_loop.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace mpjava {

// Runs jobs posted from other threads on the thread that waits: a worker thread
// waits forever, a caller blocked in an outgoing call waits for its result, so a
// callback addressed to it runs on its own stack, as upstream's Waiter does.
// The thread sleeps on a futex rather than a condition variable: a hand-over then
// costs one wake and one wait, without the condition variable's extra lock traffic.
class Waiter : public std::enable_shared_from_this<Waiter> {
public:
    void post(std::function<void()> job);
    // Runs posted jobs until done() holds; done() is evaluated with the lock held.
    void waitUntil(const std::function<bool()>& done);
    // The same, but returns at `deadline` too; returns whether done() held.
    bool waitUntil(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline);
    // Calls made concurrently are queued; depth counts queued plus running jobs.
    std::size_t depth() const { return m_depth.load(); }

private:
    bool wait(const std::function<bool()>& done, const std::chrono::steady_clock::time_point* deadline);

    std::mutex m_mutex;
    std::deque<std::function<void()>> m_jobs;
    std::atomic<std::size_t> m_depth{0};
    std::atomic<uint32_t> m_posts{0};     // the futex word: changes with every post
    std::atomic<uint32_t> m_sleepers{0};  // post() makes the wake syscall only if > 0
};

// An OS thread with a readable name (`name` for Java and logs; `os_name`, if given, for
// the kernel's 15-byte thread name, else `name` cut to fit) that runs the jobs posted to its waiter, in order,
// started for one loop's connection. Destroying it never blocks and never joins from
// the thread itself: it asks the thread to stop after its queued jobs and hands it to
// the loop, which joins it once it has exited (or in EventLoop::close()).
class WorkerThread {
public:
    WorkerThread(EventLoop& loop, std::string name, const std::string& os_name = {});
    ~WorkerThread();
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    const std::shared_ptr<Waiter>& waiter() { return m_shared->waiter; }
    const std::string& name() const { return m_name; }

private:
    // What the thread itself uses: it may outlive this object until it exits.
    struct Shared {
        std::shared_ptr<Waiter> waiter;  // the thread's own CurrentThreadWaiter()
        bool stop = false;               // guarded by the waiter's wait predicate
        std::shared_ptr<std::atomic<bool>> exited = std::make_shared<std::atomic<bool>>(false);
    };
    std::weak_ptr<EventLoop> m_loop;
    std::string m_name;
    std::shared_ptr<Shared> m_shared;
    std::thread m_thread;
};

// The waiter of the calling thread (created on first use), through which callbacks
// addressed to this thread reach it while it waits for its own call.
const std::shared_ptr<Waiter>& CurrentThreadWaiter();

// Upstream's ThreadName(): "<exe>-<pid>/<pthread name>-<tid>" of the calling thread.
std::string LongThreadName(const std::string& exe);

} // namespace mpjava
