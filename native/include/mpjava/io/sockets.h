// Plain POSIX socket helpers: the fds that ServeStream / ConnectStream /
// ListenConnections take. Errors are thrown as SocketError with the path and errno text.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace mpjava {

class SocketError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Longest path a sockaddr_un holds (107 bytes on Linux).
std::size_t MaxSocketPathLength();

// socket(AF_UNIX) + bind + listen. A stale socket file nobody listens on is replaced.
int BindUnixSocket(const std::string& path, int backlog = 16);

// socket(AF_UNIX) + connect. Blocking connect; the fd is returned in blocking mode.
int ConnectUnixSocket(const std::string& path);

// AF_UNIX SOCK_STREAM socketpair, both ends close-on-exec.
std::pair<int, int> MakeSocketPair();

void CloseFd(int fd);

} // namespace mpjava
