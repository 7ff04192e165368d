#include <mpjava/runtime/worker.h>

#include <future>

#include <time.h>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace mpjava {

namespace {
// Returns at once if the word no longer holds `expected`, or after `timeout` if given;
// spurious returns are fine.
void FutexWait(std::atomic<uint32_t>& word, uint32_t expected, const struct timespec* timeout = nullptr)
{
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, timeout, nullptr, 0);
}

void FutexWakeOne(std::atomic<uint32_t>& word)
{
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}
} // namespace

void Waiter::post(std::function<void()> job)
{
    // Once the job is queued, its thread may run it, exit and destroy this waiter (a
    // thread's own waiter is thread-local) before the wake below: keep it alive until then.
    auto self = weak_from_this().lock();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_jobs.push_back(std::move(job));
        ++m_depth;
    }
    // Sequentially consistent with waitUntil's sleeper count: either this sees the
    // sleeper, or the sleeper's futex wait sees the changed word and does not sleep.
    m_posts.fetch_add(1);
    if (m_sleepers.load() > 0) FutexWakeOne(m_posts);
}

void Waiter::waitUntil(const std::function<bool()>& done) { wait(done, nullptr); }

bool Waiter::waitUntil(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline)
{
    return wait(done, &deadline);
}

bool Waiter::wait(const std::function<bool()>& done, const std::chrono::steady_clock::time_point* deadline)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (true) {
        if (!m_jobs.empty()) {
            auto job = std::move(m_jobs.front());
            m_jobs.pop_front();
            lock.unlock();
            job();  // jobs catch their own exceptions
            --m_depth;
            lock.lock();
            continue;
        }
        if (done()) return true;
        struct timespec timeout{};
        if (deadline) {
            auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            timeout.tv_sec = static_cast<time_t>(left.count() / 1000000000);
            timeout.tv_nsec = static_cast<long>(left.count() % 1000000000);
        }
        const uint32_t seen = m_posts.load();  // read under the lock: no post since the queue was checked
        lock.unlock();
        m_sleepers.fetch_add(1);
        FutexWait(m_posts, seen, deadline ? &timeout : nullptr);
        m_sleepers.fetch_sub(1);
        lock.lock();
    }
}

WorkerThread::WorkerThread(EventLoop& loop, std::string name, const std::string& os_name)
    : m_loop(loop.weak_from_this()), m_name(std::move(name)), m_shared(std::make_shared<Shared>())
{
    std::promise<void> started;
    auto ready = started.get_future();
    // The thread holds only `shared` and the loop's address (the loop joins it before it goes).
    m_thread = std::thread([shared = m_shared, name = m_name, os_name = os_name.empty() ? m_name : os_name, owner = &loop,
                            &started] {
        LiveAdd(Live::WorkerThread, 1);
        owner->adoptCurrentThread();
        SetCurrentThreadName(os_name);
        RunThreadStartHook(name);
        // One waiter per thread: jobs posted to this worker also run while a job on it
        // waits for an outgoing call.
        shared->waiter = CurrentThreadWaiter();
        started.set_value();
        shared->waiter->waitUntil([&shared] { return shared->stop; });
        LiveAdd(Live::WorkerThread, -1);
        shared->exited->store(true);
    });
    ready.get();
}

WorkerThread::~WorkerThread()
{
    m_shared->waiter->post([shared = m_shared] { shared->stop = true; });
    if (auto loop = m_loop.lock()) {
        loop->retireThread(std::move(m_thread), m_shared->exited);
    } else {
        JoinUnlessSelf(m_thread);  // the loop is gone; the thread exits after its queued jobs
    }
}

const std::shared_ptr<Waiter>& CurrentThreadWaiter()
{
    thread_local std::shared_ptr<Waiter> waiter = std::make_shared<Waiter>();
    return waiter;
}

std::string LongThreadName(const std::string& exe)
{
    return exe + "-" + std::to_string(::getpid()) + "/" + CurrentThreadName() + "-" +
           std::to_string(static_cast<long>(::syscall(SYS_gettid)));
}

} // namespace mpjava
