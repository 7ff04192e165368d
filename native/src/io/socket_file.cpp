// Making a listening socket file: probing what is at the path already (without ever
// blocking on a busy server), binding with a mode and group that hold from the moment
// the path exists, and removing the file again only while it is still ours.
#include <mpjava/io/sockets.h>

#include "socket_address.h"

#include <cerrno>
#include <chrono>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mpjava {

using detail::FailSocket;
using detail::NewSocket;
using detail::SocketAddress;

namespace {

// How long the probe waits for a connect that neither succeeds nor fails at once.
// Unix sockets answer at once (accepted, refused, or EAGAIN when the backlog is
// full); the deadline only bounds a kernel that says EINPROGRESS.
constexpr auto kProbeDeadline = std::chrono::milliseconds(250);
constexpr const char* kEntry = "s";  // the socket's name inside the private directory

class OwnedFd {
public:
    explicit OwnedFd(int fd) : m_fd(fd) {}
    ~OwnedFd() { CloseFd(m_fd); }
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    int get() const { return m_fd; }
    int release()
    {
        int fd = m_fd;
        m_fd = -1;
        return fd;
    }

private:
    int m_fd;
};

enum class PathState { Missing, Stale, Live, LiveBacklogFull, NotSocket };

// Waits for a non-blocking connect in progress; its outcome as an errno (0: connected).
int AwaitConnect(int fd)
{
    auto deadline = std::chrono::steady_clock::now() + kProbeDeadline;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return ETIMEDOUT;
        pollfd p{fd, POLLOUT, 0};
        int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return ETIMEDOUT;
        int err = 0;
        socklen_t length = sizeof(err);
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &length) != 0) return errno;
        return err;
    }
}

// What is at path now. A blocking connect() would hang for as long as a live server
// with a full backlog does not accept, so the probe is non-blocking.
PathState Probe(const std::string& path, const sockaddr_un& addr)
{
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return PathState::Missing;
        FailSocket("cannot inspect existing socket", path, errno);
    }
    if (!S_ISSOCK(st.st_mode)) return PathState::NotSocket;
    OwnedFd probe(NewSocket(path, SOCK_NONBLOCK));
    int err = ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0 ? 0 : errno;
    if (err == EINPROGRESS || err == EINTR) err = AwaitConnect(probe.get());
    switch (err) {
    case 0:
    case ETIMEDOUT:  // someone holds it and does not answer: not ours to replace
        return PathState::Live;
    case EAGAIN:
        return PathState::LiveBacklogFull;
    case ECONNREFUSED:
        return PathState::Stale;
    case ENOENT:
        return PathState::Missing;
    default:
        FailSocket("cannot probe existing socket", path, err);
    }
}

[[noreturn]] void FailTaken(const std::string& path, PathState state)
{
    std::string why = state == PathState::NotSocket ? "the path exists and is not a socket"
                      : state == PathState::LiveBacklogFull
                          ? "a server is already listening on it (its backlog is full)"
                          : "a server is already listening on it";
    throw SocketError("cannot bind socket '" + path + "': " + why);
}

SocketFile Identify(const std::string& path, const struct stat& st)
{
    SocketFile file;
    file.path = path;
    file.device = static_cast<uint64_t>(st.st_dev);
    file.inode = static_cast<uint64_t>(st.st_ino);
    return file;
}

void Listen(int fd, const std::string& path, int backlog)
{
    if (::listen(fd, backlog) != 0) FailSocket("cannot listen on socket", path, errno);
}

// Plain bind at the path: the file gets what the umask gives.
BoundSocket BindInPlace(const std::string& path, const sockaddr_un& addr, int backlog)
{
    OwnedFd fd(NewSocket(path));
    for (int attempt = 0;; ++attempt) {
        if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) break;
        int err = errno;
        if (err != EADDRINUSE || attempt == 2) FailSocket("cannot bind socket", path, err);
        PathState state = Probe(path, addr);
        if (state == PathState::Stale && ::unlink(path.c_str()) != 0 && errno != ENOENT) {
            FailSocket("cannot remove stale socket", path, errno);
        }
        if (state != PathState::Stale && state != PathState::Missing) FailTaken(path, state);
    }
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0) FailSocket("cannot inspect bound socket", path, errno);
    Listen(fd.get(), path, backlog);
    return BoundSocket{fd.release(), Identify(path, st)};
}

