// The keeper of intransit's PID namespace: see pid_keeper.h.
//
// Why a handshake on a socketpair, and not getppid() after PR_SET_PDEATHSIG:
// the keeper's parent (intransit) is outside the keeper's namespace, so
// getppid() is 0 there whether intransit lives or not. Instead the keeper,
// once PDEATHSIG is set, looks at its end of the socketpair: if intransit
// died before that (its end closed, the only other copy), the keeper exits
// at once; else it sends one byte, and intransit, which waits for it before
// doing anything else, knows the keeper will die with it.
//
// Why the keeper is a fork of intransit and not a program of its own: it is
// forked before any thread, runs a few system calls and never returns, so it
// needs nothing of the process image; and there is no path to find.
#include "base/pid_keeper.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace intransit {
namespace {

std::atomic<pid_t> g_keeper{-1};
// Our own PID namespace and the keeper's, while the keeper runs.
int g_own_ns = -1;
int g_keeper_ns = -1;

// In the keeper, the namespace's pid 1. Only system calls from here on.
[[noreturn]] void KeeperMain(int sock) {
  // Every signal but SIGKILL and SIGSTOP is blocked: a Ctrl-C to the
  // terminal's group (which we are in) is intransit's to handle, and SIGCHLD
  // is taken with sigwaitinfo below.
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  prctl(PR_SET_NAME, "intransit-keep");
  pollfd p{sock, POLLIN | POLLRDHUP, 0};
  if (poll(&p, 1, 0) != 0) _exit(0);  // intransit died before PDEATHSIG was set
  const char ready = 'k';
  if (write(sock, &ready, 1) != 1) _exit(0);
  // Hold no fd of intransit's (a pipe a reader waits on for EOF, the tty)
  // nor its working directory.
  if (syscall(SYS_close_range, 0, ~0U, 0) != 0) {
    for (int fd = 0; fd < 4096; ++fd) close(fd);
  }
  if (chdir("/") != 0) {
    // Not fatal: the keeper touches no file.
  }
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  // Reap every orphan of the namespace as it ends. SIGCHLD stays pending
  // while blocked, so a child that ends between the last waitpid and
  // sigwaitinfo still wakes us; with no child at all, sigwaitinfo waits for
  // the next orphan to arrive and end.
  while (true) {
    while (waitpid(-1, nullptr, WNOHANG | __WALL) > 0) {
    }
    siginfo_t info;
    sigwaitinfo(&chld, &info);
  }
}

// Points the calling thread's future children at our own namespace again:
// after a failed start (a namespace whose pid 1 is gone refuses every
// fork), and once the keeper runs (else the thread could not make threads).
bool Undo(int own_ns) { return setns(own_ns, CLONE_NEWPID) == 0; }

}  // namespace

bool StartKeeper() {
  // Opened first: without it a failure after unshare could not be undone.
  int own_ns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  if (own_ns < 0) return false;
  if (unshare(CLONE_NEWPID) != 0) {  // EPERM: no CAP_SYS_ADMIN; EINVAL: no PID namespaces
    close(own_ns);
    return false;
  }
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    Undo(own_ns);
    close(own_ns);
    return false;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    KeeperMain(sv[1]);
  }
  close(sv[1]);
  char ready = 0;
  ssize_t n = -1;
  if (pid > 0) {
    do {
      n = read(sv[0], &ready, 1);
    } while (n < 0 && errno == EINTR);
  }
  close(sv[0]);
  // The namespace, held by an fd so each fork can enter it (the link reads
  // only once the namespace has a process: the keeper).
  int keeper_ns = n == 1 ? open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC) : -1;
  if (keeper_ns < 0) {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    Undo(own_ns);
    close(own_ns);
    return false;
  }
  if (!Undo(own_ns)) {
    // Cannot happen with the capability unshare needed. If it did, this
    // thread could make no thread, and with the keeper gone no child either:
    // say so and end (3, an infrastructure error) rather than fail later.
    int e = errno;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    dprintf(2, "intransit: cannot leave the PID namespace of the children: %s\n", strerror(e));
    _exit(3);
  }
  g_own_ns = own_ns;
  g_keeper_ns = keeper_ns;
  g_keeper = pid;
  return true;
}

pid_t KeeperPid() { return g_keeper.load(); }

pid_t ForkIntoNamespace(pid_t* parent_seen_by_child) {
  *parent_seen_by_child = getpid();
  if (g_keeper.load() <= 0 || setns(g_keeper_ns, CLONE_NEWPID) != 0) return fork();
  // Set before fork: the child reads its copy.
  *parent_seen_by_child = 0;
  pid_t pid = fork();
  // The child stays pointed at the namespace, so its own children are there
  // too (and it may make threads: it lives in the namespace it points at).
  if (pid == 0) return 0;
  int e = errno;
  Undo(g_own_ns);
  errno = e;
  return pid;
}

void KillKeeper() {
  // Exchanged, so a second call cannot signal the pid once it is reaped
  // and perhaps reused.
  pid_t pid = g_keeper.exchange(-1);
  if (pid > 0) kill(pid, SIGKILL);
}

}  // namespace intransit
