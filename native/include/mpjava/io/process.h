// Spawning a peer process the way upstream's SpawnProcess does: one end of a new
// socketpair is inherited by the child at an fd number passed on its command line.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mpjava {

// Starts argv[0] (looked up in PATH) with argv; every argument equal to "{fd}" is
// replaced by the child's socket fd number (appended if no argument is "{fd}").
// Returns {pid, the parent's end of the socketpair}. Throws std::runtime_error.
std::pair<int, int> SpawnProcess(std::vector<std::string> argv);

// Waits for the process to end; returns its exit code (128 + signal if killed).
int WaitProcess(int pid);

// Sends SIGKILL.
void KillProcess(int pid);

} // namespace mpjava
