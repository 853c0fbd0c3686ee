// The dovecot deployment's servers, users, pre-existing mail and
// inspection; see dovecot_deployment.h. Delivery is the two-server stores'
// (LMTP to the routed server).
#include "adapters/dovecot/dovecot_deployment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace intransit::dovecot {

namespace fs = std::filesystem;

std::string FirstComplaint(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    for (const char* key : {"Error: ", "Warning: ", "Panic: ", "Fatal: "}) {
      size_t k = line.find(key);
      if (k != std::string::npos) {
        std::string s = line.substr(k);
        return s.size() > 160 ? s.substr(0, 157) + "..." : s;
      }
    }
    pos = end + 1;
  }
  return "";
}

DovecotDeployment::DovecotDeployment(Runbook runbook, std::string root, bool keep,
                                     std::string provision, const ServerOptions& base,
                                     const std::string& fiu_server,
                                     const std::string& fiu_enable)
    : TwoServerDeploymentOf({
          .runbook = std::move(runbook),
          .root = std::move(root),
          .keep = keep,
          .start_in_parallel = false,
          .hung = "dsync",
          .make_server =
              [base, fiu_server, fiu_enable](const std::string& name, const std::string& dir) {
                ServerOptions o = base;
                o.name = name;
                o.dir = dir;
                if (!fiu_enable.empty() && fiu_server == name) o.fiu_enable = fiu_enable;
                return std::unique_ptr<MailServer>(std::make_unique<DovecotServer>(o));
              },
      }),
      provision_(std::move(provision)) {}

Status DovecotDeployment::ForgetUser(MailServer& s, const std::string& server_user) {
  Result<std::string> home = Own(s).HomeOf(server_user);
  if (!home.ok()) return home.status().Wrap("reset");
  std::error_code ec;
  fs::remove_all(*home, ec);
  if (ec) return Status::Infra("cannot delete " + *home + ": " + ec.message());
  return Status::Ok();
}

Status DovecotDeployment::PlaceMail(MailServer& s, const std::string& server_user,
                                    std::string_view user,
                                    const std::vector<std::string>& messages) {
  if (provision_ == "maildir") {
    return WriteMaildir(&Own(s), server_user, user, messages);
  }
  return DeliverAll(s, server_user, user, messages);
}

Status DovecotDeployment::Inspect(Snapshot* out) {
  out->Clear();
  JoinBackground();
  // A dsync pass's far end may still be saving when the pass returned:
  // a fetch then would miss what it writes (seen: 1 duplicate in the
  // snapshot, 845 in a fetch a moment later). Without a pass since the
  // last Inspect there is none to wait for (custody inspects every step).
  if (dsync_ran_) {
    for (auto& s : servers()) {
      Status quiet = Own(*s).AwaitDoveadmServers();
      if (!quiet.ok()) {
        MarkWedged();
        return quiet;
      }
    }
    dsync_ran_ = false;
  }
  out->directory = directory();
  // No home: the user never had mail there (or it was deleted). A fetch
  // would create an empty mailbox; skipping it also saves 20 ms.
  Result<std::vector<Home>> homes = ExistingHomes();
  if (!homes.ok()) return homes.status();
  std::vector<Command> commands;
  for (const Home& h : *homes) {
    // One doveadm per user and server, the force-resync first: the
    // Maildir's files are the mail, and an index that has not seen some
    // of them yet (a dsync pass's far end renamed them in, then its
    // commit failed) must not hide them from the fetch. Seen: 1003
    // copies in a fetch right after the move, 1836 in one a moment later.
    commands.push_back(h.server->Doveadm({"-f", "tab", "batch", "-u", h.duser, ":",
                                          "force-resync", "*", ":", "fetch",
                                          "uid guid mailbox hdr.message-id", "ALL"}));
  }
  std::vector<CommandResult> results;
  Status st = RunCommands(commands, &results);
  if (!st.ok()) return st;
  for (size_t i = 0; i < results.size(); ++i) {
    DovecotServer* s = (*homes)[i].server;
    const std::string& user = (*homes)[i].user;
    const CommandResult& r = results[i];
    if (r.timed_out) {
      MarkWedged();
      return Status::Infra("doveadm force-resync and fetch on " + s->name() + " for " + user +
                           " " + r.Describe());
    }
    Status alive = s->CheckAlive();
    if (!alive.ok()) return alive;
    if (r.out.rfind("uid\t", 0) != 0) {
      return Status::Infra("doveadm fetch on " + s->name() + " for " + user + ": " +
                           r.Describe() + ": " + r.err.substr(0, 300));
    }
    if (!r.ok()) {
      out->notes.push_back(s->name() + ": doveadm fetch for " + user + " " + r.Describe() + ": " +
                           FirstComplaint(r.err));
    }
    ParseFetch(s->name(), user, r.out, &out->copies);
  }
  return Status::Ok();
}

