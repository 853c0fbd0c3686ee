// One Dovecot server: config, ports, master; see dovecot_server.h.
//
// Every setting below is one FACTS.md found necessary: a standalone file,
// loopback listeners only, a static passdb/userdb that accepts any user with
// one numeric uid (no passwd entry needed), the same doveadm_password on
// both servers so dsync can reach the other over tcp:, and
// import_environment only when the libfiu preload is wanted.
#include "adapters/dovecot/dovecot_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/confined_path.h"
#include "store/loopback.h"

namespace intransit::dovecot {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

}  // namespace

bool DovecotInstalled() {
  for (const char* program : {"dovecot", "doveadm"}) {
    bool found = false;
    std::string path = kChildPath;
    std::stringstream ss(path);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
      if (access((dir + "/" + program).c_str(), X_OK) == 0) found = true;
    }
    if (!found) return false;
  }
  return true;
}

DovecotServer::DovecotServer(ServerOptions options) : options_(std::move(options)) {
  if (geteuid() != 0) {
    // Not root: the master cannot switch users, so mail is stored as us.
    options_.uid = static_cast<int>(getuid());
    options_.gid = static_cast<int>(getgid());
  }
}

DovecotServer::~DovecotServer() { Stop(); }

Status DovecotServer::WriteConfig() {
  const std::string& d = options_.dir;
  std::ostringstream c;
  c << "# Written by intransit's dovecot adapter: a standalone config for the\n"
    << "# '" << options_.name << "' server (no include of /etc/dovecot).\n"
    << "instance_name = intransit-" << options_.name << "-" << getpid() << "\n"
    << "base_dir = " << d << "/run\n"
    << "state_dir = " << d << "/state\n"
    << "protocols = lmtp\n"
    << "listen = 127.0.0.1\n"
    << "log_path = " << d << "/log/dovecot.log\n"
    << "info_log_path = " << d << "/log/dovecot.log\n"
    << "ssl = no\n"
    << "disable_plaintext_auth = no\n"
    << "auth_mechanisms = plain\n"
    << "first_valid_uid = 1\n"
    << "mail_location = maildir:~/Maildir\n"
    // A suite's user names may hold '+' and capitals (base/name_rule.h).
    // With the default delimiter LMTP would deliver al+ice's mail to al (a
    // false LOST), the default username characters lack '+', and the
    // default format (%Lu) would deliver Alice's mail to alice.
    << "recipient_delimiter =\n"
    << "auth_username_format = %u\n"
    << "auth_username_chars = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
       "01234567890.-_@+\n"
    << "mail_fsync = " << options_.mail_fsync << "\n"
    << "doveadm_password = " << options_.password << "\n"
    << "doveadm_port = " << doveadm_port_ << "\n"
    << "passdb {\n  driver = static\n  args = password=pass\n}\n"
    << "userdb {\n  driver = static\n  args = uid=" << options_.uid << " gid=" << options_.gid
    << " home=" << d << "/home/%u allow_all_users=yes\n}\n"
    << "service lmtp {\n  inet_listener lmtp {\n    address = 127.0.0.1\n    port = "
    << lmtp_port_ << "\n  }\n}\n"
    << "service doveadm {\n  inet_listener {\n    address = 127.0.0.1\n    port = "
    << doveadm_port_ << "\n  }\n}\n";
  if (!options_.fiu_enable.empty()) {
    // LD_PRELOAD and FIU_ENABLE survive Dovecot's re-exec only if listed
    // here: -o on the command line is too late (FACTS.md).
    c << "import_environment = TZ CORE_OUTOFMEM CORE_ERROR LISTEN_PID LISTEN_FDS "
         "NOTIFY_SOCKET LD_PRELOAD FIU_ENABLE FIU_CTRL_FIFO\n";
  }
  if (geteuid() != 0) {
    struct passwd* pw = getpwuid(getuid());
    struct group* gr = getgrgid(getgid());
    std::string user = pw ? pw->pw_name : std::to_string(getuid());
    std::string group = gr ? gr->gr_name : std::to_string(getgid());
    c << "default_internal_user = " << user << "\n"
      << "default_internal_group = " << group << "\n"
      << "default_login_user = " << user << "\n"
      << "service anvil {\n  chroot =\n}\n";
  }
  std::ofstream f(config_path(), std::ios::trunc);
  f << c.str();
  f.close();
  if (!f) return Status::Infra("cannot write " + config_path());
  return Status::Ok();
}

