// The maildir deployment's set-up, inspection, directory file and
// Message-ID lookups: see maildir_deployment.h.
#include "adapters/maildir/maildir_deployment.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "base/confined_path.h"
#include "base/name_rule.h"
#include "base/process_registry.h"

namespace intransit::maildir {

MaildirDeployment::~MaildirDeployment() {
  if (keep_) {
    std::cerr << "intransit: maildir trees kept under " << base_ << "\n";
  } else {
    RemoveTree(base_);
    ForgetTempDir(base_);
  }
}

Status MaildirDeployment::Reset() {
  if (!tree_.empty() && !keep_) RemoveTree(tree_);
  ids_.clear();
  ++schedule_;
  if (keep_) {
    char name[32];
    snprintf(name, sizeof name, "/schedule-%06d", schedule_);
    tree_ = base_ + name;
  } else {
    tree_ = base_ + "/run";
  }
  for (const char* s : kServers) {
    if (int e = MakeDir(tree_ + "/" + s); e != 0) return Infra("create " + tree_ + "/" + s, e);
  }
  if (int e = MakeDir(tree_ + "/moves"); e != 0) return Infra("create " + tree_ + "/moves", e);
  MaildirIo io(nullptr, "directory", "", false, false);
  if (int e = WriteDirectory(io, {}); e != 0) return Infra("write the directory", e);
  return Status::Ok();
}

Status MaildirDeployment::Provision(std::string_view user, std::string_view server,
                                    const std::vector<std::string>& messages) {
  if (Status s = CheckName("user", user); !s.ok()) return s;
  if (!IsServer(server)) {
    return Status::Invalid("no server '" + EscapeControl(server) + "'");
  }
  Result<std::string> dir_of_user = UserDir(server, user);
  if (!dir_of_user.ok()) return dir_of_user.status();
  const std::string md = *dir_of_user;
  if (int e = MakeMaildir(tree_, md, false); e != 0) return Infra("create " + md, e);
  // Harness set-up, not the store under test: no points, no fsync.
  MaildirIo io(nullptr, std::string(server), std::string(user), false, false);
  for (const auto& id : messages) {
    std::string name = UniqueName();
    if (io.PutFile(md + "/tmp/" + name, md + "/cur/" + name + ":2,S",
                   MessageText(id, user)) != 0) {
      return Status::Infra("provision " + std::string(user) + ": " + io.last_error());
    }
  }
  std::vector<Entry> dir;
  if (!ReadDirectory(io, &dir)) return Status::Infra("read the directory: " + io.last_error());
  Entry* e = Find(&dir, user);
  if (e == nullptr) e = &dir.emplace_back();
  *e = {std::string(user), std::string(server), std::string(server), kInbox};
  if (WriteDirectory(io, dir) != 0) {
    return Status::Infra("write the directory: " + io.last_error());
  }
  return Status::Ok();
}

Status MaildirDeployment::Inspect(Snapshot* out) {
  out->Clear();
  for (const char* server : kServers) {
    for (const auto& user : ListDirs(tree_ + "/" + server)) {
      Result<std::string> dir_of_user = UserDir(server, user);
      if (!dir_of_user.ok()) {
        out->notes.push_back(dir_of_user.status().message());
        continue;
      }
      const std::string& md = *dir_of_user;
      InspectFolder(out, server, user, kInbox, md, "");
      for (const auto& sub : ListSubfolders(md)) {
        InspectFolder(out, server, user, sub.substr(1), md + "/" + sub, sub + "/");
      }
    }
  }
  MaildirIo io(nullptr, "directory", "", false, false);
  std::vector<Entry> dir;
  if (!ReadDirectory(io, &dir)) return Status::Infra("read the directory: " + io.last_error());
  for (const auto& e : dir) out->directory.emplace_back(e.user, e.home);
  out->holding_folders = {"InTransit", "tmp", "InTransit/tmp"};
  if (keep_) out->notes.push_back("kept: " + tree_);
  return Status::Ok();
}

Status MaildirDeployment::Infra(const std::string& what, int e) {
  return Status::Infra(what + ": " + std::strerror(e));
}

int MaildirDeployment::MakeDir(const std::string& path) const {
  // Below base_, never base_ itself: after a SIGINT removed it, a Reset
  // still under way must not bring it back (MakeDirsBelow).
  return MakeDirsBelow(base_, path);
}

Entry* MaildirDeployment::Find(std::vector<Entry>* dir, std::string_view user) {
  for (auto& e : *dir) {
    if (e.user == user) return &e;
  }
  return nullptr;
}

Result<std::string> MaildirDeployment::UserDir(std::string_view server,
                                               std::string_view user) const {
  return ConfinedPath(tree_, {server, user});
}

bool MaildirDeployment::IoIn(std::string_view step) const {
  return io_steps_.empty() ||
         std::find(io_steps_.begin(), io_steps_.end(), step) != io_steps_.end();
}

bool MaildirDeployment::ReadDirectory(MaildirIo& io, std::vector<Entry>* out) {
  out->clear();
  std::string text;
  if (io.ReadFile(tree_ + "/directory", &text) != 0) return false;
  // Four encoded fields a line, separated by single spaces: a line that
  // is not is a corrupt directory, never a silently dropped user.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    std::string fields[4];
    size_t n = 0;
    bool ok = true;
    while (ok && n < 4) {
      size_t sp = line.find(' ');
      ok = DecodeField(line.substr(0, sp), &fields[n++]);
      if (sp == std::string_view::npos) break;
      line.remove_prefix(sp + 1);
      if (n == 4) ok = false;  // a fifth field
    }
    if (!ok || n != 4) {
      io.Fail(EINVAL, "corrupt directory line " + std::to_string(out->size() + 1));
      return false;
    }
    out->push_back({fields[0], fields[1], fields[2], fields[3]});
  }
  return true;
}