Result<std::vector<DovecotDeployment::Home>> DovecotDeployment::ExistingHomes() {
  std::vector<Home> homes;
  for (const auto& [user, route] : directory()) {
    std::string duser = ServerUser(user);
    for (auto& server : servers()) {
      DovecotServer* s = &Own(*server);
      Result<std::string> home = s->HomeOf(duser);
      if (!home.ok()) return home.status();
      std::error_code ec;
      if (fs::exists(*home, ec)) homes.push_back({s, user, duser});
    }
  }
  return homes;
}

void DovecotDeployment::ParseFetch(const std::string& server, const std::string& user,
                                   const std::string& text, std::vector<MessageCopy>* out) {
  size_t pos = text.find('\n');  // skip the header line
  while (pos != std::string::npos && pos + 1 < text.size()) {
    size_t end = text.find('\n', pos + 1);
    std::string line = text.substr(pos + 1, (end == std::string::npos ? text.size() : end) - pos - 1);
    pos = end;
    if (line.empty()) continue;
    // uid \t guid \t mailbox \t message-id
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    size_t t3 = t2 == std::string::npos ? t2 : line.find('\t', t2 + 1);
    if (t3 == std::string::npos) continue;
    std::string mailbox = line.substr(t2 + 1, t3 - t2 - 1);
    std::string id = line.substr(t3 + 1);
    while (!id.empty() && (id.back() == '\r' || id.back() == ' ')) id.pop_back();
    out->push_back({server, user, mailbox, id});
  }
}

Status DovecotDeployment::WriteMaildir(DovecotServer* s, const std::string& duser,
                                       std::string_view user,
                                       const std::vector<std::string>& messages) {
  // Pre-existing mail written straight into the Maildir (what a store
  // migrated from another Maildir system looks like): thousands of
  // messages in a fraction of the LMTP time. Dovecot indexes them when the
  // mailbox is first opened.
  //
  // Every path goes through HomeOf (confined to the server's home root),
  // and nothing follows a link: lchown for the directories, O_NOFOLLOW |
  // O_EXCL and fchown for the files. Running as root, a chown that
  // followed a planted link would hand any file to the mail uid.
  const int uid = s->options().uid, gid = s->options().gid;
  const std::vector<std::vector<std::string_view>> dirs = {
      {}, {"Maildir"}, {"Maildir", "cur"}, {"Maildir", "new"}, {"Maildir", "tmp"}};
  for (const auto& sub : dirs) {
    Result<std::string> dir = s->HomeOf(duser, sub);
    if (!dir.ok()) return dir.status();
    if (mkdir(dir->c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::Infra("cannot create " + *dir + ": " + strerror(errno));
    }
    if (lchown(dir->c_str(), uid, gid) != 0) {
      return Status::Infra("cannot chown " + *dir + ": " + strerror(errno));
    }
  }
  int n = 0;
  for (const auto& m : messages) {
    std::string text = MailMessage(user, m);
    std::string name = "1767225600.M" + std::to_string(++n) + "P" + std::to_string(getpid()) +
                       ".intransit,S=" + std::to_string(text.size()) + ":2,";
    Result<std::string> path = s->HomeOf(duser, {"Maildir", "cur", name});
    if (!path.ok()) return path.status();
    int fd = open(path->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return Status::Infra("cannot create " + *path + ": " + strerror(errno));
    bool ok = fchown(fd, uid, gid) == 0;
    for (size_t done = 0; ok && done < text.size();) {
      ssize_t w = write(fd, text.data() + done, text.size() - done);
      if (w < 0 && errno == EINTR) continue;
      ok = w > 0;
      if (ok) done += static_cast<size_t>(w);
    }
    const int e = errno;
    if (close(fd) != 0 || !ok) return Status::Infra("cannot write " + *path + ": " + strerror(e));
  }
  return Status::Ok();
}

}  // namespace intransit::dovecot
