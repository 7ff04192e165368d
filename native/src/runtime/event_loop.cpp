#include <mpjava/runtime/event_loop.h>

#include <kj/debug.h>

#include <future>

#include <sys/eventfd.h>
#include <unistd.h>

namespace mpjava {

namespace {
std::mutex g_hook_mutex;
// Never destroyed: threads may start (and read it) while static destructors run at exit.
ThreadStartHook& g_thread_start_hook = *new ThreadStartHook();
// The loop a thread was started for: its own thread and its connections' workers.
thread_local const EventLoop* t_owner_loop = nullptr;
} // namespace

void JoinUnlessSelf(std::thread& thread)
{
    if (thread.get_id() == std::this_thread::get_id()) {
        thread.detach();
    } else {
        thread.join();
    }
}

bool EventLoop::ownsCurrentThread() const { return t_owner_loop == this; }

void EventLoop::adoptCurrentThread() const { t_owner_loop = this; }

void EventLoop::retireThread(std::thread thread, std::shared_ptr<std::atomic<bool>> exited)
{
    std::vector<Retired> finished;
    {
        std::lock_guard<std::mutex> lock(m_retired_mutex);
        m_retired.push_back(Retired{std::move(thread), std::move(exited)});
        if (m_joined) {
            // The loop is gone: nobody else will join, so this thread does (except itself).
            finished.swap(m_retired);
        } else {
            for (auto it = m_retired.begin(); it != m_retired.end();) {
                if (it->exited->load()) {
                    finished.push_back(std::move(*it));
                    it = m_retired.erase(it);
                } else {
                    ++it;
                }
            }
        }
    }
    for (auto& r : finished) JoinUnlessSelf(r.thread);
}

void SetThreadStartHook(ThreadStartHook hook)
{
    std::lock_guard<std::mutex> lock(g_hook_mutex);
    g_thread_start_hook = std::move(hook);
}

void RunThreadStartHook(const std::string& name)
{
    ThreadStartHook hook;
    {
        std::lock_guard<std::mutex> lock(g_hook_mutex);
        hook = g_thread_start_hook;
    }
    if (hook) hook(name);
}

// Failures of detached tasks are logged with upstream's text, never thrown.
class EventLoop::TaskErrors : public kj::TaskSet::ErrorHandler {
public:
    explicit TaskErrors(EventLoop& loop) : m_loop(loop) {}
    void taskFailed(kj::Exception&& exception) override
    {
        m_loop.log(Level::Error, std::string("Uncaught exception in daemonized task. ") +
                                     exception.getDescription().cStr());
    }

private:
    EventLoop& m_loop;
};

void EventLoop::forget(LoopResource* resource)
{
    for (auto it = m_resources.begin(); it != m_resources.end(); ++it) {
        if (it->get() == resource) {
            m_resources.erase(it);
            return;
        }
    }
}

void EventLoop::forgetLater(LoopResource* resource)
{
    addTask(kj::evalLater([this, resource] { forget(resource); }));
}

namespace {
// Routes KJ's own log output (warnings, errors printed by KJ internals) on the loop
// thread into the loop's logger instead of stderr, so applications and tests see it.
class KjLogBridge : public kj::ExceptionCallback {
public:
    explicit KjLogBridge(EventLoop& loop) : m_loop(loop) {}
    void logMessage(kj::LogSeverity severity, const char* file, int line, int context_depth,
                    kj::String&& text) override
    {
        (void)context_depth;
        Level level = Level::Info;
        switch (severity) {
        case kj::LogSeverity::INFO: level = Level::Info; break;
        case kj::LogSeverity::WARNING: level = Level::Warning; break;
        case kj::LogSeverity::ERROR:
        case kj::LogSeverity::FATAL: level = Level::Error; break;
        case kj::LogSeverity::DBG: level = Level::Debug; break;
        }
        m_loop.log(level, std::string("KJ: ") + file + ":" + std::to_string(line) + ": " + text.cStr());
    }

private:
    EventLoop& m_loop;
};
} // namespace

EventLoop::EventLoop(std::string name, LogOptions options)
    : m_name(std::move(name)), m_logger(std::move(options))
{
}

std::shared_ptr<EventLoop> EventLoop::Start(const std::string& name, LogOptions options)
{
    std::shared_ptr<EventLoop> loop(new EventLoop(name, std::move(options)));
    loop->m_wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (loop->m_wake_fd < 0) throw std::runtime_error("eventfd failed");
    std::promise<void> ready;
    auto ready_future = ready.get_future();
    loop->m_thread = std::thread([raw = loop.get(), &ready] { raw->run(ready); });
    ready_future.get();  // rethrows a failed start
    return loop;
}

EventLoop::~EventLoop()
{
    if (m_thread.joinable()) {
        if (onLoopThread()) {
            // The last reference went away on the loop thread itself: let it finish alone.
            m_closing = true;
            m_thread.detach();
        } else {
            close();
        }
    }
    if (m_wake_fd >= 0) ::close(m_wake_fd);
}

void EventLoop::run(std::promise<void>& ready)
{
    m_thread_id = std::this_thread::get_id();
    adoptCurrentThread();
    SetCurrentThreadName("mpj-" + m_name);
    bool started = false;  // after that, `ready` (on Start's stack) is gone
    try {
        RunThreadStartHook("mpjava-loop-" + m_name);
        KjLogBridge kj_log_bridge(*this);
        kj::AsyncIoContext io = kj::setupAsyncIo();
        kj::UnixEventPort::FdObserver wake_observer(io.unixEventPort, m_wake_fd,
                                                    kj::UnixEventPort::FdObserver::OBSERVE_READ);
        m_io = &io;
        m_wake_observer = &wake_observer;
        m_task_errors = kj::heap<TaskErrors>(*this);
        m_tasks = kj::heap<kj::TaskSet>(*m_task_errors);
        ready.set_value();
        started = true;

        drainWhenWoken().wait(io.waitScope);

        log(Level::Info, "EventLoop::loop done, cancelling event listeners.");
        // Tear down in reverse order of creation so clients go before listeners.
        while (!m_resources.empty()) {
            std::shared_ptr<LoopResource> resource = std::move(m_resources.back());
            m_resources.pop_back();
            resource->teardown();
        }
        m_tasks = nullptr;
        {
            // Anything posted after close() began is dropped; dropping a sync() closure
            // wakes its waiter with LoopClosed.
            std::deque<kj::Function<void()>> dropped;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                dropped.swap(m_queue);
            }
        }
        // Tearing down can arm events whose owners live on (a fulfiller dropped with a
        // posted job rejects its promise): run them now, or destroying the KJ loop with
        // events queued would throw.
        io.waitScope.poll();
        m_wake_observer = nullptr;
        m_io = nullptr;
        log(Level::Info, "EventLoop::loop bye.");
    } catch (...) {
        if (!started) {
            ready.set_exception(std::current_exception());
        } else {
            log(Level::Error, "EventLoop: loop thread failed: " + ExceptionText(std::current_exception()));
        }
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_closing = true;  // a loop that failed to start accepts nothing either
        m_stopped = true;
    }
    m_stopped_cv.notify_all();
}

