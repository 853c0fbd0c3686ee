// One real Cyrus IMAP server for the adapter: its own directory, config,
// loopback ports and `master` process (shared/cyrus/FACTS.md).
//
// The server lives in `dir`: DIR/imapd.conf, DIR/cyrus.conf, DIR/conf (the
// configdirectory: databases, sockets, locks), DIR/spool, DIR/sieve,
// DIR/master.out. Start() picks two free loopback ports (IMAP, and LMTP run
// with `-a`: preauthenticated, FACTS gotcha 6), writes a config whose every
// `cmd=` carries `-C` (gotcha 1), hands the tree to uid `cyrus` when run as
// root (gotcha 4), starts `master` in a process group of its own (it stops
// with kill(0, SIGTERM): gotcha 2), and polls until both ports greet with
// this server's own unique servername — a stale master holding a port
// answers with another name (gotcha 3), and the start is retried on new
// ports. The replication socket DIR/conf/socket/sync runs `sync_server`;
// `sync_host` names the peer's socket, so `sync_client -u` replicates to it.
//
// Users are created, moved (XFER) and deleted over IMAP as `admin` (any
// password: sasl_pwcheck_method alwaystrue), and read back over IMAP as the
// user (admins cannot read user mail: gotcha 8).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/command.h"
#include "base/status.h"
#include "store/imap_client.h"
#include "store/lmtp_client.h"
#include "store/mail_server.h"

namespace intransit::cyrus {

inline constexpr const char* kCyrusBin = "/usr/lib/cyrus/bin";

struct ServerOptions {
  std::string name;      // "src", "dst"
  std::string dir;       // created if missing
  std::string peer_dir;  // the other server's dir: sync_client replicates there
  int command_timeout_ms = 10000;  // sync_client, XFER, every IMAP reply
  int lmtp_timeout_ms = 10000;
  int start_timeout_ms = 10000;
  int stop_grace_ms = 2000;
  // Where Start gets each port it tries (IMAP, then LMTP, per attempt);
  // empty: FreeLoopbackPort. Tests hand out a port another socket holds.
  std::function<Result<int>()> free_port;
};

// One message found by Fetch: the folder as the user sees it, and its
// Message-ID.
struct FetchedMessage {
  std::string folder;
  std::string message;
};

class CyrusServer : public MailServer {
 public:
  explicit CyrusServer(ServerOptions options);
  ~CyrusServer() override;  // Stop()
  CyrusServer(const CyrusServer&) = delete;
  CyrusServer& operator=(const CyrusServer&) = delete;

  // Writes the config and starts the master; returns once both ports greet
  // with this server's name. Infra when the master exits or does not come
  // up within start_timeout_ms. REQUIRES: not running.
  Status Start() override;
  // Stops the master and everything in its group; the directory stays.
  void Stop() override;
  // SIGTERM without waiting, so that several servers stop in parallel.
  void BeginStop() override { master_.Terminate(); }

  // Ok while the master runs; Infra naming the server once it has died.
  Status CheckAlive() override;

  // Delivers over LMTP (one connection kept open). Infra when the
  // connection broke.
  Result<LmtpReply> Deliver(const std::string& rcpt, const std::string& message) override;

  // An IMAP command as `admin` on one kept connection, logged in (again)
  // when needed. NO and BAD are replies; Infra when the connection broke.
  Result<ImapReply> Admin(const std::string& command);
  // CREATE user/USER. Infra when the server refuses.
  Status CreateUser(const std::string& user);
  // SETACL user/USER admin x, then DELETE user/USER (gotcha 8): the reply
  // of the DELETE (NO "Mailbox does not exist" for a user not there).
  Result<ImapReply> DeleteUser(const std::string& user);
  // XFER user/USER to `to`'s IMAP port: the reply.
  Result<ImapReply> Xfer(const std::string& user, const CyrusServer& to);
  // `sync_client -C conf -u USER`: replicates the user to the peer.
  Command SyncClient(const std::string& user) const;

  // Every message of `user` on this server, read over IMAP as the user
  // (LIST, EXAMINE, FETCH of the Message-ID): empty when the user has no
  // mailbox here. Infra when the server did not answer.
  Result<std::vector<FetchedMessage>> Fetch(const std::string& user);

  const std::string& name() const override { return options_.name; }
  const ServerOptions& options() const { return options_; }
  int imap_port() const { return imap_port_; }
  int lmtp_port() const { return lmtp_port_; }
  std::string config_path() const { return options_.dir + "/imapd.conf"; }
  std::string sync_socket() const { return options_.dir + "/conf/socket/sync"; }

  // The end of the master's output, for error messages.
  std::string LogTail(int lines) const;

 private:
  Status WriteConfig();
  Status StartOnce(bool* port_race);

  ServerOptions options_;
  std::string servername_;
  int imap_port_ = 0;
  int lmtp_port_ = 0;
  Daemon master_;
  std::unique_ptr<LmtpClient> lmtp_;
  std::unique_ptr<ImapClient> admin_;
};

// True when Cyrus's master, sync_client and sync_server are installed.
bool CyrusInstalled();

// Ok when LMTP can deliver to `user`. Cyrus's lmtpd always reads what
// follows a '+' as a folder of the user before it (plus-addressing; no
// imapd.conf option of 3.6 turns it off), so al+ice's mail would go to al
// or bounce with 550: Status::Invalid naming the user and why.
Status CheckLmtpUser(std::string_view user);

}  // namespace intransit::cyrus