Status DovecotServer::StartOnce(bool* port_race) {
  *port_race = false;
  auto lmtp = FreeLoopbackPort();
  if (!lmtp.ok()) return lmtp.status();
  auto doveadm = FreeLoopbackPort();
  if (!doveadm.ok()) return doveadm.status();
  if (*lmtp == *doveadm) {
    *port_race = true;
    return Status::Infra("the OS gave the same port twice");
  }
  lmtp_port_ = *lmtp;
  doveadm_port_ = *doveadm;
  Status s = WriteConfig();
  if (!s.ok()) return s;

  std::vector<std::string> env;
  if (!options_.fiu_enable.empty()) {
    // fiu-run -x -f "" semantics: the preload, the points enabled at start,
    // no control FIFOs (with FIFOs Dovecot's children fail to start).
    // fiu_run_preload reads FIU_ENABLE; fiu_posix_preload wraps the calls.
    env.push_back(std::string("LD_PRELOAD=") + kFiuRunPreload + " " + kFiuPosixPreload);
    env.push_back("FIU_ENABLE=" + options_.fiu_enable);
    env.push_back("FIU_CTRL_FIFO=");
  }
  s = master_.Start({"dovecot", "-F", "-c", config_path()}, env, options_.dir + "/log/master.out");
  if (!s.ok()) return s;

  auto deadline = Clock::now() + std::chrono::milliseconds(options_.start_timeout_ms);
  while (Clock::now() < deadline) {
    if (!master_.Alive()) {
      std::string tail = LogTail(5);
      std::ifstream out(options_.dir + "/log/master.out");
      std::string master_out((std::istreambuf_iterator<char>(out)), {});
      std::string all = tail + master_out;
      *port_race = all.find("Address already in use") != std::string::npos;
      Status err = Status::Infra("dovecot " + options_.name + " master exited at start (" +
                                 master_.ended() + "): " + all);
      master_.Stop(0);
      return err;
    }
    if (LoopbackAccepts(lmtp_port_) && LoopbackAccepts(doveadm_port_)) {
      lmtp_ = std::make_unique<LmtpClient>("127.0.0.1", lmtp_port_, options_.lmtp_timeout_ms);
      return CaptureDoveadmEnv();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  master_.Stop(0);
  return Status::Infra("dovecot " + options_.name + " did not accept on ports " +
                       std::to_string(lmtp_port_) + "/" + std::to_string(doveadm_port_) +
                       " within " + std::to_string(options_.start_timeout_ms) + " ms: " +
                       LogTail(5));
}

Status DovecotServer::Start() {
  Status s = MakeServerDirs(options_.dir, {"", "/run", "/state", "/log", "/home"});
  if (!s.ok()) return s;
  if (chown(home_root().c_str(), options_.uid, options_.gid) != 0) {
    return Status::Infra("cannot chown " + home_root() + ": " + strerror(errno));
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    bool race = false;
    s = StartOnce(&race);
    if (s.ok() || !race) return s;
  }
  return s;
}

void DovecotServer::Stop() {
  lmtp_.reset();
  master_.Stop(options_.stop_grace_ms);
}

Status DovecotServer::CheckAlive() {
  if (master_.Alive()) return Status::Ok();
  return Status::Infra("dovecot " + options_.name + " master (pid " +
                       std::to_string(master_.pid()) + ") is gone (" +
                       (master_.ended().empty() ? "never started" : master_.ended()) +
                       "); log: " + LogTail(3));
}

Result<LmtpReply> DovecotServer::Deliver(const std::string& rcpt, const std::string& message) {
  if (lmtp_ == nullptr) return Status::Infra("dovecot " + options_.name + " is not running");
  // An LMTP process may outlive a killed master for a while and still
  // answer: a dead master is an infrastructure error even so.
  Status alive = CheckAlive();
  if (!alive.ok()) return alive;
  auto t0 = Clock::now();
  auto r = lmtp_->Deliver("sender@intransit", rcpt, message);
  if (getenv("INTRANSIT_DOVECOT_DEBUG") != nullptr) {
    fprintf(stderr, "[dovecot %lld] LMTP %s %s -> %s in %d ms\n",
            static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       Clock::now().time_since_epoch()).count() % 100000),
            options_.name.c_str(), rcpt.c_str(), r.ok() ? r->text.substr(0, 20).c_str() : "error",
            static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 Clock::now() - t0).count()));
  }
  if (!r.ok()) {
    Status alive = CheckAlive();
    if (!alive.ok()) return alive;
    return r.status().Wrap("dovecot " + options_.name);
  }
  return r;
}

