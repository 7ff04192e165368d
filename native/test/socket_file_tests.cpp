// The listening socket file (io/socket_file.cpp): mode and group that hold from the
// moment the path exists, the non-blocking probe of a path already taken, and removal
// only while the file is still ours. Real sockets in fresh temporary directories.
#include "test_support.h"

#include <mpjava/io/sockets.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace mpjava;
using namespace mpjava::test;

namespace {

struct stat Stat(const std::string& path)
{
    struct stat st{};
    if (::lstat(path.c_str(), &st) != 0) throw CheckFailed("lstat " + path + ": " + std::strerror(errno));
    return st;
}

bool Exists(const std::string& path)
{
    struct stat st{};
    return ::lstat(path.c_str(), &st) == 0;
}

// Entries of the socket's directory other than the socket: a private bind directory
// left behind would show up here.
int OtherEntries(const std::string& path)
{
    auto socket = std::filesystem::path(path);
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(socket.parent_path())) {
        if (e.path() != socket) ++n;
    }
    return n;
}

BindOptions Mode(unsigned mode)
{
    BindOptions o;
    o.mode = mode;
    return o;
}

// Fills a listening socket's backlog with non-blocking connects; returns their fds.
std::vector<int> FillBacklog(const std::string& path)
{
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.data(), path.size());
    std::vector<int> fds;
    for (int i = 0; i < 64; ++i) {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
            MPJ_CHECK_EQ(errno, EAGAIN);
            ::close(fd);
            return fds;
        }
        fds.push_back(fd);
    }
    throw CheckFailed("the backlog never filled");
}

class Umask {
public:
    explicit Umask(mode_t mask) : m_old(::umask(mask)) {}
    ~Umask() { ::umask(m_old); }

private:
    mode_t m_old;
};

} // namespace

MPJ_TEST(SocketModeIsAppliedAndNeverWiderWhileBinding)
{
    Umask wide(0);  // a plain bind would make the socket 0777 for a moment
    std::string path = TempSocketPath("mode.sock");
    std::atomic<bool> done{false};
    std::atomic<int> seen{0}, wider{0};
    // Watches the path as fast as it can while it is bound and closed again and again:
    // every time the file is there, its mode must already be the one asked for.
    std::thread watcher([&] {
        while (!done) {
            struct stat st{};
            if (::lstat(path.c_str(), &st) != 0) continue;
            ++seen;
            if ((st.st_mode & 0777) != 0600) ++wider;
        }
    });
    // At least 300 binds, and until the watcher has caught the file 100 times (a busy
    // machine may not schedule it for a while).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (int i = 0; i < 300 || seen.load() < 100; ++i) {
        MPJ_CHECK(std::chrono::steady_clock::now() < deadline);
        BoundSocket bound = BindSocketFile(path, Mode(0600));
        MPJ_CHECK_EQ(Stat(path).st_mode & 0777, 0600u);
        MPJ_CHECK(bound.file.unlinkIfOurs());
        CloseFd(bound.fd);
    }
    done = true;
    watcher.join();
    MPJ_CHECK_EQ(wider.load(), 0);
    MPJ_CHECK_EQ(OtherEntries(path), 0);  // no private directory left behind
}

MPJ_TEST(SocketGroupIsApplied)
{
    // Root may give any group; otherwise use one of our own supplementary groups.
    gid_t group = ::getuid() == 0 ? 65534 : ::getgid();
    std::string path = TempSocketPath("group.sock");
    BindOptions options = Mode(0660);
    options.group = group;
    BoundSocket bound = BindSocketFile(path, options);
    struct stat st = Stat(path);
    MPJ_CHECK(S_ISSOCK(st.st_mode));
    MPJ_CHECK_EQ(st.st_gid, group);
    MPJ_CHECK_EQ(st.st_mode & 0777, 0660u);
    MPJ_CHECK_EQ(OtherEntries(path), 0);
    int client = ConnectUnixSocket(path);  // a working listening socket at the final path
    CloseFd(client);
    CloseFd(bound.fd);
}

MPJ_TEST(SocketModeWorksForTheLongestPath)
{
    // No room for the private directory's name in a sockaddr_un: bound through /proc.
    std::string dir = std::filesystem::path(TempSocketPath("x")).parent_path();
    std::string path = dir + "/" + std::string(MaxSocketPathLength() - dir.size() - 1, 'L');
    MPJ_CHECK_EQ(path.size(), MaxSocketPathLength());
    BoundSocket bound = BindSocketFile(path, Mode(0640));
    MPJ_CHECK_EQ(Stat(path).st_mode & 0777, 0640u);
    int client = ConnectUnixSocket(path);
    CloseFd(client);
    MPJ_CHECK_EQ(OtherEntries(path), 0);
    CloseFd(bound.fd);
}

