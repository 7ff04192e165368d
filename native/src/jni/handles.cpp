#include "handles.h"

#include <mpjava/api.h>

#include <mutex>
#include <unordered_map>
#include <vector>

namespace mpjava {
namespace api {

namespace {
struct Entry {
    HandleKind kind;
    std::shared_ptr<void> object;
    int64_t loop;
};

struct Table {
    std::mutex mutex;
    std::unordered_map<int64_t, Entry> entries;              // guarded by mutex
    int64_t next_id = 1;                                     // guarded by mutex
    int64_t counts[static_cast<int>(HandleKind::Count)]{};  // guarded by mutex
};

// Never destroyed: at process exit the static destructors would drop the last
// reference to loops nobody closed, whose close() would join a loop thread that can
// no longer detach from the exiting JVM (a hang), or that still uses the table.
Table& g = *new Table();
} // namespace

const char* HandleKindName(HandleKind kind)
{
    switch (kind) {
    case HandleKind::Loop: return "loop";
    case HandleKind::Schema: return "schema";
    case HandleKind::Interface: return "interface";
    case HandleKind::Listener: return "listener";
    case HandleKind::Client: return "client";
    case HandleKind::Result: return "result";
    case HandleKind::Call: return "call";
    case HandleKind::Reply: return "reply";
    case HandleKind::Count: break;
    }
    return "?";
}

ClosedHandle::ClosedHandle(HandleKind kind)
    : ClosedError(std::string(CLOSED_HANDLE) + HandleKindName(kind) + " is closed")
{
}

int64_t AddHandle(HandleKind kind, std::shared_ptr<void> object, int64_t loop)
{
    std::lock_guard<std::mutex> lock(g.mutex);
    if (loop != 0) {
        // A handle of a released loop would never be released: refuse it.
        auto owner = g.entries.find(loop);
        if (owner == g.entries.end() || owner->second.kind != HandleKind::Loop) throw ClosedHandle(HandleKind::Loop);
    }
    int64_t id = g.next_id++;
    g.entries.emplace(id, Entry{kind, std::move(object), loop});
    ++g.counts[static_cast<int>(kind)];
    return id;
}

std::shared_ptr<void> GetHandle(int64_t id, HandleKind kind)
{
    std::lock_guard<std::mutex> lock(g.mutex);
    auto it = g.entries.find(id);
    if (it == g.entries.end() || it->second.kind != kind) throw ClosedHandle(kind);
    return it->second.object;
}

std::shared_ptr<void> TakeHandle(int64_t id, HandleKind kind)
{
    std::lock_guard<std::mutex> lock(g.mutex);
    auto it = g.entries.find(id);
    if (it == g.entries.end() || it->second.kind != kind) return nullptr;
    auto object = std::move(it->second.object);
    g.entries.erase(it);
    --g.counts[static_cast<int>(kind)];
    return object;
}

void ReleaseLoopHandles(int64_t loop)
{
    std::vector<std::shared_ptr<void>> dropped;  // destroyed after the lock is released
    std::lock_guard<std::mutex> lock(g.mutex);
    for (auto it = g.entries.begin(); it != g.entries.end();) {
        if (it->second.loop == loop) {
            dropped.push_back(std::move(it->second.object));
            --g.counts[static_cast<int>(it->second.kind)];
            it = g.entries.erase(it);
        } else {
            ++it;
        }
    }
    // `dropped` must outlive `lock`: declared first, destroyed last.
}

int64_t HandleCount(HandleKind kind)
{
    std::lock_guard<std::mutex> lock(g.mutex);
    return g.counts[static_cast<int>(kind)];
}

} // namespace api
} // namespace mpjava
