#include <mpjava/io/sockets.h>

#include "socket_address.h"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace mpjava {

namespace detail {

[[noreturn]] void FailSocket(const std::string& what, const std::string& path, int err)
{
    throw SocketError(what + " '" + path + "': " + std::strerror(err));
}

sockaddr_un SocketAddress(const std::string& path)
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

int NewSocket(const std::string& path, int extra_flags)
{
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | extra_flags, 0);
    if (fd < 0) FailSocket("cannot create socket for", path, errno);
    return fd;
}

} // namespace detail

using detail::FailSocket;
using detail::NewSocket;
using detail::SocketAddress;

std::size_t MaxSocketPathLength() { return sizeof(sockaddr_un::sun_path) - 1; }

int ConnectUnixSocket(const std::string& path)
{
    sockaddr_un addr = SocketAddress(path);
    int fd = NewSocket(path);
    int rc;
    do {
        rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        int err = errno;
        ::close(fd);
        FailSocket("cannot connect to socket", path, err);
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
