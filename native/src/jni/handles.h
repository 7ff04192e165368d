// The handles Java holds: ids into one table of shared_ptrs, never raw addresses.
// An id is never reused, so a stale or forged id finds nothing and fails with a
// ClosedHandle error instead of touching freed memory; a native function keeps the
// object alive (its own shared_ptr copy) while it runs, so a concurrent free is safe.
#pragma once

#include <mpjava/runtime/event_loop.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace mpjava {
namespace api {

enum class HandleKind : int { Loop, Schema, Interface, Listener, Client, Result, Call, Reply, Count };

const char* HandleKindName(HandleKind kind);

// What a native function throws for an id that is closed (or never existed); Java
// maps it to ClosedException by the CLOSED_HANDLE prefix of the message.
class ClosedHandle : public ClosedError {
public:
    explicit ClosedHandle(HandleKind kind);
};

// Registers `object`; `loop` (a Loop id, or 0) is the loop whose close releases it.
// Throws ClosedHandle if that loop was already released (the caller drops `object`).
int64_t AddHandle(HandleKind kind, std::shared_ptr<void> object, int64_t loop = 0);
std::shared_ptr<void> GetHandle(int64_t id, HandleKind kind);
// Removes the entry and returns the object (null if already gone), to be dropped by
// the caller outside the table's lock.
std::shared_ptr<void> TakeHandle(int64_t id, HandleKind kind);
// Drops every entry released by `loop` (called once the loop has stopped).
void ReleaseLoopHandles(int64_t loop);
int64_t HandleCount(HandleKind kind);

template <typename T>
std::shared_ptr<T> Get(int64_t id, HandleKind kind)
{
    return std::static_pointer_cast<T>(GetHandle(id, kind));
}

} // namespace api
} // namespace mpjava
