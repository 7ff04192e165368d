#include <mpjava/io/process.h>

#include <mpjava/io/sockets.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

// The child's socket is made inheritable by a dup2 file action onto its own fd number, which
// clears FD_CLOEXEC in the child only: glibc does so since 2.29 (BZ #23640), and POSIX.1-2024
// requires it. An older glibc would silently start every child without its socket.
#if defined(__GLIBC__) && (__GLIBC__ < 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ < 29))
#error "SpawnProcess needs glibc 2.29 or later (posix_spawn_file_actions_adddup2 with fd == newfd)"
#endif

namespace mpjava {

namespace {

// A posix_spawn_file_actions_t destroyed on every path out of SpawnProcess.
class FileActions
{
public:
    FileActions()
    {
        int rc = ::posix_spawn_file_actions_init(&m_actions);
        if (rc != 0) throw std::runtime_error(std::string("posix_spawn_file_actions_init failed: ") + std::strerror(rc));
    }
    ~FileActions() { ::posix_spawn_file_actions_destroy(&m_actions); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;

    posix_spawn_file_actions_t* get() { return &m_actions; }

private:
    posix_spawn_file_actions_t m_actions;
};

} // namespace

std::pair<int, int> SpawnProcess(std::vector<std::string> argv)
{
    if (argv.empty()) throw std::runtime_error("cannot spawn: empty command line");
    // Both ends stay close-on-exec in this process the whole time, so a process spawned
    // meanwhile by another thread inherits neither (clearing the flag here, before the
    // spawn, let concurrent spawns pick up each other's sockets).
    auto [parent_fd, child_fd] = MakeSocketPair();
    pid_t pid = 0;
    int rc = 0;
    try {
        bool placed = false;
        for (auto& arg : argv) {
            if (arg == "{fd}") {
                arg = std::to_string(child_fd);
                placed = true;
            }
        }
        if (!placed) argv.push_back(std::to_string(child_fd));
        std::vector<char*> args;
        for (auto& arg : argv) args.push_back(arg.data());
        args.push_back(nullptr);
        FileActions actions;
        rc = ::posix_spawn_file_actions_adddup2(actions.get(), child_fd, child_fd);
        if (rc != 0) {
            throw std::runtime_error("cannot spawn '" + argv[0] + "': posix_spawn_file_actions_adddup2 failed: " +
                                     std::strerror(rc));
        }
        rc = ::posix_spawnp(&pid, args[0], actions.get(), nullptr, args.data(), environ);
    } catch (...) {
        ::close(child_fd);
        ::close(parent_fd);
        throw;
    }
    ::close(child_fd);
    if (rc != 0) {
        ::close(parent_fd);
        throw std::runtime_error("cannot spawn '" + argv[0] + "': " + std::strerror(rc));
    }
    return {static_cast<int>(pid), parent_fd};
}

int WaitProcess(int pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

void KillProcess(int pid) { ::kill(pid, SIGKILL); }

} // namespace mpjava