int MaildirDeployment::WriteDirectory(MaildirIo& io, const std::vector<Entry>& dir) {
  std::string text;
  for (const auto& e : dir) {
    text += EncodeField(e.user) + " " + EncodeField(e.home) + " " + EncodeField(e.server) +
            " " + EncodeField(e.folder) + "\n";
  }
  return io.PutFile(tree_ + "/directory." + UniqueName() + ".tmp", tree_ + "/directory", text);
}

int MaildirDeployment::SetRoute(MaildirIo& io, std::string_view user, const std::string& home,
                                const std::string& server, const std::string& folder) {
  std::vector<Entry> dir;
  if (!ReadDirectory(io, &dir)) return EIO;
  Entry* e = Find(&dir, user);
  if (e == nullptr) e = &dir.emplace_back();
  *e = {std::string(user), home, server, folder};
  return WriteDirectory(io, dir);
}

Status MaildirDeployment::Routed(std::string_view user, const std::string& to, bool* routed) {
  MaildirIo io(nullptr, "directory", std::string(user), false, false);
  std::vector<Entry> dir;
  if (!ReadDirectory(io, &dir)) return Status::Infra("read the directory: " + io.last_error());
  const Entry* e = Find(&dir, user);
  *routed = e != nullptr && e->server == to;
  return Status::Ok();
}

const std::string& MaildirDeployment::IdOf(const std::string& path) {
  auto it = ids_.find(path);
  if (it == ids_.end()) it = ids_.emplace(path, ReadMessageId(path)).first;
  return it->second;
}

std::unordered_set<std::string> MaildirDeployment::IdsIn(const std::string& md) {
  std::unordered_set<std::string> ids;
  for (const char* sub : {"/cur/", "/new/"}) {
    for (const auto& name : ListFiles(md + sub)) {
      const std::string& id = IdOf(md + sub + name);
      if (!id.empty()) ids.insert(id);
    }
  }
  return ids;
}

bool MaildirDeployment::Holds(const std::string& md, std::string_view id, bool held) {
  std::vector<std::string> dirs = {md + "/cur/", md + "/new/"};
  if (held) {
    dirs.push_back(md + "/" + kHoldingDir + "/cur/");
    dirs.push_back(md + "/" + kHoldingDir + "/new/");
  }
  for (const auto& dir : dirs) {
    for (const auto& name : ListFiles(dir)) {
      if (IdOf(dir + name) == id) return true;
    }
  }
  return false;
}

std::string MaildirDeployment::Names(const std::vector<std::string>& names) {
  std::string out = std::to_string(names.size()) + " file(s)";
  for (size_t i = 0; i < names.size() && i < 3; ++i) out += (i ? ", " : ": ") + names[i];
  if (names.size() > 3) out += ", ...";
  return out;
}

void MaildirDeployment::InspectFolder(Snapshot* out, const std::string& server,
                                      const std::string& user, const std::string& folder,
                                      const std::string& path, const std::string& rel) {
  for (const char* sub : {"cur", "new"}) {
    for (const auto& name : ListFiles(path + "/" + sub)) {
      std::string id = ReadMessageId(path + "/" + sub + "/" + name);
      if (id.empty()) {
        out->notes.push_back(server + ": " + user + "/" + rel + sub + "/" + name +
                             " has no Message-ID");
        continue;
      }
      out->copies.push_back({server, user, folder, id});
    }
  }
  // A file in tmp/ is a delivery that never finished: stranded.
  for (const auto& name : ListFiles(path + "/tmp")) {
    std::string id = ReadMessageId(path + "/tmp/" + name);
    out->notes.push_back(server + ": " + user + "/" + rel + "tmp/" + name + " left behind" +
                         (id.empty() ? "" : " (" + id + ")"));
    if (!id.empty()) {
      out->copies.push_back({server, user, folder == kInbox ? "tmp" : folder + "/tmp", id});
    }
  }
}

}  // namespace intransit::maildir
