// What a Listener lets in and how it copes: peer credentials on its events, the uid/gid
// allowlists (against a real second uid: a forked child that becomes nobody), the
// socket file's mode against a non-owner, removing the file it bound, and accept()
// failing for want of fds (one log line per episode, growing retry delay).
#include "test_support.h"

#include "bench.h"
#include <mpjava/io/sockets.h>
#include <mpjava/protocol/dispatch.h>
#include <mpjava/rpc/listener.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>

#include <grp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mpjava;
using namespace mpjava::test;

namespace {

constexpr unsigned kNobody = 65534;

struct Logs {
    std::mutex mutex;
    std::vector<std::pair<Level, std::string>> lines;
    LogOptions options()
    {
        LogOptions o;
        o.min_level = Level::Trace;
        o.fn = [this](Level level, const std::string&, const std::string& message) {
            std::lock_guard<std::mutex> lock(mutex);
            lines.emplace_back(level, message);
        };
        return o;
    }
    int count(const std::string& text, std::optional<Level> level = std::nullopt)
    {
        std::lock_guard<std::mutex> lock(mutex);
        int n = 0;
        for (auto& [l, m] : lines) n += m.find(text) != std::string::npos && (!level || l == *level);
        return n;
    }
};

struct Event {
    bool connected;
    Peer peer;
    std::size_t active;
};

// A CalcInit server on a socket file it bound, in a directory anyone may enter.
struct GuardedServer {
    Logs logs;
    std::shared_ptr<EventLoop> loop;
    std::shared_ptr<Listener> listener;
    std::string path = TempSocketPath("guard.sock");
    std::mutex mutex;
    std::vector<Event> events;

    GuardedServer(ServerOptions options, BindOptions bind = {})
    {
        ::chmod(std::filesystem::path(path).parent_path().c_str(), 0755);
        loop = EventLoop::Start("server", logs.options());
        BoundSocket bound = BindSocketFile(path, bind);
        ConnectionEvents watch;
        watch.connected = [this](const Peer& p, std::size_t active) { record(true, p, active); };
        watch.disconnected = [this](const Peer& p, std::size_t active) { record(false, p, active); };
        loop->sync([&] {
            auto handler = MakeAddHandler();
            EventLoop& l = *loop;
            auto calc = TestSchemas().findInterface("CalcInit");
            listener = std::make_shared<Listener>(
                l, [&l, handler, calc](const Peer&) { return MakeDynamicServer(l, calc, handler); }, options, watch);
            l.adopt(listener);
            listener->listen(WrapListener(l, bound.fd), bound.file);
        });
    }
    ~GuardedServer() { loop->close(); }

    void record(bool connected, const Peer& peer, std::size_t active)
    {
        std::lock_guard<std::mutex> lock(mutex);
        events.push_back({connected, peer, active});
    }
    std::vector<Event> seen()
    {
        std::lock_guard<std::mutex> lock(mutex);
        return events;
    }
    std::size_t active() { return listener->activeConnections(); }
};

// A client process running as nobody: it connects and waits for the server to close
// the connection, or for the parent to kill it.
struct NobodyClient {
    enum Outcome { CLOSED_BY_SERVER = 0, CONNECT_DENIED = 1, CONNECT_FAILED = 2, NOT_CLOSED = 3, NO_SETUID = 4 };
    pid_t pid = -1;

    explicit NobodyClient(const std::string& path)
    {
        sockaddr_un addr{};  // built before fork(): the child only makes system calls
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, path.data(), path.size());
        pid = ::fork();
        if (pid < 0) throw CheckFailed("fork failed");
        if (pid > 0) return;
        if (::setgroups(0, nullptr) != 0 || ::setresgid(kNobody, kNobody, kNobody) != 0 ||
            ::setresuid(kNobody, kNobody, kNobody) != 0) {
            ::_exit(NO_SETUID);
        }
        int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
            ::_exit(errno == EACCES ? CONNECT_DENIED : CONNECT_FAILED);
        }
        pollfd p{fd, POLLIN, 0};
        char byte;
        if (::poll(&p, 1, 10000) == 1 && ::read(fd, &byte, 1) <= 0) ::_exit(CLOSED_BY_SERVER);
        ::_exit(NOT_CLOSED);
    }
    ~NobodyClient()
    {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    // Waits (10 s at most) for the child's outcome.
    int outcome()
    {
        int status = 0;
        WaitFor([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, "the nobody client to finish");
        pid = -1;
        if (!WIFEXITED(status)) throw CheckFailed("the nobody client did not exit normally");
        return WEXITSTATUS(status);
    }
};

bool CanBecomeNobody()
{
    if (::getuid() == 0) return true;
    std::fprintf(stderr, "skipped: not root, cannot run a client as another uid\n");
    return false;
}

ServerOptions Allow(std::vector<int64_t> uids, std::optional<std::vector<int64_t>> gids = std::nullopt)
{
    ServerOptions o;
    o.allowed_uids = std::move(uids);
    o.allowed_gids = std::move(gids);
    return o;
}

BindOptions Mode(unsigned mode)
{
    BindOptions o;
    o.mode = mode;
    return o;
}

} // namespace

