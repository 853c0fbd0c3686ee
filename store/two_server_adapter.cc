// The two-server stores' registry entry and factory scaffolding; see
// two_server_adapter.h.
#include "store/two_server_adapter.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "base/process_registry.h"
#include "store/points.h"

namespace intransit {

namespace fs = std::filesystem;

AdapterInfo TwoServerAdapterInfo(const TwoServerStore& store) {
  AdapterInfo info;
  info.name = store.name;
  info.summary = store.summary;
  info.variants = store.variants;
  info.default_variant = store.default_variant;
  info.servers = {"src", "dst"};
  info.options = {
      {"runbook", ParamType::kStringList,
       "the mover's steps, overriding the variant: " + JoinAlternatives(store.step_names),
       {}, false, ""},
      {"command_timeout_ms", ParamType::kInt, store.command_timeout_help, {}, false, "10000"},
  };
  for (const auto& o : store.options_after_command) info.options.push_back(o);
  info.options.push_back(
      {"lmtp_timeout_ms", ParamType::kInt, "how long to wait for each LMTP reply", {}, false,
       "10000"});
  info.options.push_back(
      {"start_timeout_ms", ParamType::kInt, store.start_help, {}, false, "10000"});
  for (const auto& o : store.options_after_timeouts) info.options.push_back(o);
  info.points = {ListPoint(points::kDeliver, "over LMTP")};
  for (const auto& p : store.step_points) info.points.push_back(p);
  info.points.push_back(ListPoint(points::kRoute));
  info.points.push_back(
      {store.name + "/hold", "the MTA queue is held: deliveries answer tempfail"});
  info.points.push_back({store.name + "/release", "the MTA queue is released"});
  info.points.push_back(ListPoint(points::kCleanup, store.cleanup_how));
  info.recovery = {"resume"};
  info.open = store.open;
  return info;
}

Result<std::string> MakeServerRoot(const AdapterConfig& config, const std::string& store,
                                   const std::string& reader) {
  // The servers run as another uid when run as root: the root must be
  // searchable by it, and so must every directory above it, else the
  // servers cannot reach their own files.
  std::string parent =
      config.work_dir.empty() ? fs::temp_directory_path().string() : config.work_dir;
  if (geteuid() == 0) {
    std::error_code ec;
    for (fs::path p = fs::absolute(parent, ec); !p.empty(); p = p.parent_path()) {
      struct stat st {};
      if (stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXOTH) == 0) {
        return Status::Infra(store + ": " + p.string() + " is not searchable by " + reader +
                             " (chmod o+x it, or use another work dir)");
      }
      if (p == p.root_path()) break;
    }
  }
  // Recorded, so SIGINT/SIGTERM remove it too (kept ones are not recorded).
  // A short prefix: unix socket paths under it have 107 bytes at most.
  auto made = MakeTempDir(parent, "intransit-" + store + ".", !config.keep);
  if (!made.ok()) return made.status();
  // mkdtemp makes 0700.
  chmod(made->c_str(), 0755);
  return *made;
}

Result<std::unique_ptr<Deployment>> StartDeployment(
    const std::string& store, const std::function<std::unique_ptr<TwoServerDeployment>()>& make) {
  try {
    std::unique_ptr<TwoServerDeployment> d = make();
    Status s = d->Start();
    if (!s.ok()) return s;  // d's destructor stops what started and removes the root
    return std::unique_ptr<Deployment>(std::move(d));
  } catch (const std::exception& e) {
    // Whatever started was stopped by the destructors on the way here.
    return Status::Infra(store + " adapter: " + e.what());
  }
}

}  // namespace intransit
