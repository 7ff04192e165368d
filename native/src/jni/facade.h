// Internals shared by the facade's api_*.cpp files: error translation, fd ownership,
// running on a loop (or after it stopped), and the objects behind Listener handles.
#pragma once

#include "handles.h"
#include "java_caps.h"

#include <mpjava/api.h>
#include <mpjava/io/sockets.h>
#include <mpjava/protocol/value_call.h>

#include <kj/debug.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace mpjava {
namespace api {

struct ServerHandle {
    std::shared_ptr<EventLoop> loop;
    std::shared_ptr<Listener> server;
};

inline std::shared_ptr<EventLoop> LoopOf(int64_t loop) { return Get<EventLoop>(loop, HandleKind::Loop); }

// Runs fn, turning KJ exceptions into std::runtime_error for JavaCPP.
template <typename F>
auto Guarded(F&& fn) -> decltype(fn())
{
    try {
        return fn();
    } catch (const kj::Exception& e) {
        throw std::runtime_error(e.getDescription().cStr());
    } catch (const LoopClosed&) {
        throw ClosedHandle(HandleKind::Loop);
    }
}

// Owns an fd handed to native code until something takes it: a failure on the way
// closes it, so "takes ownership of fd" holds on every path.
class FdGuard {
public:
    explicit FdGuard(int fd) : m_fd(fd) {}
    ~FdGuard()
    {
        if (m_fd >= 0) CloseFd(m_fd);
    }
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    int release()
    {
        int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

// Runs fn on the loop thread; if the loop is closing, waits until its thread has
// finished the teardown and runs fn here (everything KJ-owned is destroyed by then).
// It never joins: the caller may be a worker that the closing thread is joining.
template <typename F>
void OnLoopOrAfterClose(const std::shared_ptr<EventLoop>& loop, F&& fn)
{
    try {
        loop->sync(fn);
    } catch (const LoopClosed&) {
        loop->waitStopped();
        fn();
    }
}

// Registers an object of a loop; if the loop was released meanwhile, drops it on the
// loop thread (or after the loop stopped) and fails as closed.
template <typename T>
int64_t AddLoopHandle(HandleKind kind, std::shared_ptr<T> object, const std::shared_ptr<EventLoop>& loop,
                      int64_t loop_id)
{
    try {
        return AddHandle(kind, object, loop_id);
    } catch (const ClosedHandle&) {
        OnLoopOrAfterClose(loop, [&] { object.reset(); });
        throw;
    }
}

inline std::vector<std::string> SplitLines(const char* text)
{
    std::vector<std::string> out;
    std::istringstream in(text ? text : "");
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

// "<name>\n<method 0>\n<method 1>..." (interface_describe, client_describe).
std::string Describe(const InterfaceInfo& iface);

} // namespace api
} // namespace mpjava
