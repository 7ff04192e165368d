#include <mpjava/protocol/thread_map.h>

#include <condition_variable>
#include <mutex>

namespace mpjava {

namespace {

constexpr std::size_t kMaxFromChars = 64;  // of a peer's thread name, in `full`
constexpr std::size_t kMaxOsName = 15;     // pthread_setname_np's limit on Linux

// A peer's text made safe for a thread name: printable ASCII, at most `max` bytes.
std::string Printable(const std::string& text, std::size_t max)
{
    std::string out;
    for (char c : text) {
        if (out.size() == max) break;
        const auto byte = static_cast<unsigned char>(c);
        out += (byte >= 0x20 && byte < 0x7f) ? c : '?';
    }
    if (text.size() > max) out.replace(max - 3, 3, "...");
    return out;
}

} // namespace

WorkerNames NameWorkerFor(const std::string& from)
{
    const std::string safe = Printable(from, kMaxFromChars);
    // Upstream's caller names read "<exe>-<pid>/<thread>-<tid>": the part after the last
    // '/' says most in 15 bytes.
    const auto slash = safe.find_last_of('/');
    std::string last = slash == std::string::npos || slash + 1 == safe.size() ? safe : safe.substr(slash + 1);
    if (safe.empty()) return {"mpjava-worker", "mpjw"};
    return {"mpjava-worker/" + safe, ("mpjw/" + last).substr(0, kMaxOsName)};
}

kj::Promise<void> ThreadMapServer::makeThread(MakeThreadContext context)
{
    std::string from = context.getParams().getName();
    auto claim = m_protocol->threadLimit().claim(1, "makeThread");
    WorkerNames names = NameWorkerFor(from);
    auto worker = std::make_unique<WorkerThread>(m_protocol->loop(), names.full, names.os);
    // Upstream's long name (with the new thread's tid), which getName answers, is taken
    // on the new thread itself.
    std::string name;
    std::mutex m;
    std::condition_variable cv;
    bool named = false;
    const std::string exe = m_protocol->exe();
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
    context.getResults().setResult(m_protocol->add(kj::heap<ThreadServer>(name, std::move(worker), std::move(claim))));
    return kj::READY_NOW;
}

kj::Promise<void> ThreadMapServer::makePool(MakePoolContext context)
{
    uint32_t count = context.getParams().getCount();
    if (count == 0) return kj::READY_NOW;
    if (m_protocol->pool().configured()) {
        return KJ_EXCEPTION(FAILED, "std::exception: makePool called on connection with existing pool");
    }
    m_protocol->pool().configure(count, m_protocol->threadLimit().claim(count, "makePool"));
    return kj::READY_NOW;
}

} // namespace mpjava