// A 0700 directory of ours next to the target (so on the same filesystem), where the
// socket is bound and given its mode and group while no one else can reach it.
class PrivateDir {
public:
    explicit PrivateDir(const std::string& target)
    {
        auto slash = target.rfind('/');
        std::string parent = slash == std::string::npos ? "." : target.substr(0, slash);
        std::string pattern = parent + "/.mpjava-bind-XXXXXX";
        std::vector<char> name(pattern.begin(), pattern.end());
        name.push_back('\0');
        if (!::mkdtemp(name.data())) FailSocket("cannot create a private directory next to socket", target, errno);
        m_path = name.data();
        m_fd = ::open(m_path.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (m_fd < 0) {
            int err = errno;
            ::rmdir(m_path.c_str());
            FailSocket("cannot open the private directory next to socket", target, err);
        }
    }
    ~PrivateDir()
    {
        ::unlinkat(m_fd, kEntry, 0);  // still there after link(), gone after rename()
        ::rmdir(m_path.c_str());
        ::close(m_fd);
    }
    PrivateDir(const PrivateDir&) = delete;
    PrivateDir& operator=(const PrivateDir&) = delete;

    int fd() const { return m_fd; }
    // A name of the entry that fits a sockaddr_un: through /proc when the direct one is
    // too long (only this process may resolve /proc/self/fd).
    std::string entryPath() const
    {
        std::string direct = m_path + "/" + kEntry;
        if (direct.size() <= MaxSocketPathLength()) return direct;
        return "/proc/self/fd/" + std::to_string(m_fd) + "/" + kEntry;
    }

private:
    std::string m_path;
    int m_fd = -1;
};

// Gives the finished socket its final name: link() never replaces a file, so a path
// taken meanwhile is probed, and only a stale socket is replaced (rename(), atomic).
void Publish(const PrivateDir& dir, const std::string& path, const sockaddr_un& addr)
{
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (::linkat(dir.fd(), kEntry, AT_FDCWD, path.c_str(), 0) == 0) return;
        if (errno != EEXIST) FailSocket("cannot bind socket", path, errno);
        PathState state = Probe(path, addr);
        if (state == PathState::Stale) {
            if (::renameat(dir.fd(), kEntry, AT_FDCWD, path.c_str()) == 0) return;
            FailSocket("cannot replace stale socket", path, errno);
        }
        if (state != PathState::Missing) FailTaken(path, state);
    }
    FailSocket("cannot bind socket", path, EADDRINUSE);
}

// Umask is process-wide (changing it races with every other thread creating files), so
// the mode is set while the socket is reachable only through our private directory.
BoundSocket BindPrivately(const std::string& path, const sockaddr_un& addr, const BindOptions& options)
{
    PrivateDir dir(path);
    OwnedFd fd(NewSocket(path));
    sockaddr_un inside = SocketAddress(dir.entryPath());
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&inside), sizeof(inside)) != 0) {
        FailSocket("cannot bind socket", path, errno);
    }
    if (options.group && ::fchownat(dir.fd(), kEntry, static_cast<uid_t>(-1), static_cast<gid_t>(*options.group),
                                    AT_SYMLINK_NOFOLLOW) != 0) {
        FailSocket("cannot give group " + std::to_string(*options.group) + " to socket", path, errno);
    }
    if (options.mode && ::fchmodat(dir.fd(), kEntry, static_cast<mode_t>(*options.mode), 0) != 0) {
        FailSocket("cannot set the mode of socket", path, errno);
    }
    struct stat st{};
    if (::fstatat(dir.fd(), kEntry, &st, AT_SYMLINK_NOFOLLOW) != 0) FailSocket("cannot inspect bound socket", path, errno);
    Listen(fd.get(), path, options.backlog);  // before the path exists: no early client is refused
    Publish(dir, path, addr);
    return BoundSocket{fd.release(), Identify(path, st)};
}

} // namespace

bool SocketFile::unlinkIfOurs() const
{
    struct stat st{};
    if (path.empty() || ::lstat(path.c_str(), &st) != 0) return false;
    if (static_cast<uint64_t>(st.st_dev) != device || static_cast<uint64_t>(st.st_ino) != inode) return false;
    return ::unlink(path.c_str()) == 0;
}

BoundSocket BindSocketFile(const std::string& path, const BindOptions& options)
{
    sockaddr_un addr = SocketAddress(path);
    if (options.mode && *options.mode > 0777) {
        throw SocketError("socket mode " + std::to_string(*options.mode) + " is not a permission mode");
    }
    if (options.mode || options.group) return BindPrivately(path, addr, options);
    return BindInPlace(path, addr, options.backlog);
}

int BindUnixSocket(const std::string& path, int backlog)
{
    BindOptions options;
    options.backlog = backlog;
    return BindSocketFile(path, options).fd;
}

} // namespace mpjava
