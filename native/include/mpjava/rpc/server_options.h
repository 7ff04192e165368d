// What a Listener allows each peer: the limits of one server, set from Java's
// ListenOptions. Each field's default is the documented default of that option.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mpjava {

struct ServerOptions {
    // At most that many connections are served at once; the rest wait in the kernel
    // backlog. nullopt: no limit.
    std::optional<std::size_t> max_connections;
    // At most that many threads a peer may have made at once on one connection with
    // makeThread and makePool; beyond it those calls fail naming the limit.
    std::size_t max_threads_per_connection = 64;
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
