// The dovecot adapter's registry entry and factory; see dovecot_adapter.h.
// The deployment it opens is dovecot_deployment.h.
#include "adapters/dovecot/dovecot_adapter.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "adapters/dovecot/dovecot_deployment.h"
#include "adapters/dovecot/runbook.h"
#include "base/params.h"
#include "base/process_registry.h"
#include "store/points.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;
using dovecot::DovecotDeployment;
using dovecot::Runbook;

constexpr const char* kMissing =
    "dovecot not found: install the Debian packages dovecot-core dovecot-lmtpd";

Result<std::unique_ptr<Deployment>> Open(const AdapterConfig& config) {
  if (!dovecot::DovecotInstalled()) return Status::Infra(kMissing);
  Result<Runbook> runbook = config.options.Has("runbook")
                                ? dovecot::ParseRunbook(config.options.StringList("runbook"))
                                : dovecot::VariantRunbook(config.variant);
  if (!runbook.ok()) return runbook.status();
  std::string provision = config.options.String("provision", "lmtp");

  dovecot::ServerOptions base;
  base.password = "intransit-" + std::to_string(getpid());
  base.uid = base.gid = static_cast<int>(config.options.Int("mail_uid", 4242));
  base.command_timeout_ms = static_cast<int>(config.options.Int("command_timeout_ms", 10000));
  base.command_max_ms = static_cast<int>(config.options.Int("command_max_ms", 120000));
  base.mail_fsync = config.options.String("mail_fsync", "optimized");
  base.lmtp_timeout_ms = static_cast<int>(config.options.Int("lmtp_timeout_ms", 10000));
  base.start_timeout_ms = static_cast<int>(config.options.Int("start_timeout_ms", 10000));
  std::string fiu = config.options.String("fiu", "");
  std::string fiu_enable;
  if (!fiu.empty()) {
    if (access(dovecot::kFiuPosixPreload, R_OK) != 0) {
      return Status::Infra(std::string("fiu: ") + dovecot::kFiuPosixPreload +
                           " not found: install the Debian package fiu-utils");
    }
    fiu_enable = "enable name=" + fiu;
  }

  // The temp root must be searchable by the mail uid (mkdtemp makes 0700),
  // and so must every directory above it: else every delivery is a 451.
  std::string parent = config.work_dir.empty() ? fs::temp_directory_path().string() : config.work_dir;
  if (geteuid() == 0) {
    std::error_code ec;
    for (fs::path p = fs::absolute(parent, ec); !p.empty(); p = p.parent_path()) {
      struct stat st {};
      if (stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) {
        return Status::Infra("dovecot: " + p.string() + " is not searchable by the mail uid " +
                             std::to_string(base.uid) + " (chmod o+x it, or use another work dir)");
      }
      if (p == p.root_path()) break;
    }
  }
  // Recorded, so SIGINT/SIGTERM remove it too (kept ones are not recorded).
  auto made = MakeTempDir(parent, "intransit-dovecot.", !config.keep);
  if (!made.ok()) return made.status();
  std::string pattern = *made;
  chmod(pattern.c_str(), 0755);
  try {
    auto d = std::make_unique<DovecotDeployment>(std::move(*runbook), pattern, config.keep,
                                                 provision);
    Status s = d->Start(base, config.options.String("fiu_server", "dst"), fiu_enable);
    if (!s.ok()) return s;  // d's destructor stops what started and removes the root
    return std::unique_ptr<Deployment>(std::move(d));
  } catch (const std::exception& e) {
    // Whatever started was stopped by the destructors on the way here.
    return Status::Infra(std::string("dovecot adapter: ") + e.what());
  }
}

}  // namespace

AdapterInfo DovecotAdapterInfo() {
  AdapterInfo info;
  info.name = "dovecot";
  info.summary = "two real Dovecot servers on loopback; LMTP delivery; a dsync runbook moves the mailbox";
  info.variants = dovecot::VariantNames();
  info.default_variant = "documented";
  info.servers = {"src", "dst"};
  info.options = {
      {"runbook", ParamType::kStringList,
       "the mover's steps, overriding the variant: " + JoinAlternatives(dovecot::StepNames()),
       {}, false, ""},
      {"command_timeout_ms", ParamType::kInt,
       "a doveadm command (dsync, fetch) that moves no byte for this long is killed (SIGKILL); "
       "for dsync, the I/O of the destination's doveadm-server counts too",
       {}, false, "10000"},
      {"command_max_ms", ParamType::kInt,
       "the longest a doveadm command may run, working or not; then SIGKILL", {}, false,
       "120000"},
      {"mail_fsync", ParamType::kString,
       "the servers' mail_fsync: 'never' makes large dsync passes several times faster and "
       "changes no outcome (intransit's crashes are not power losses); an fsync fault needs "
       "'optimized' or 'always'",
       {"optimized", "always", "never"}, false, "optimized"},
      {"lmtp_timeout_ms", ParamType::kInt, "how long to wait for each LMTP reply", {}, false,
       "10000"},
      {"start_timeout_ms", ParamType::kInt, "how long a server may take to accept on its ports",
       {}, false, "10000"},
      {"mail_uid", ParamType::kInt, "the uid (and gid) mail is stored as, when run as root", {},
       false, "4242"},
      {"provision", ParamType::kString,
       "how pre-existing mail is put in place: over LMTP, or written into the Maildir (fast)",
       {"lmtp", "maildir"}, false, "lmtp"},
      {"fiu", ParamType::kString,
       "a libfiu POSIX point every process of fiu_server fails, e.g. "
       "'posix/io/dir/rename,failinfo=28' (coarse: for the whole run)",
       {}, false, ""},
      {"fiu_server", ParamType::kString, "the server that runs under the libfiu preload",
       {"src", "dst"}, false, "dst"},
  };
  info.points = {
      ListPoint(points::kDeliver, "over LMTP"),
      {"dovecot/backup", "doveadm backup src -> dst (also start-backup)"},
      {"dovecot/sync", "doveadm sync -1 src -> dst"},
      {"dovecot/wait", "waiting for a background backup"},
      ListPoint(points::kRoute),
      {"dovecot/hold", "the MTA queue is held: deliveries answer tempfail"},
      {"dovecot/release", "the MTA queue is released"},
      ListPoint(points::kCleanup, "the user's home on src"),
  };
  info.recovery = {"resume"};
  info.open = Open;
  return info;
}

}  // namespace intransit