MPJ_TEST(ConnectionEventsCarryThePeerCredentials)
{
    GuardedServer server({});
    int fd = ConnectUnixSocket(server.path);
    WaitFor([&] { return server.seen().size() == 1; }, "the connected event");
    CloseFd(fd);
    WaitFor([&] { return server.seen().size() == 2; }, "the disconnected event");
    auto events = server.seen();
    for (const Event& e : events) {
        MPJ_CHECK_EQ(e.peer.connection_id, 1u);
        MPJ_CHECK_EQ(e.peer.pid, static_cast<int64_t>(::getpid()));
        MPJ_CHECK_EQ(e.peer.uid, static_cast<int64_t>(::getuid()));
        MPJ_CHECK_EQ(e.peer.gid, static_cast<int64_t>(::getgid()));
    }
    MPJ_CHECK(events[0].connected && !events[1].connected);
}

MPJ_TEST(UidAllowlistRefusesOtherUidWithoutTakingASlot)
{
    if (!CanBecomeNobody()) return;
    ServerOptions options = Allow({static_cast<int64_t>(::getuid())});
    options.max_connections = 1;
    GuardedServer server(options, Mode(0666));
    NobodyClient nobody(server.path);
    pid_t child = nobody.pid;
    MPJ_CHECK_EQ(nobody.outcome(), int(NobodyClient::CLOSED_BY_SERVER));
    MPJ_CHECK_EQ(server.logs.count("IPC server: refused connection from pid " + std::to_string(child) +
                                       " uid 65534 gid 65534", Level::Warning), 1);
    MPJ_CHECK(server.seen().empty());
    MPJ_CHECK_EQ(server.active(), 0u);
    MPJ_CHECK_EQ(server.logs.count("IPC server: socket connected."), 0);
    // The one slot is still free for an allowed peer.
    int fd = ConnectUnixSocket(server.path);
    WaitFor([&] { return server.seen().size() == 1; }, "the allowed peer to be served");
    MPJ_CHECK_EQ(server.active(), 1u);
    MPJ_CHECK_EQ(server.seen()[0].peer.uid, static_cast<int64_t>(::getuid()));
    CloseFd(fd);
}

MPJ_TEST(GidAllowlistAdmitsAPeerOfThatGroup)
{
    if (!CanBecomeNobody()) return;
    GuardedServer server(Allow({}, std::vector<int64_t>{kNobody}), Mode(0666));
    NobodyClient nobody(server.path);
    WaitFor([&] { return server.seen().size() == 1; }, "the nobody peer to be served");
    Event e = server.seen().at(0);
    MPJ_CHECK(e.connected);
    MPJ_CHECK_EQ(e.peer.pid, static_cast<int64_t>(nobody.pid));
    MPJ_CHECK_EQ(e.peer.uid, static_cast<int64_t>(kNobody));
    MPJ_CHECK_EQ(e.peer.gid, static_cast<int64_t>(kNobody));
    // Our own uid is not listed, nor our gid (0): we are the refused one here.
    int fd = ConnectUnixSocket(server.path);
    WaitFor([&] { return server.logs.count("refused connection from pid " + std::to_string(::getpid())) == 1; },
            "our own connection to be refused");
    CloseFd(fd);
    MPJ_CHECK_EQ(server.active(), 1u);
}

