// Plain POSIX socket helpers: the fds that ServeStream / ConnectStream /
// ListenConnections take. Errors are thrown as SocketError with the path and errno text.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <sys/socket.h>

namespace mpjava {

class SocketError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Longest path a sockaddr_un holds (107 bytes on Linux).
std::size_t MaxSocketPathLength();

// How a listening socket file is made (io/socket_file.cpp).
struct BindOptions {
    int backlog = SOMAXCONN;  // the kernel caps it at net.core.somaxconn
    // Permission bits of the socket file (e.g. 0660); nullopt: what the umask gives.
    std::optional<unsigned> mode = std::nullopt;
    // Group of the socket file (the process must be in it); nullopt: the default group.
    std::optional<unsigned> group = std::nullopt;
};

// The file a bind created, identified by device and inode so that removing it later
// never removes a file someone else put at the same path meanwhile.
struct SocketFile {
    std::string path;
    uint64_t device = 0;
    uint64_t inode = 0;

    // Unlinks path if it is still this file; false if it is gone or was replaced.
    bool unlinkIfOurs() const;
};

struct BoundSocket {
    int fd = -1;      // listening, close-on-exec
    SocketFile file;  // what the caller may unlink when it stops listening
};

// socket(AF_UNIX) + bind + listen. A stale socket file (nothing accepts on it) is
// replaced; a path a live server listens on fails at once, as does one that is not a
// socket. With a mode or group the file is never reachable with other permissions.
BoundSocket BindSocketFile(const std::string& path, const BindOptions& options);

// BindSocketFile with only a backlog; the caller owns the file.
int BindUnixSocket(const std::string& path, int backlog = SOMAXCONN);

// socket(AF_UNIX) + connect. Blocking connect; the fd is returned in blocking mode.
int ConnectUnixSocket(const std::string& path);

// AF_UNIX SOCK_STREAM socketpair, both ends close-on-exec.
std::pair<int, int> MakeSocketPair();

void CloseFd(int fd);

} // namespace mpjava
