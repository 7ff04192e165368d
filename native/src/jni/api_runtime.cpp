#include <mpjava/api.h>

#include "facade.h"

#include <mpjava/io/process.h>
#include <mpjava/io/sockets.h>
#include <mpjava/values/declarations.h>

#include <cstdio>
#include <sstream>

namespace mpjava {
namespace api {

std::string Describe(const InterfaceInfo& iface)
{
    std::string out = iface.schema.getShortDisplayName().cStr();
    for (const auto& method : iface.methods) {
        out += '\n';
        out += method.getProto().getName().cStr();
    }
    return out;
}


std::string closed_handle_prefix() { return CLOSED_HANDLE; }

void install_upcalls(LogUpcall log, CallUpcall call, EventUpcall event, ThreadUpcall thread)
{
    g_log = log;
    g_call = call;
    g_event = event;
    SetThreadStartHook([thread](const std::string& name) {
        if (thread) thread(name.c_str());
    });
}

// ---- event loop -------------------------------------------------------------

int64_t loop_start(const char* name, int min_level, int64_t max_chars, int64_t log_token)
{
    return Guarded([&] {
        LogOptions options;
        options.min_level = static_cast<Level>(min_level);
        options.max_chars = max_chars < 0 ? 0 : static_cast<size_t>(max_chars);
        options.fn = [log_token](Level level, const std::string& thread, const std::string& message) {
            if (auto fn = g_log.load()) fn(log_token, static_cast<int>(level), thread.c_str(), message.c_str());
        };
        return AddHandle(HandleKind::Loop, EventLoop::Start(name ? name : "loop", std::move(options)));
    });
}

void loop_close(int64_t loop)
{
    Guarded([&] { LoopOf(loop)->close(); });
}

bool loop_on_thread(int64_t loop) { return LoopOf(loop)->onLoopThread(); }

void loop_free(int64_t loop)
{
    auto shared = std::static_pointer_cast<EventLoop>(TakeHandle(loop, HandleKind::Loop));
    if (!shared) return;
    shared->close();
    ReleaseLoopHandles(loop);
}

void loop_log(int64_t loop, int level, const char* message)
{
    LoopOf(loop)->log(static_cast<Level>(level), message ? message : "");
}

// ---- schemas ----------------------------------------------------------------

int64_t schema_new(const char* import_paths)
{
    return Guarded([&] { return AddHandle(HandleKind::Schema, std::make_shared<SchemaSet>(SplitLines(import_paths))); });
}

void schema_load(int64_t schema, const char* file)
{
    Guarded([&] { Get<SchemaSet>(schema, HandleKind::Schema)->load(file ? file : ""); });
}

void schema_free(int64_t schema) { TakeHandle(schema, HandleKind::Schema); }

std::string schema_declarations(int64_t schema)
{
    return Guarded([&] { return DescribeDeclarations(*Get<SchemaSet>(schema, HandleKind::Schema)); });
}

int64_t schema_interface(int64_t schema, const char* name)
{
    return Guarded([&] {
        auto set = Get<SchemaSet>(schema, HandleKind::Schema);
        auto info = set->interfaceInfo(set->findInterface(name ? name : ""));
        return AddHandle(HandleKind::Interface, std::const_pointer_cast<InterfaceInfo>(info));
    });
}

std::string interface_describe(int64_t iface) { return Describe(*Get<const InterfaceInfo>(iface, HandleKind::Interface)); }

void interface_free(int64_t iface) { TakeHandle(iface, HandleKind::Interface); }

// ---- sockets ----------------------------------------------------------------

int socket_bind(const char* path, int backlog) { return BindUnixSocket(path ? path : "", backlog); }
int socket_connect(const char* path) { return ConnectUnixSocket(path ? path : ""); }

void socket_pair(int* fds)
{
    auto pair = MakeSocketPair();
    fds[0] = pair.first;
    fds[1] = pair.second;
}

void fd_close(int fd) { CloseFd(fd); }

// ---- processes --------------------------------------------------------------

int process_spawn(const char* argv, int* fd)
{
    std::vector<std::string> args;
    std::istringstream in(argv ? argv : "");
    std::string line;
    while (std::getline(in, line)) args.push_back(line);
    auto [pid, socket] = SpawnProcess(args);
    *fd = socket;
    return pid;
}

int process_wait(int pid) { return WaitProcess(pid); }
void process_kill(int pid) { KillProcess(pid); }

// ---- diagnostics --------------------------------------------------------------

std::string native_stats()
{
    std::string out;
    for (int k = 0; k < static_cast<int>(Live::Count); ++k) {
        out += std::string(LiveName(static_cast<Live>(k))) + "=" + std::to_string(LiveCount(static_cast<Live>(k))) + "\n";
    }
    for (int k = 0; k < static_cast<int>(HandleKind::Count); ++k) {
        auto kind = static_cast<HandleKind>(k);
        out += std::string("handles.") + HandleKindName(kind) + "=" + std::to_string(HandleCount(kind)) + "\n";
    }
    return out;
}

} // namespace api
} // namespace mpjava
