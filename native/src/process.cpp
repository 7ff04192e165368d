#include <mpjava/process.h>

#include <mpjava/sockets.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mpjava {

std::pair<int, int> SpawnProcess(std::vector<std::string> argv)
{
    if (argv.empty()) throw std::runtime_error("cannot spawn: empty command line");
    auto [parent_fd, child_fd] = MakeSocketPair();
    // The child's end must survive exec; the parent's end must not leak into it.
    ::fcntl(child_fd, F_SETFD, 0);
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
    pid_t pid = 0;
    int rc = ::posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
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
