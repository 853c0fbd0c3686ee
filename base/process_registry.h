// The process-wide registry of what intransit must not leave behind: the
// process groups of the children it started and the temp dirs it created.
//
// Every child (Subprocess, base/subprocess.h) runs in a process group of
// its own, recorded here from its start until it is reaped; every temp dir
// made with MakeTempDir is recorded until RemoveTempDir. The CLI calls
// InstallProcessCleanup() first thing in main; from then on:
//   - when the kernel lets us (CAP_SYS_ADMIN), every child runs in a PID
//     namespace whose pid 1 is a keeper that dies with intransit, taking
//     the whole namespace along (base/pid_keeper.h);
//   - intransit is a child subreaper (PR_SET_CHILD_SUBREAPER): a store's
//     grandchild that calls setsid and outlives its parent becomes our
//     child, not init's, so it can still be killed and reaped;
//   - SIGINT and SIGTERM are blocked in every thread and taken by one thread
//     in sigwait, which kills every recorded group (SIGTERM, a short polled
//     grace, SIGKILL), then the keeper, kills and reaps every remaining
//     descendant, removes
//     every recorded temp dir and exits 130 / 143;
//   - FinishProcessCleanup() at the normal end does the same (SIGKILL, no
//     grace: the adapters have stopped what they meant to stop by then).
// A SIGKILL of intransit cannot be caught: with the keeper, the kernel kills
// every process of the namespace. Without it, PR_SET_PDEATHSIG (set in
// every child by Subprocess) takes the direct children with it, and a
// Dovecot master's children exit with their master; but a descendant that
// left its group with setsid and whose parent dies with us is reparented
// past us and is out of reach (see docs/processes.md).
//
//   InstallProcessCleanup();            // main, before any thread starts
//   ...run...
//   FinishProcessCleanup();             // main, before returning
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/status.h"

namespace intransit {

// Starts the PID namespace's keeper where permitted (silently not where it
// is not), makes intransit a child subreaper and starts the signal thread.
// REQUIRES: called once, from main, before any other thread exists (the
// blocked signal mask is inherited only by threads created afterwards) and
// before any child is forked (the keeper must be the namespace's first).
void InstallProcessCleanup();

// The normal end of a run: kills whatever is left of every recorded group,
// then the keeper (and with it the namespace), kills and reaps every
// descendant (setsid grandchildren included) and removes every recorded
// temp dir. No child can be started afterwards. If a SIGINT/SIGTERM
// shutdown is under way it never returns (the signal thread exits the
// process with 130/143), so an interrupted run cannot exit with another code.
void FinishProcessCleanup();

// Records a child's process group (its pgid = its pid). Returns false when a
// shutdown has begun: the caller must then kill the group at once, nothing
// will stop it later. Thread-safe.
bool RecordGroup(pid_t pgid);
// Forgets a group once its leader is reaped. Thread-safe.
void ForgetGroup(pid_t pgid);
// The process groups currently recorded (for tests: "nothing is left").
std::vector<pid_t> RecordedGroups();

// SIGKILL to every recorded group and a reap of their leaders; the groups
// are forgotten. Safe to call twice; installed with atexit by Subprocess so
// that even a test binary or an early exit leaves no child behind.
void KillRecordedGroups();

// Creates `parent`/`prefix`XXXXXX with mkdtemp (mode 0700) and records it,
// unless `record` is false (a directory the user asked to keep). Errors:
// Status::Infra when mkdtemp fails or a shutdown has begun.
Result<std::string> MakeTempDir(const std::string& parent, const std::string& prefix,
                                bool record = true);
// Removes a recorded temp dir and forgets it (a dir that is not recorded is
// removed all the same). Never throws.
void RemoveTempDir(const std::string& path);
// Forgets a temp dir without removing it (it is being kept).
void ForgetTempDir(const std::string& path);
// The temp dirs currently recorded (for tests).
std::vector<std::string> RecordedTempDirs();

// True once a SIGINT/SIGTERM shutdown has begun.
bool ShuttingDown();

// The descendants of this process that are still alive (not zombies), found
// by walking /proc (ppid links). For tests and diagnostics.
std::vector<pid_t> LiveDescendants(pid_t root);

// True while some process of group `pgid` is alive (zombies do not count).
bool GroupHasLiveMembers(pid_t pgid);

}  // namespace intransit