kj::Promise<void> EventLoop::drainWhenWoken()
{
    return m_wake_observer->whenBecomesReadable().then([this]() -> kj::Promise<void> {
        uint64_t count;
        while (::read(m_wake_fd, &count, sizeof(count)) > 0) {
        }
        drainQueue();
        if (m_stop_requested) return kj::READY_NOW;
        return drainWhenWoken();
    });
}

void EventLoop::drainQueue()
{
    std::deque<kj::Function<void()>> batch;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        batch.swap(m_queue);
    }
    for (auto& fn : batch) {
        try {
            fn();
        } catch (const kj::Exception& e) {
            log(Level::Error, std::string("EventLoop: posted function threw: ") + e.getDescription().cStr());
        } catch (const std::exception& e) {
            log(Level::Error, std::string("EventLoop: posted function threw: ") + e.what());
        }
    }
}

void EventLoop::post(kj::Function<void()> fn)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_closing) throw LoopClosed();
        m_queue.push_back(kj::mv(fn));
    }
    uint64_t one = 1;
    ssize_t ignored = ::write(m_wake_fd, &one, sizeof(one));
    (void)ignored;
}

namespace {
// Completion state of one sync() call, shared between the waiting thread and the
// posted closure. If the closure is destroyed without running (loop closed), the
// guard's destructor wakes the waiter with LoopClosed.
struct SyncState {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    std::exception_ptr error;