Status DovecotServer::CaptureDoveadmEnv() {
  // What doveadm itself does on every start: run doveconf, which parses the
  // config and re-executes doveadm with the settings in its environment
  // (DOVECONF_ENV=1). Done once here, every later doveadm starts directly
  // with that environment: two exec's and a config parse fewer per command.
  doveadm_env_.clear();
  Command c;
  c.argv = {"doveconf", "-f", "service=doveadm", "-c", config_path(), "-m", "doveadm",
            "-m", "ssl", "-e", "/usr/bin/env", "-0"};
  c.timeout_ms = options_.start_timeout_ms;  // part of the start
  auto r = RunCommand(c);
  if (!r.ok()) return r.status();
  if (!r->ok()) {
    return Status::Infra("doveconf -c " + config_path() + ": " + r->Describe() + ": " + r->err);
  }
  bool parsed = false;
  size_t pos = 0;
  while (pos < r->out.size()) {
    size_t end = r->out.find('\0', pos);
    if (end == std::string::npos) end = r->out.size();
    std::string var = r->out.substr(pos, end - pos);
    pos = end + 1;
    if (var.empty() || var.rfind("PATH=", 0) == 0) continue;
    if (var == "DOVECONF_ENV=1") parsed = true;
    doveadm_env_.push_back(var);
  }
  if (!parsed) {
    // Not what this Dovecot does: let every doveadm parse the config.
    doveadm_env_.clear();
  }
  return Status::Ok();
}

Status DovecotServer::AwaitDoveadmServers() {
  auto start = Clock::now();
  auto moved = start;
  IoSample last;
  for (bool first = true;; first = false) {
    std::vector<pid_t> left = ProcessGroupMembers(master_.pid(), "doveadm-server");
    if (left.empty()) return Status::Ok();
    IoSample io = SampleIo(left);
    auto now = Clock::now();
    if (first || !(io == last)) moved = now;
    last = io;
    std::string which = "dovecot " + options_.name + ": doveadm-server (pid " +
                        std::to_string(left[0]) + ")";
    if (now - moved >= std::chrono::milliseconds(options_.command_timeout_ms)) {
      return Status::Infra(which + " moved no byte for " +
                           std::to_string(options_.command_timeout_ms) +
                           " ms after its dsync pass returned");
    }
    if (now - start >= std::chrono::milliseconds(options_.command_max_ms)) {
      return Status::Infra(which + " still runs " + std::to_string(options_.command_max_ms) +
                           " ms after its dsync pass returned");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Command DovecotServer::Doveadm(const std::vector<std::string>& args) const {
  Command c;
  // -c is ignored when DOVECONF_ENV is set; it names the server in traces.
  c.argv = {"doveadm", "-c", config_path()};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.env = doveadm_env_;
  c.timeout_ms = options_.command_max_ms;
  c.stall_ms = options_.command_timeout_ms;
  return c;
}

Result<std::string> DovecotServer::HomeOf(std::string_view user,
                                          const std::vector<std::string_view>& more) const {
  std::vector<std::string_view> parts = {"home", user};
  parts.insert(parts.end(), more.begin(), more.end());
  return ConfinedPath(options_.dir, parts);
}

std::string DovecotServer::LogTail(int lines) const {
  std::ifstream f(log_path());
  std::vector<std::string> all;
  std::string line;
  while (std::getline(f, line)) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0; i < all.size();
       ++i) {
    out += all[i];
    out += i + 1 < all.size() ? " | " : "";
  }
  return out.empty() ? "(log empty)" : out;
}

}  // namespace intransit::dovecot
