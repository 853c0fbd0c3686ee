// One Cyrus server: config, ports, master; see cyrus_server.h. Every line
// of the config is one FACTS.md (shared/cyrus) found necessary.
#include "adapters/cyrus/cyrus_server.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/loopback.h"

namespace intransit::cyrus {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// sockaddr_un's sun_path holds 108 bytes with its NUL.
constexpr size_t kMaxSocketPath = 107;

std::string Bin(const char* program) { return std::string(kCyrusBin) + "/" + program; }


// Hands `dir` and everything under it to cyrus:mail (root runs only: the
// master drops to uid cyrus, which must read and write its tree). Links
// are not followed.
Status GiveToCyrus(const std::string& dir) {
  if (geteuid() != 0) return Status::Ok();
  struct passwd* pw = getpwnam("cyrus");
  if (pw == nullptr) return Status::Infra("no user 'cyrus': is cyrus-imapd installed?");
  struct group* gr = getgrnam("mail");
  gid_t gid = gr != nullptr ? gr->gr_gid : pw->pw_gid;
  if (lchown(dir.c_str(), pw->pw_uid, gid) != 0) {
    return Status::Infra("cannot chown " + dir + ": " + strerror(errno));
  }
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (lchown(it->path().c_str(), pw->pw_uid, gid) != 0) {
      return Status::Infra("cannot chown " + it->path().string() + ": " + strerror(errno));
    }
  }
  if (ec) return Status::Infra("cannot walk " + dir + ": " + ec.message());
  return Status::Ok();
}

std::atomic<int> servers_started{0};

}  // namespace

bool CyrusInstalled() {
  for (const char* program : {"master", "sync_client", "sync_server", "imapd", "lmtpd"}) {
    if (access(Bin(program).c_str(), X_OK) != 0) return false;
  }
  return true;
}

Status CheckLmtpUser(std::string_view user) {
  if (user.find('+') == std::string_view::npos) return Status::Ok();
  return Status::Invalid("user '" + std::string(user) +
                         "': the cyrus adapter cannot serve a user name with '+': Cyrus's LMTP "
                         "reads what follows the '+' as a folder of user '" +
                         std::string(user.substr(0, user.find('+'))) +
                         "' (plus-addressing, which no imapd.conf option turns off); rename the "
                         "user");
}

CyrusServer::CyrusServer(ServerOptions options) : options_(std::move(options)) {}

CyrusServer::~CyrusServer() { Stop(); }

Status CyrusServer::WriteConfig() {
  const std::string& d = options_.dir;
  const std::string conf = config_path();
  std::ostringstream i;
  i << "# Written by intransit's cyrus adapter for the '" << options_.name << "' server.\n"
    << "configdirectory: " << d << "/conf\n"
    << "defaultpartition: default\n"
    << "partition-default: " << d << "/spool\n"
    << "servername: " << servername_ << "\n"
    << "admins: admin\n"
    << "allowplaintext: yes\n"
    << "sasl_pwcheck_method: alwaystrue\n"
    << "sasl_mech_list: PLAIN LOGIN\n"
    << "sievedir: " << d << "/sieve\n"
    << "syslog_prefix: " << servername_ << "\n"
    << "delete_mode: immediate\n"
    << "expunge_mode: immediate\n"
    << "allowusermoves: yes\n"
    << "proxy_authname: admin\n"
    << "proxy_password: x\n"
    << "sync_host: " << options_.peer_dir << "/conf/socket/sync\n"
    // The default (try the peer's IMAP first) costs 10 s a run (gotcha 9).
    << "sync_try_imap: no\n"
    // A suite may name a user Alice: lmtpd must not deliver to alice.
    << "lmtp_downcase_rcpt: no\n";
  std::ostringstream c;
  c << "START {\n"
    << "  recover cmd=\"ctl_cyrusdb -C " << conf << " -r\"\n"
    << "}\n"
    << "SERVICES {\n"
    << "  imap cmd=\"imapd -C " << conf << "\" listen=\"127.0.0.1:" << imap_port_
    << "\" prefork=0\n"
    << "  lmtp cmd=\"lmtpd -C " << conf << " -a\" listen=\"127.0.0.1:" << lmtp_port_
    << "\" prefork=0\n"
    << "  syncunix cmd=\"sync_server -C " << conf << "\" listen=\"" << sync_socket()
    << "\" prefork=0\n"
    << "}\n"
    << "EVENTS {\n"
    << "}\n";
  for (const auto& [path, text] : {std::pair{conf, i.str()}, std::pair{d + "/cyrus.conf", c.str()}}) {
    std::ofstream f(path, std::ios::trunc);
    f << text;
    f.close();
    if (!f) return Status::Infra("cannot write " + path);
  }
  return Status::Ok();
}

