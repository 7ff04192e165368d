#include <mpjava/io/sockets.h>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace mpjava {

namespace {

[[noreturn]] void Fail(const std::string& what, const std::string& path, int err)
{
    throw SocketError(what + " '" + path + "': " + std::strerror(err));
}

sockaddr_un Address(const std::string& path)
{
    if (path.empty()) throw SocketError("socket path is empty");
    if (path.size() > MaxSocketPathLength()) {
        throw SocketError("socket path too long (" + std::to_string(path.size()) + " bytes, at most " +
                          std::to_string(MaxSocketPathLength()) + "): '" + path + "'");
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.data(), path.size());
    return addr;
}

int NewSocket(const std::string& path)
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) Fail("cannot create socket for", path, errno);
    return fd;
}

// True if a socket file exists at path but nothing accepts connections on it.
bool IsStaleSocket(const std::string& path, const sockaddr_un& addr)
{
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return false;
    int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return false;
    bool stale = ::connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0 &&
                 errno == ECONNREFUSED;
    ::close(probe);
    return stale;
}

} // namespace

std::size_t MaxSocketPathLength() { return sizeof(sockaddr_un::sun_path) - 1; }

int BindUnixSocket(const std::string& path, int backlog)
{
    sockaddr_un addr = Address(path);
    int fd = NewSocket(path);
    int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
    if (rc != 0 && errno == EADDRINUSE && IsStaleSocket(path, addr)) {
        ::unlink(path.c_str());
        rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
    }
    if (rc != 0) {
        int err = errno;
        ::close(fd);
        Fail("cannot bind socket", path, err);
    }
    if (::listen(fd, backlog) != 0) {
        int err = errno;
        ::close(fd);
        Fail("cannot listen on socket", path, err);
    }
    return fd;
}

int ConnectUnixSocket(const std::string& path)
{
    sockaddr_un addr = Address(path);
    int fd = NewSocket(path);
    int rc;
    do {
        rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        int err = errno;
        ::close(fd);
        Fail("cannot connect to socket", path, err);
    }
    return fd;
}

std::pair<int, int> MakeSocketPair()
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        throw SocketError(std::string("socketpair failed: ") + std::strerror(errno));
    }
    return {fds[0], fds[1]};
}

void CloseFd(int fd)
{
    if (fd >= 0) ::close(fd);
}

} // namespace mpjava
