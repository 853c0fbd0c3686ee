// One real Dovecot server for the adapter: its own config, directories,
// loopback ports and master process.
//
// The server lives in `dir` (DIR/dovecot.conf, DIR/run, DIR/state, DIR/log,
// DIR/home/<user>). Start() picks free ports (bind 127.0.0.1:0), writes a
// standalone config (no include of /etc/dovecot: FACTS.md), starts
// `dovecot -F -c DIR/dovecot.conf` in a process group of its own, and polls
// the LMTP and doveadm ports until they accept; a lost bind race (the master
// exits: "Address already in use") is retried with new ports. Stop() sends
// SIGTERM, then SIGKILL to the group after a grace period.
//
// A server may run under libfiu's POSIX preload: `fiu_enable` is then
// passed as FIU_ENABLE with LD_PRELOAD, and the config imports both (Dovecot
// cleans its environment when it re-executes itself). The fault is coarse:
// every process of that server fails the call, for as long as it runs.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/command.h"
#include "base/status.h"
#include "store/lmtp_client.h"
#include "store/mail_server.h"

namespace intransit::dovecot {

inline constexpr const char* kFiuRunPreload = "/usr/lib/fiu/fiu_run_preload.so";
inline constexpr const char* kFiuPosixPreload = "/usr/lib/fiu/fiu_posix_preload.so";

struct ServerOptions {
  std::string name;        // "src", "dst": also the instance_name suffix
  std::string dir;         // created if missing; must be reachable by `uid`
  std::string password;    // doveadm_password, the same on every server
  int uid = 4242, gid = 4242;  // the mail uid (root runs); ignored when not root
  // "" = no preload; else FIU_ENABLE's value: libfiu control commands, one
  // a line ("enable name=posix/io/dir/rename,failinfo=28").
  std::string fiu_enable;
  // A doveadm command is killed once it (and, for dsync, the destination's
  // doveadm-server) moved no byte for command_timeout_ms, or after command_max_ms
  // whatever it does (Command::stall_ms and timeout_ms): a dsync of
  // thousands of messages on a loaded machine takes far longer than a
  // stuck one is worth waiting for (docs/dovecot.md).
  int command_timeout_ms = 10000;
  int command_max_ms = 120000;
  // mail_fsync in the config: "optimized" (Dovecot's default), "always" or
  // "never". intransit's crashes are processes stopping at points, never a
  // power loss, so "never" changes no outcome and makes a dsync of
  // thousands of messages several times faster (docs/dovecot.md); an fsync
  // fault through libfiu needs fsyncs to fail.
  std::string mail_fsync = "optimized";
  int lmtp_timeout_ms = 10000;     // every LMTP reply
  int start_timeout_ms = 10000;
  int stop_grace_ms = 2000;
};

class DovecotServer : public MailServer {
 public:
  explicit DovecotServer(ServerOptions options);
  ~DovecotServer() override;  // Stop()
  DovecotServer(const DovecotServer&) = delete;
  DovecotServer& operator=(const DovecotServer&) = delete;

  // Writes the config and starts the master; returns once both ports accept.
  // Infra when the master exits or does not come up in start_timeout_ms
  // (the message quotes the end of its log). REQUIRES: not running.
  Status Start() override;

  // Stops the master and everything in its group; the directory stays.
  void Stop() override;
  // Asks the master to stop (SIGTERM) without waiting: call it on every
  // server, then Stop() each, and they shut down in parallel (Dovecot takes
  // about a second).
  void BeginStop() override { master_.Terminate(); }

  // Ok while the master runs; Infra naming the server, pid and how it ended
  // (with the end of its log) once it has died.
  Status CheckAlive() override;

  // Delivers over LMTP (one connection kept open). Infra when the
  // connection broke (CheckAlive says whether the server died).
  Result<LmtpReply> Deliver(const std::string& rcpt, const std::string& message) override;

  // A doveadm command against this server: {"doveadm", "-c", conf, args...},
  // with a clean environment holding only the server's parsed config (see
  // CaptureDoveadmEnv) and the server's command timeout.
  Command Doveadm(const std::vector<std::string>& args) const;

  // Waits until no doveadm-server of this server runs. Each serves one
  // connection and exits (service_count = 1), but may still be saving
  // when the dsync pass that talked to it has returned. Ok once none is
  // left; Infra when one moved no byte for command_timeout_ms or still
  // runs after command_max_ms.
  Status AwaitDoveadmServers();

  // DIR/home/<user>: where the user's mail lives (Maildir under it), with
  // `more` components below it. Through ConfinedPath (framework/
  // confined_path.h): Invalid for a user that would leave DIR/home, Infra
  // for a symbolic link on the way.
  Result<std::string> HomeOf(std::string_view user,
                             const std::vector<std::string_view>& more = {}) const;
  std::string home_root() const { return options_.dir + "/home"; }
  std::string config_path() const { return options_.dir + "/dovecot.conf"; }
  std::string log_path() const { return options_.dir + "/log/dovecot.log"; }
  const std::string& name() const override { return options_.name; }
  int doveadm_port() const { return doveadm_port_; }
  // The master's pid, which is its process group's id (every child of the
  // server is in it); -1 when not running.
  pid_t master_pid() const { return master_.pid(); }
  const ServerOptions& options() const { return options_; }

  // The last `lines` lines of the server's log, for error messages.
  std::string LogTail(int lines) const;

 private:
  Status WriteConfig();
  Status StartOnce(bool* port_race);
  Status CaptureDoveadmEnv();

  ServerOptions options_;
  int lmtp_port_ = 0;
  int doveadm_port_ = 0;
  Daemon master_;
  std::unique_ptr<LmtpClient> lmtp_;
  std::vector<std::string> doveadm_env_;  // the parsed config (doveconf -e)
};

// True when `dovecot` and `doveadm` are installed (in kChildPath).
bool DovecotInstalled();

}  // namespace intransit::dovecot
