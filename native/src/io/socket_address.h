// Internals of io/sockets.cpp and io/socket_file.cpp: the address of a path, a new
// socket, and the one way both report an error.
#pragma once

#include <mpjava/io/sockets.h>

#include <string>

#include <sys/un.h>

namespace mpjava::detail {

[[noreturn]] void FailSocket(const std::string& what, const std::string& path, int err);

// The sockaddr_un of path; SocketError if it is empty or too long.
sockaddr_un SocketAddress(const std::string& path);

// socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | extra_flags); SocketError naming path.
int NewSocket(const std::string& path, int extra_flags = 0);

} // namespace mpjava::detail