    void finish(std::exception_ptr e)
    {
        std::lock_guard<std::mutex> lock(mutex);
        error = e;
        done = true;
        cv.notify_one();
    }
};

class SyncGuard {
public:
    explicit SyncGuard(SyncState* state) : m_state(state) {}
    SyncGuard(SyncGuard&& other) noexcept : m_state(other.m_state) { other.m_state = nullptr; }
    ~SyncGuard()
    {
        if (m_state) m_state->finish(std::make_exception_ptr(LoopClosed()));
    }
    void finish(std::exception_ptr e)
    {
        m_state->finish(e);
        m_state = nullptr;
    }

private:
    SyncState* m_state;
};
} // namespace

void EventLoop::syncVoid(kj::Function<void()> fn)
{
    if (onLoopThread()) {
        fn();
        return;
    }
    SyncState state;
    post([fn = kj::mv(fn), guard = SyncGuard(&state)]() mutable {
        std::exception_ptr error;
        try {
            fn();
        } catch (...) {
            error = std::current_exception();
        }
        guard.finish(error);
    });
    std::unique_lock<std::mutex> lock(state.mutex);
    state.cv.wait(lock, [&] { return state.done; });
    if (state.error) std::rethrow_exception(state.error);
}

void EventLoop::close()
{
    KJ_REQUIRE(!onLoopThread(), "EventLoop::close() called on the loop thread");
    {
        std::lock_guard<std::mutex> close_lock(m_close_mutex);
        if (m_thread.joinable()) {
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_queue.push_back([this] { m_stop_requested = true; });
                m_closing = true;
            }
            uint64_t one = 1;
            ssize_t ignored = ::write(m_wake_fd, &one, sizeof(one));
            (void)ignored;
            m_thread.join();
        }
    }
    // Workers stopped during teardown finish their current job, then exit. Joined
    // outside m_close_mutex: such a worker may itself call close() meanwhile.
    std::vector<Retired> retired;
    {
        std::lock_guard<std::mutex> lock(m_retired_mutex);
        m_joined = true;
        retired.swap(m_retired);
    }
    for (auto& r : retired) JoinUnlessSelf(r.thread);  // self: close() called from a handler on this worker
}

void EventLoop::waitStopped()
{
    KJ_REQUIRE(!onLoopThread(), "EventLoop::waitStopped() called on the loop thread");
    std::unique_lock<std::mutex> lock(m_mutex);
    m_stopped_cv.wait(lock, [this] { return m_stopped; });
}

kj::AsyncIoProvider& EventLoop::io()
{
    KJ_REQUIRE(onLoopThread() && m_io != nullptr);
    return *m_io->provider;
}

kj::UnixEventPort& EventLoop::eventPort()
{
    KJ_REQUIRE(onLoopThread() && m_io != nullptr);
    return m_io->unixEventPort;
}

void EventLoop::addTask(kj::Promise<void> task)
{
    KJ_REQUIRE(onLoopThread() && m_tasks.get() != nullptr);
    m_tasks->add(kj::mv(task));
}

} // namespace mpjava
