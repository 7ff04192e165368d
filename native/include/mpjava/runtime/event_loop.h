// An event loop on its own thread: the KJ async I/O context every connection and
// listener of mpjava lives on, plus a thread-safe queue to post work onto it.
// Modelled on libmultiprocess's mp::EventLoop, with an explicit close().
#pragma once

#include <mpjava/runtime/logging.h>
#include <mpjava/runtime/stats.h>

#include <kj/async-io.h>
#include <kj/async-unix.h>
#include <kj/function.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>
#include <stdexcept>
#include <string>
#include <thread>

namespace mpjava {

// Something used is closed: its loop, or (in the JNI facade) a released handle.
class ClosedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown to callers that post to, or wait on, a loop that is closed or closing.
class LoopClosed : public ClosedError {
public:
    LoopClosed() : ClosedError("event loop is closed") {}
};

// Something living on the loop thread that must be torn down there before the loop
// stops (connections, listeners, clients). teardown() runs on the loop thread.
class LoopResource {
public:
    virtual ~LoopResource() = default;
    virtual void teardown() = 0;
};

// Joins `thread`, or detaches it if it is the calling thread: a thread never joins
// itself (it ends on its own once it returns).
void JoinUnlessSelf(std::thread& thread);

// Called on every thread mpjava starts, right after it starts, with its readable name
// (the JNI bridge uses it to attach and name the thread in the JVM once).
using ThreadStartHook = std::function<void(const std::string& name)>;
void SetThreadStartHook(ThreadStartHook hook);
void RunThreadStartHook(const std::string& name);

class EventLoop : public std::enable_shared_from_this<EventLoop> {
public:
    // Starts the loop thread and returns once it is ready to accept work.
    static std::shared_ptr<EventLoop> Start(const std::string& name, LogOptions options);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    const std::string& name() const { return m_name; }

    // Queues fn to run on the loop thread. Throws LoopClosed once close() has begun.
    // A function still queued when the loop stops is destroyed without running.
    void post(kj::Function<void()> fn);

    // Runs fn on the loop thread and waits for it; runs inline on the loop thread.
    // Exceptions from fn are rethrown to the caller.
    template <typename F>
    auto sync(F&& fn) -> decltype(fn());

    bool onLoopThread() const { return std::this_thread::get_id() == m_thread_id; }
    // The loop thread, or a worker thread started for one of this loop's connections.
    bool ownsCurrentThread() const;
    bool closed() const { return m_closing.load(); }

    // Tears down every resource (connections keep nothing pending), stops the thread
    // and joins it, then joins the worker threads retired meanwhile (all but the
    // calling thread, which is detached: a thread never joins itself). Idempotent;
    // must not be called on the loop thread.
    void close();

    // Waits until the loop thread has finished its teardown (everything KJ-owned is
    // gone), without joining anything. After close() has begun; not on the loop thread.
    void waitStopped();

    // Takes a worker thread that was asked to stop and joins it once it has exited:
    // on a later retire, or in close(). Never blocks on a thread still running. Any thread.
    void retireThread(std::thread thread, std::shared_ptr<std::atomic<bool>> exited);
    // Marks the calling thread as started for this loop (see ownsCurrentThread).
    void adoptCurrentThread() const;

    void log(Level level, const std::string& message) const { m_logger.log(level, message); }
    bool logEnabled(Level level) const { return m_logger.enabled(level); }

    // --- loop thread only ---
    kj::AsyncIoProvider& io();
    kj::UnixEventPort& eventPort();
    // Runs a detached task; its failure is logged, never thrown.
    void addTask(kj::Promise<void> task);
    // The loop keeps an adopted resource alive and tears it down when it closes,
    // unless the resource asked to be forgotten first.
    void adopt(std::shared_ptr<LoopResource> resource) { m_resources.push_back(std::move(resource)); }
    void forget(LoopResource* resource);
    // forget() on a later turn: safe from inside the resource's own callbacks.
    void forgetLater(LoopResource* resource);

private:
    EventLoop(std::string name, LogOptions options);
    void run(std::promise<void>& ready);
    void syncVoid(kj::Function<void()> fn);
    kj::Promise<void> drainWhenWoken();
    void drainQueue();

    class TaskErrors;

    const std::string m_name;
    Logger m_logger;
    std::thread m_thread;
    std::thread::id m_thread_id;
    int m_wake_fd = -1;

    std::mutex m_mutex;
    std::deque<kj::Function<void()>> m_queue;  // guarded by m_mutex
    std::atomic<bool> m_closing{false};
    bool m_stopped = false;                    // guarded by m_mutex: run() has finished
    std::condition_variable m_stopped_cv;
    std::mutex m_close_mutex;                  // serialises stopping the loop thread

    // Loop-thread state, valid while run() is running.
    kj::AsyncIoContext* m_io = nullptr;
    kj::UnixEventPort::FdObserver* m_wake_observer = nullptr;
    kj::Own<TaskErrors> m_task_errors;
    kj::Own<kj::TaskSet> m_tasks;
    std::vector<std::shared_ptr<LoopResource>> m_resources;
    bool m_stop_requested = false;

    struct Retired {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> exited;
    };
    std::mutex m_retired_mutex;
    std::vector<Retired> m_retired;  // guarded by m_retired_mutex
    bool m_joined = false;           // close() has joined the loop thread; guarded by m_retired_mutex
    LiveCounter<Live::Loop> m_live;
};

template <typename F>
auto EventLoop::sync(F&& fn) -> decltype(fn())
{
    using Result = decltype(fn());
    if constexpr (std::is_void_v<Result>) {
        syncVoid([&]() { fn(); });
    } else {
        std::optional<Result> result;
        syncVoid([&]() { result.emplace(fn()); });
        return std::move(*result);
    }
}

} // namespace mpjava
