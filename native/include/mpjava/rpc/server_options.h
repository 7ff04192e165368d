// What a Listener allows each peer: the limits of one server, set from Java's
// ListenOptions. Each field's default is the documented default of that option.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sys/socket.h>

namespace mpjava {

// Per-connection flow control (rpc/flow_control.h). Memory counts are in bytes.
struct FlowLimits {
    // Calls read from a peer and not yet answered; at the limit, reading pauses.
    std::size_t max_in_flight_calls = 1024;
    // Words of call messages not yet answered (Cap'n Proto's setFlowLimit); at the
    // limit, reading pauses.
    std::size_t max_in_flight_bytes = 32u << 20;
    // Outgoing messages not yet written to a peer; above it, reading pauses.
    std::size_t outgoing_pause_bytes = 4u << 20;
    // Above it while the peer is not taking what is queued: disconnected, logged.
    std::size_t max_outgoing_bytes = 64u << 20;
};

struct ServerOptions {
    // At most that many connections are served at once; the rest wait in the kernel
    // backlog. nullopt: no limit.
    std::optional<std::size_t> max_connections;
    // At most that many threads a peer may have made at once on one connection with
    // makeThread and makePool; beyond it those calls fail naming the limit.
    std::size_t max_threads_per_connection = 64;
    // What one connection may make the server hold.
    FlowLimits flow;

    // The listening socket, when the server binds its own path: listen(2) backlog (the
    // kernel caps it at net.core.somaxconn), and the socket file's permission bits and
    // group, set before the path exists (io/sockets.h). nullopt: what umask/the process give.
    int backlog = SOMAXCONN;
    std::optional<unsigned> socket_mode = std::nullopt;
    std::optional<unsigned> socket_group = std::nullopt;

    // Accepted peers whose SO_PEERCRED uid is in allowed_uids or gid in allowed_gids are
    // served; others are closed at once. nullopt for both: every peer is served.
    std::optional<std::vector<int64_t>> allowed_uids = std::nullopt;
    std::optional<std::vector<int64_t>> allowed_gids = std::nullopt;
};

// Reads "name=value" lines, one option each, as ListenOptions writes them; a name not
// listed here or a malformed value throws std::invalid_argument naming it.
ServerOptions ParseServerOptions(const std::string& text);

// The process at the other end of an accepted connection; what an init factory may look at.
struct Peer {
    uint64_t connection_id = 0;  // unique within its listener
    // The peer's credentials as the kernel recorded them at connect (SO_PEERCRED);
    // -1 when the stream is not a Unix socket.
    int64_t pid = -1;
    int64_t uid = -1;
    int64_t gid = -1;
};

} // namespace mpjava