MPJ_TEST(SocketFileIsUnlinkedOnlyWhileItIsOurs)
{
    std::string path = TempSocketPath("owned.sock");
    BoundSocket first = BindSocketFile(path, {});
    MPJ_CHECK(first.file.unlinkIfOurs());
    MPJ_CHECK(!Exists(path));
    MPJ_CHECK(!first.file.unlinkIfOurs());  // already gone
    CloseFd(first.fd);

    // Someone removes our file and binds their own at the path: closing ours keeps theirs.
    BoundSocket ours = BindSocketFile(path, Mode(0600));
    ::unlink(path.c_str());
    BoundSocket theirs = BindSocketFile(path, {});
    MPJ_CHECK(!ours.file.unlinkIfOurs());
    MPJ_CHECK(Exists(path));
    int client = ConnectUnixSocket(path);
    CloseFd(client);
    CloseFd(ours.fd);
    CloseFd(theirs.fd);
}

MPJ_TEST(BindOnLiveServerWithFullBacklogFailsFast)
{
    std::string path = TempSocketPath("busy.sock");
    BindOptions small;
    small.backlog = 1;
    BoundSocket live = BindSocketFile(path, small);  // never accepts
    std::vector<int> waiting = FillBacklog(path);
    for (const BindOptions& options : {BindOptions{}, Mode(0600)}) {
        auto start = std::chrono::steady_clock::now();
        MPJ_CHECK_THROWS(BindSocketFile(path, options), "a server is already listening on it (its backlog is full)");
        auto took = std::chrono::steady_clock::now() - start;
        MPJ_CHECK(took < std::chrono::seconds(1));
        std::fprintf(stderr, "probe of a full-backlog server failed in %lld us\n",
                     static_cast<long long>(std::chrono::duration_cast<std::chrono::microseconds>(took).count()));
    }
    for (int fd : waiting) CloseFd(fd);
    // With room in its backlog the server is just as live.
    MPJ_CHECK_THROWS(BindSocketFile(path, {}), "a server is already listening on it");
    MPJ_CHECK(Exists(path));
    MPJ_CHECK_EQ(OtherEntries(path), 0);
    CloseFd(live.fd);
}

MPJ_TEST(StaleSocketFileIsReplaced)
{
    for (const BindOptions& options : {BindOptions{}, Mode(0600)}) {
        std::string path = TempSocketPath("stale.sock");
        BoundSocket old = BindSocketFile(path, {});
        CloseFd(old.fd);  // the file stays, nothing accepts on it (connect: refused)
        BoundSocket fresh = BindSocketFile(path, options);
        MPJ_CHECK_EQ(Stat(path).st_ino, fresh.file.inode);
        int client = ConnectUnixSocket(path);
        CloseFd(client);
        MPJ_CHECK_EQ(OtherEntries(path), 0);
        CloseFd(fresh.fd);
    }
}

MPJ_TEST(BindRefusesAPathThatIsNotASocket)
{
    for (const BindOptions& options : {BindOptions{}, Mode(0600)}) {
        std::string path = TempSocketPath("file.sock");
        std::ofstream(path) << "keep me";
        MPJ_CHECK_THROWS(BindSocketFile(path, options), "the path exists and is not a socket");
        std::string text;
        std::getline(std::ifstream(path), text);
        MPJ_CHECK_EQ(text, std::string("keep me"));
        MPJ_CHECK_EQ(OtherEntries(path), 0);
    }
}

MPJ_TEST(BindErrorsNameTheOption)
{
    std::string path = TempSocketPath("bad.sock");
    MPJ_CHECK_THROWS(BindSocketFile(path, Mode(01777)), "is not a permission mode");
    if (::getuid() != 0) {
        BindOptions foreign;
        foreign.group = 0;  // a group we are not in
        MPJ_CHECK_THROWS(BindSocketFile(path, foreign), "cannot give group 0 to socket");
    }
    MPJ_CHECK_THROWS(BindSocketFile("/proc/mpjava-no.sock", Mode(0600)), "cannot create a private directory");
    MPJ_CHECK(!Exists(path));
}

MPJ_TEST(DefaultBacklogTakesABurstOfNonBlockingConnects)
{
    // The old default of 16 refused 32 of 50 such clients with EAGAIN.
    std::string path = TempSocketPath("burst.sock");
    BoundSocket bound = BindSocketFile(path, {});  // nobody accepts meanwhile
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.data(), path.size());
    std::vector<int> clients;
    for (int i = 0; i < 100; ++i) {  // within net.core.somaxconn even where it is 128
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        MPJ_CHECK(::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0);
        clients.push_back(fd);
    }
    for (int fd : clients) CloseFd(fd);
    CloseFd(bound.fd);
}
