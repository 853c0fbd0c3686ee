// The cyrus adapter's registry entry and factory; see cyrus_adapter.h. The
// deployment it opens is cyrus_deployment.h.
#include "adapters/cyrus/cyrus_adapter.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "adapters/cyrus/cyrus_deployment.h"
#include "adapters/cyrus/runbook.h"
#include "base/params.h"
#include "base/process_registry.h"
#include "store/points.h"

namespace intransit {
namespace {

namespace fs = std::filesystem;
using cyrus::CyrusDeployment;
using cyrus::Runbook;

constexpr const char* kMissing =
    "cyrus not found: install the Debian packages cyrus-imapd cyrus-admin cyrus-clients "
    "cyrus-replication";

Result<std::unique_ptr<Deployment>> Open(const AdapterConfig& config) {
  if (!cyrus::CyrusInstalled()) return Status::Infra(kMissing);
  Result<Runbook> runbook = config.options.Has("runbook")
                                ? cyrus::ParseRunbook(config.options.StringList("runbook"))
                                : cyrus::VariantRunbook(config.variant);
  if (!runbook.ok()) return runbook.status();
  cyrus::ServerOptions base;
  base.command_timeout_ms = static_cast<int>(config.options.Int("command_timeout_ms", 10000));
  base.lmtp_timeout_ms = static_cast<int>(config.options.Int("lmtp_timeout_ms", 10000));
  base.start_timeout_ms = static_cast<int>(config.options.Int("start_timeout_ms", 10000));

  // The tree must be readable by uid cyrus (FACTS gotcha 4), and so must
  // every directory above it: else lmtpd dies and master disables it.
  std::string parent = config.work_dir.empty() ? fs::temp_directory_path().string() : config.work_dir;
  if (geteuid() == 0) {
    std::error_code ec;
    for (fs::path p = fs::absolute(parent, ec); !p.empty(); p = p.parent_path()) {
      struct stat st {};
      if (stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) {
        return Status::Infra("cyrus: " + p.string() +
                             " is not searchable by uid cyrus (chmod o+x it, or use another "
                             "work dir)");
      }
      if (p == p.root_path()) break;
    }
  }
  // Recorded, so SIGINT/SIGTERM remove it too (kept ones are not recorded).
  // A short prefix: the unix socket paths under it have 107 bytes at most.
  auto made = MakeTempDir(parent, "intransit-cyrus.", !config.keep);
  if (!made.ok()) return made.status();
  std::string root = *made;
  chmod(root.c_str(), 0755);
  try {
    auto d = std::make_unique<CyrusDeployment>(std::move(*runbook), root, config.keep);
    Status s = d->Start(base);
    if (!s.ok()) return s;  // d's destructor stops what started and removes the root
    return std::unique_ptr<Deployment>(std::move(d));
  } catch (const std::exception& e) {
    return Status::Infra(std::string("cyrus adapter: ") + e.what());
  }
}

}  // namespace

AdapterInfo CyrusAdapterInfo() {
  AdapterInfo info;
  info.name = "cyrus";
  info.summary =
      "two real Cyrus IMAP servers on loopback; LMTP delivery; sync_client, XFER and DELETE move "
      "the user";
  info.variants = cyrus::VariantNames();
  info.default_variant = "sync-twice";
  info.servers = {"src", "dst"};
  info.options = {
      {"runbook", ParamType::kStringList,
       "the mover's steps, overriding the variant: " + JoinAlternatives(cyrus::StepNames()),
       {}, false, ""},
      {"command_timeout_ms", ParamType::kInt,
       "hard timeout of sync_client and of every IMAP reply (XFER, DELETE, reading back)", {},
       false, "10000"},
      {"lmtp_timeout_ms", ParamType::kInt, "how long to wait for each LMTP reply", {}, false,
       "10000"},
      {"start_timeout_ms", ParamType::kInt, "how long a server may take to greet on its ports",
       {}, false, "10000"},
  };
  info.points = {
      ListPoint(points::kDeliver, "over LMTP"),
      {"cyrus/sync", "sync_client -u: replicate the user src -> dst"},
      {"cyrus/xfer", "IMAP XFER of user/USER to dst; src then answers 550"},
      ListPoint(points::kRoute),
      {"cyrus/hold", "the MTA queue is held: deliveries answer tempfail"},
      {"cyrus/release", "the MTA queue is released"},
      ListPoint(points::kCleanup, "SETACL and DELETE of user/USER on src"),
  };
  info.recovery = {"resume"};
  info.open = Open;
  return info;
}

}  // namespace intransit
