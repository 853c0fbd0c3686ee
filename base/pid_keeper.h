// The keeper: a PID namespace for every child of intransit, so that a
// SIGKILL of intransit takes every process it started along, however that
// process was started (a store's `setsid` grandchild, a child that `sh -c`
// forked rather than exec'd, a daemon that double-forks).
//
// StartKeeper() calls unshare(CLONE_NEWPID) and forks the keeper, the new
// namespace's pid 1. Every child intransit forks afterwards through
// ForkIntoNamespace lands in that namespace; an orphan there is reparented
// to the keeper (not to intransit, nor to the host's init), which reaps it.
// The keeper dies with intransit (PR_SET_PDEATHSIG = SIGKILL), and when a
// namespace's pid 1 dies the kernel kills every process in the namespace.
// intransit itself stays in its own namespace: getpid() and every pid fork()
// returns to it are pids of its namespace, the one kill(), waitpid() and
// /proc speak.
//
// Why ForkIntoNamespace and not simply every fork after unshare: a thread
// whose children would go to another PID namespace than its own cannot
// create threads (clone fails with EINVAL), and intransit runs threads. So
// StartKeeper points the main thread's children back at our namespace once
// the keeper runs, and ForkIntoNamespace points the calling thread's at the
// keeper's for one fork only (setns; it is per thread).
//
// It needs CAP_SYS_ADMIN (root, or a container that grants it). Without it
// (EPERM), or on a kernel without PID namespaces (EINVAL), or when the
// keeper cannot be started, nothing changes: children are forked into our
// namespace as before, and the registry's subreaper and PDEATHSIG are all
// there is (docs/processes.md says what that leaves).
//
// Once a namespace's pid 1 has exited, fork() into it fails with ENOMEM; so
// the keeper is killed only at the very end (KillKeeper, from the registry's
// cleanup), after which ForkIntoNamespace forks into our own namespace.
//
//   StartKeeper();     // main, before any thread and before any other fork
//   pid_t seen;
//   pid_t pid = ForkIntoNamespace(&seen);   // in the child: getppid() == seen
//   ...
//   KillKeeper();      // at the end; then waitpid(-1, ...) until ECHILD
#pragma once

#include <sys/types.h>

namespace intransit {

// Unshares the PID namespace and forks the keeper as its pid 1, when the
// kernel lets us; otherwise leaves everything as it was. Returns true when
// the keeper runs. Never fails loudly: a missing namespace is not an error.
// REQUIRES: called once, before any thread exists and before any other
// child is forked.
bool StartKeeper();

// The keeper's pid (in our namespace), or -1 when there is none (never
// started, or killed).
pid_t KeeperPid();

// fork(), into the keeper's namespace while the keeper runs, else into ours.
// Returns as fork() does (the child's pid in our namespace, 0 in the child,
// -1 with errno). `*parent_seen_by_child` is what getppid() returns in the
// child while we live: 0 in the namespace (we are outside it, invisible),
// else getpid(); a child that sees anything else has lost its parent.
// Thread-safe (the namespace switch is the calling thread's own).
pid_t ForkIntoNamespace(pid_t* parent_seen_by_child);

// SIGKILL to the keeper: the kernel then kills every process left in the
// namespace. Does not reap it: the keeper's exit completes only once every
// other process of the namespace is reaped, intransit's own children
// included, so a waitpid on the keeper alone could wait forever on a child
// that only we would reap. The caller reaps with waitpid(-1, ...) until
// ECHILD. Safe to call twice, and when there is no keeper.
void KillKeeper();

}  // namespace intransit
