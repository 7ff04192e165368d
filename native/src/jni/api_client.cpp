#include <mpjava/api.h>

#include "facade.h"

#include <cstring>
#include <thread>

namespace mpjava {
namespace api {

namespace {

// Closes a client's connection, or releases a received capability (loop thread, or
// after the loop has stopped).
void CloseClient(ClientHandle& handle)
{
    OnLoopOrAfterClose(handle.loop, [&] {
        if (handle.connection) handle.connection->close();
        if (handle.ref) {
            handle.ref->teardown();  // releases the capability
            if (handle.loop->onLoopThread() && !handle.loop->closed()) handle.loop->forgetLater(handle.ref.get());
        }
    });
}

} // namespace

// ---- clients ----------------------------------------------------------------

int64_t client_connect(int64_t loop_id, int fd, int64_t iface_id, int64_t event_token)
{
    return Guarded([&] {
        FdGuard owned(fd);
        auto loop = LoopOf(loop_id);
        auto handle = std::make_shared<ClientHandle>();
        handle->loop = loop;
        handle->loop_id = loop_id;
        handle->iface = Get<const InterfaceInfo>(iface_id, HandleKind::Interface);
        loop->sync([&] {
            auto client = std::make_shared<Client>(*loop, WrapSocket(*loop, owned.release()), handle->iface->schema,
                                                   [event_token] { Event(event_token, EVENT_PEER_DISCONNECTED, 0, 0); },
                                                   [event_token](int status) { Event(event_token, EVENT_CONSTRUCTED, status, 0); });
            loop->adopt(client);
            handle->connection = client;
            handle->threads = client->threads();
        });
        return AddLoopHandle(HandleKind::Client, handle, loop, loop_id);
    });
}

std::string client_describe(int64_t client) { return Describe(*Get<ClientHandle>(client, HandleKind::Client)->iface); }

std::string client_construct_failure(int64_t client)
{
    return Guarded([&] {
        auto handle = Get<ClientHandle>(client, HandleKind::Client);
        return handle->connection ? handle->connection->constructFailure() : std::string();
    });
}

void client_close(int64_t client) { CloseClient(*Get<ClientHandle>(client, HandleKind::Client)); }

void client_free(int64_t client)
{
    auto handle = std::static_pointer_cast<ClientHandle>(TakeHandle(client, HandleKind::Client));
    if (!handle) return;
    CloseClient(*handle);
    auto loop = handle->loop;
    OnLoopOrAfterClose(loop, [&] { handle.reset(); });  // its capability is dropped on the loop thread
}

} // namespace api
} // namespace mpjava