Status CyrusServer::StartOnce(bool* port_race) {
  *port_race = false;
  auto pick = options_.free_port ? options_.free_port : FreeLoopbackPort;
  auto imap = pick();
  if (!imap.ok()) return imap.status();
  auto lmtp = pick();
  if (!lmtp.ok()) return lmtp.status();
  if (*imap == *lmtp) {
    *port_race = true;
    return Status::Infra("the OS gave the same port twice");
  }
  imap_port_ = *imap;
  lmtp_port_ = *lmtp;
  // A name no other server has: the greetings carry it.
  servername_ = "intransit-" + options_.name + "-" + std::to_string(getpid()) + "-" +
                std::to_string(++servers_started);
  Status s = WriteConfig();
  if (!s.ok()) return s;
  s = GiveToCyrus(options_.dir);
  if (!s.ok()) return s;
  const std::string& d = options_.dir;
  // The master makes the sync socket after its TCP listeners (below); an
  // earlier master's must not count.
  unlink(sync_socket().c_str());
  s = master_.Start({Bin("master"), "-C", config_path(), "-M", d + "/cyrus.conf", "-p",
                     d + "/master.pid", "-L", d + "/master.log"},
                    {}, d + "/master.out");
  if (!s.ok()) return s;

  auto deadline = Clock::now() + std::chrono::milliseconds(options_.start_timeout_ms);
  while (Clock::now() < deadline) {
    if (!master_.Alive()) {
      Status err = Status::Infra("cyrus " + options_.name + " master exited at start (" +
                                 master_.ended() + "): " + LogTail(5));
      master_.Stop(0);
      return err;
    }
    std::string lmtp_hello = LoopbackGreeting(lmtp_port_, 1000);
    if (!lmtp_hello.empty() && lmtp_hello.find(servername_) == std::string::npos) {
      // Another server holds the port: ours keeps running without it.
      *port_race = true;
      master_.Stop(options_.stop_grace_ms);
      return Status::Infra("cyrus " + options_.name + ": port " + std::to_string(lmtp_port_) +
                           " answered as another server: " + lmtp_hello);
    }
    int silent = lmtp_hello.empty() ? lmtp_port_ : 0;  // a port that said nothing
    if (lmtp_hello.rfind("220 ", 0) == 0) {
      std::string imap_hello = LoopbackGreeting(imap_port_, 1000);
      if (imap_hello.empty()) silent = imap_port_;
      if (imap_hello.find(servername_) != std::string::npos) {
        lmtp_ = std::make_unique<LmtpClient>("127.0.0.1", lmtp_port_, options_.lmtp_timeout_ms);
        admin_ = std::make_unique<ImapClient>("127.0.0.1", imap_port_, options_.command_timeout_ms);
        return Status::Ok();
      }
      if (!imap_hello.empty()) {
        *port_race = true;
        master_.Stop(options_.stop_grace_ms);
        return Status::Infra("cyrus " + options_.name + ": port " + std::to_string(imap_port_) +
                             " answered as another server: " + imap_hello);
      }
    }
    // The master creates its services in cyrus.conf's order (strace: imap,
    // lmtp, then the sync socket). A port it cannot bind it leaves out,
    // says so only to syslog, and runs on without it: seen when the port
    // number was the local end of another process's connection, and the
    // start waited out start_timeout_ms (10 s) and failed. So once the sync
    // socket exists, a port that refuses is one more port race.
    struct stat st {};
    if (silent != 0 && lstat(sync_socket().c_str(), &st) == 0 && !LoopbackAccepts(silent)) {
      *port_race = true;
      master_.Stop(options_.stop_grace_ms);
      return Status::Infra("cyrus " + options_.name + ": port " + std::to_string(silent) +
                           " refuses after the master made its listeners: another socket "
                           "holds it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  master_.Stop(options_.stop_grace_ms);
  return Status::Infra("cyrus " + options_.name + " did not greet on ports " +
                       std::to_string(lmtp_port_) + "/" + std::to_string(imap_port_) + " within " +
                       std::to_string(options_.start_timeout_ms) + " ms: " + LogTail(5));
}

Status CyrusServer::Start() {
  const std::string& d = options_.dir;
  if (sync_socket().size() > kMaxSocketPath) {
    return Status::Infra("cyrus: the socket path " + sync_socket() + " is longer than " +
                         std::to_string(kMaxSocketPath) + " bytes: use a shorter work dir");
  }
  Status s = MakeServerDirs(d, {"", "/conf", "/conf/socket", "/conf/db", "/conf/proc",
                                "/conf/lock", "/spool", "/sieve"});
  if (!s.ok()) return s;
  for (int attempt = 0; attempt < 5; ++attempt) {
    bool race = false;
    s = StartOnce(&race);
    if (s.ok() || !race) return s;
  }
  return s;
}

void CyrusServer::Stop() {
  lmtp_.reset();
  admin_.reset();
  master_.Stop(options_.stop_grace_ms);
}

Status CyrusServer::CheckAlive() {
  if (master_.Alive()) return Status::Ok();
  return Status::Infra("cyrus " + options_.name + " master (pid " + std::to_string(master_.pid()) +
                       ") is gone (" +
                       (master_.ended().empty() ? "never started" : master_.ended()) +
                       "): " + LogTail(3));
}

Result<LmtpReply> CyrusServer::Deliver(const std::string& rcpt, const std::string& message) {
  if (lmtp_ == nullptr) return Status::Infra("cyrus " + options_.name + " is not running");
  Status alive = CheckAlive();
  if (!alive.ok()) return alive;
  auto r = lmtp_->Deliver("sender@intransit", rcpt, message);
  if (!r.ok()) {
    Status dead = CheckAlive();
    if (!dead.ok()) return dead;
    return r.status().Wrap("cyrus " + options_.name);
  }
  return r;
}

Result<ImapReply> CyrusServer::Admin(const std::string& command) {
  if (admin_ == nullptr) return Status::Infra("cyrus " + options_.name + " is not running");
  Status alive = CheckAlive();
  if (!alive.ok()) return alive;
  if (!admin_->connected()) {
    auto g = admin_->Connect();
    if (!g.ok()) return g.status().Wrap("cyrus " + options_.name + " admin");
    auto login = admin_->Command("LOGIN admin x");
    if (!login.ok()) return login.status().Wrap("cyrus " + options_.name + " admin");
    if (!login->ok()) {
      admin_->Close();
      return Status::Infra("cyrus " + options_.name + " refused the admin login: " +
                           login->Describe());
    }
  }
  auto r = admin_->Command(command);
  if (!r.ok()) return r.status().Wrap("cyrus " + options_.name + " admin");
  return r;
}

Status CyrusServer::CreateUser(const std::string& user) {
  auto box = ImapClient::Quote("user/" + user);
  if (!box.ok()) return box.status();
  auto r = Admin("CREATE " + *box);
  if (!r.ok()) return r.status();
  if (!r->ok()) {
    return Status::Infra("cyrus " + options_.name + ": CREATE user/" + user + ": " +
                         r->Describe());
  }
  return Status::Ok();
}

Result<ImapReply> CyrusServer::DeleteUser(const std::string& user) {
  auto box = ImapClient::Quote("user/" + user);
  if (!box.ok()) return box.status();
  auto acl = Admin("SETACL " + *box + " admin x");
  if (!acl.ok()) return acl.status();
  return Admin("DELETE " + *box);
}

Result<ImapReply> CyrusServer::Xfer(const std::string& user, const CyrusServer& to) {
  auto box = ImapClient::Quote("user/" + user);
  if (!box.ok()) return box.status();
  return Admin("XFER " + *box + " 127.0.0.1:" + std::to_string(to.imap_port()));
}

Command CyrusServer::SyncClient(const std::string& user) const {
  Command c;
  c.argv = {Bin("sync_client"), "-C", config_path(), "-u", user};
  c.timeout_ms = options_.command_timeout_ms;
  return c;
}

Result<std::vector<FetchedMessage>> CyrusServer::Fetch(const std::string& user) {
  std::vector<FetchedMessage> out;
  auto name = ImapClient::Quote(user);
  if (!name.ok()) return name.status();
  ImapClient c("127.0.0.1", imap_port_, options_.command_timeout_ms);
  const std::string where = "cyrus " + options_.name + ", reading " + user;
  auto g = c.Connect();
  if (!g.ok()) return g.status().Wrap(where);
  auto login = c.Command("LOGIN " + *name + " x");
  if (!login.ok()) return login.status().Wrap(where);
  if (!login->ok()) return Status::Infra(where + ": LOGIN " + login->Describe());
  auto list = c.Command("LIST \"\" \"*\"");
  if (!list.ok()) return list.status().Wrap(where);
  if (!list->ok()) return Status::Infra(where + ": LIST " + list->Describe());
  for (const auto& u : list->untagged) {
    std::string folder = ListedMailbox(u);
    if (folder.empty()) continue;
    auto quoted = ImapClient::Quote(folder);
    if (!quoted.ok()) return quoted.status();
    auto ex = c.Command("EXAMINE " + *quoted);
    if (!ex.ok()) return ex.status().Wrap(where);
    if (!ex->ok()) return Status::Infra(where + ": EXAMINE " + folder + ": " + ex->Describe());
    long exists = 0;
    for (const auto& e : ex->untagged) {
      if (e.size() > 7 && e.compare(e.size() - 7, 7, " EXISTS") == 0) exists = std::atol(e.c_str());
    }
    if (exists == 0) continue;
    auto f = c.Command("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])");
    if (!f.ok()) return f.status().Wrap(where);
    if (!f->ok()) return Status::Infra(where + ": FETCH in " + folder + ": " + f->Describe());
    for (const auto& e : f->untagged) {
      if (e.find(" FETCH ") == std::string::npos) continue;
      out.push_back({folder, HeaderValue(e, "Message-ID")});
    }
  }
  return out;
}

std::string CyrusServer::LogTail(int lines) const {
  std::string out;
  for (const char* file : {"/master.out", "/master.log"}) {
    std::ifstream f(options_.dir + file);
    std::vector<std::string> all;
    std::string line;
    while (std::getline(f, line)) all.push_back(line);
    for (size_t k = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0;
         k < all.size(); ++k) {
      if (!out.empty()) out += " | ";
      out += all[k];
    }
  }
  return out.empty() ? "(no output: Cyrus logs to syslog)" : out;
}

}  // namespace intransit::cyrus