MPJ_TEST(SocketModeRefusesANonOwner)
{
    if (!CanBecomeNobody()) return;
    {
        GuardedServer owner_only({}, Mode(0600));
        NobodyClient nobody(owner_only.path);
        MPJ_CHECK_EQ(nobody.outcome(), int(NobodyClient::CONNECT_DENIED));
        MPJ_CHECK(owner_only.seen().empty());
    }
    GuardedServer everyone({}, Mode(0666));
    NobodyClient nobody(everyone.path);
    WaitFor([&] { return everyone.active() == 1; }, "the nobody peer to be served at mode 0666");
}

MPJ_TEST(ListenerUnlinksItsSocketFileOnlyWhileItIsOurs)
{
    {
        GuardedServer server({});
        server.loop->sync([&] { server.listener->stopAccepting(); });
        MPJ_CHECK(!std::filesystem::exists(server.path));
    }
    std::string closed_with_loop;
    {
        GuardedServer server({});
        closed_with_loop = server.path;
    }  // the loop's close tears the listener down
    MPJ_CHECK(!std::filesystem::exists(closed_with_loop));

    GuardedServer server({});
    ::unlink(server.path.c_str());
    BoundSocket successor = BindSocketFile(server.path, {});
    server.loop->sync([&] { server.listener->stopAccepting(); });
    MPJ_CHECK(std::filesystem::exists(server.path));
    int fd = ConnectUnixSocket(server.path);  // still the successor's, listening
    CloseFd(fd);
    CloseFd(successor.fd);
}

MPJ_TEST(AcceptOutOfFdsBacksOffAndLogsOncePerEpisode)
{
    GuardedServer server({});
    rlimit old{};
    ::getrlimit(RLIMIT_NOFILE, &old);
    rlimit low = old;
    low.rlim_cur = std::min<rlim_t>(old.rlim_cur, 512);
    MPJ_CHECK(::setrlimit(RLIMIT_NOFILE, &low) == 0);
    std::vector<int> clients;
    for (int episode = 1; episode <= 2; ++episode) {
        // The client's socket first: once the table is full, connect() needs no new fd
        // here, but the server's accept() does.
        int client = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        std::vector<int> filler;
        for (int fd; (fd = ::dup(2)) >= 0;) filler.push_back(fd);
        MPJ_CHECK_EQ(errno, EMFILE);
        uint64_t failures_before = server.listener->acceptFailures();
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, server.path.data(), server.path.size());
        auto start = std::chrono::steady_clock::now();
        MPJ_CHECK(::connect(client, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0);
        // Five failures are 10 + 20 + 40 + 80 ms of retry delay apart at least: the delay grows.
        WaitFor([&] { return server.listener->acceptFailures() >= failures_before + 5; }, "five failed accepts");
        auto took = std::chrono::steady_clock::now() - start;
        for (int fd : filler) ::close(fd);
        MPJ_CHECK(took >= std::chrono::milliseconds(150));
        WaitFor([&] { return server.active() == static_cast<std::size_t>(episode); }, "accepting to recover");
        MPJ_CHECK_EQ(server.logs.count("IPC server: accept failed", Level::Error), episode);
        MPJ_CHECK_EQ(server.logs.count("Too many open files"), episode);
        WaitFor([&] { return server.logs.count("IPC server: accepting again after", Level::Info) == episode; },
                "the recovery line");
        clients.push_back(client);
    }
    for (int fd : clients) CloseFd(fd);
    ::setrlimit(RLIMIT_NOFILE, &old);
}

MPJ_TEST(RefusedPeerReconnectingInALoopCannotFloodTheLog)
{
    GuardedServer server(Allow({static_cast<int64_t>(::getuid()) + 4242}));  // not us
    constexpr int kAttempts = 100;
    for (int i = 0; i < kAttempts; ++i) CloseFd(ConnectUnixSocket(server.path));
    auto summed = [&] {
        std::lock_guard<std::mutex> lock(server.logs.mutex);
        int n = 0;
        for (auto& [level, message] : server.logs.lines) {
            unsigned long more = 0;
            if (std::sscanf(message.c_str(), "IPC server: refused %lu more connections", &more) == 1) n += int(more);
        }
        return n;
    };
    int one_by_one = 0;
    WaitFor([&] {
        one_by_one = server.logs.count("IPC server: refused connection from pid");
        return one_by_one + summed() == kAttempts;
    }, "every refusal logged or summed up");
    MPJ_CHECK(one_by_one <= kAttempts / 2);  // 10 a second: all 100 would take 10 s
    MPJ_CHECK(server.seen().empty());
    MPJ_CHECK_EQ(server.active(), 0u);
}
