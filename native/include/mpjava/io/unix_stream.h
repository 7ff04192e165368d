// Stream sockets for Cap'n Proto connections that watch for writability only while a
// write is blocked. KJ's own socket streams register every fd for edge-triggered
// EPOLLOUT as well as EPOLLIN, and a Unix socket signals EPOLLOUT each time the peer
// reads: every message the peer consumes wakes this side's loop for nothing. On one
// CPU that cost context switches: per call 5.0 -> 4.4 for a plain call and 9.4 -> 7.6
// for a Context call once gone (perf stat). Loop thread only.
#pragma once

#include <kj/async-io.h>
#include <kj/async-unix.h>

namespace mpjava {

// A connected stream socket; takes ownership of fd and makes it non-blocking.
kj::Own<kj::AsyncIoStream> WrapUnixStream(kj::UnixEventPort& port, int fd);

// A listening socket whose accepted connections are such streams; takes ownership of fd.
kj::Own<kj::ConnectionReceiver> WrapUnixListener(kj::UnixEventPort& port, int fd);

} // namespace mpjava
