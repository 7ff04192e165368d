// Live-object counters: how many of each kind of native object exist right now.
// Cheap (one relaxed atomic per construction and destruction), always on, so tests
// and applications can check that closing things really releases them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace mpjava {

enum class Live : int {
    Loop,          // EventLoop objects (a closed loop lives until its last reference goes)
    Connection,    // Cap'n Proto RPC connections
    Listener,      // Server objects (listening sockets and served streams)
    Capability,    // capability servers this process hosts (DynamicServer, ThreadServer, ThreadMapServer)
    WorkerThread,  // worker threads started and not yet exited
    SchemaSet,     // parsed schema sets
    Count
};

const char* LiveName(Live kind);
int64_t LiveCount(Live kind);
void LiveAdd(Live kind, int64_t delta);

// A member that counts its owner: add one per object of a class.
template <Live K>
class LiveCounter {
public:
    LiveCounter() { LiveAdd(K, 1); }
    LiveCounter(const LiveCounter&) { LiveAdd(K, 1); }
    LiveCounter& operator=(const LiveCounter&) = default;
    ~LiveCounter() { LiveAdd(K, -1); }
};

} // namespace mpjava
