#include <mpjava/runtime/stats.h>

namespace mpjava {

namespace {
std::atomic<int64_t> g_live[static_cast<int>(Live::Count)];
} // namespace

const char* LiveName(Live kind)
{
    switch (kind) {
    case Live::Loop: return "loops";
    case Live::Connection: return "connections";
    case Live::Listener: return "listeners";
    case Live::Capability: return "capabilityServers";
    case Live::WorkerThread: return "workerThreads";
    case Live::SchemaSet: return "schemaSets";
    case Live::Count: break;
    }
    return "?";
}

int64_t LiveCount(Live kind) { return g_live[static_cast<int>(kind)].load(std::memory_order_relaxed); }

void LiveAdd(Live kind, int64_t delta) { g_live[static_cast<int>(kind)].fetch_add(delta, std::memory_order_relaxed); }

} // namespace mpjava
