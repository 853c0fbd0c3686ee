// The maildir adapter's registry entry: see maildir_adapter.h. The
// deployment it opens is maildir_deployment.h.
#include "adapters/maildir/maildir_adapter.h"

#include <stdlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include "adapters/maildir/maildir_deployment.h"
#include "adapters/maildir/posix_faults.h"
#include "adapters/maildir/procedure.h"
#include "base/process_registry.h"
#include "store/points.h"

namespace intransit {

AdapterInfo MaildirAdapterInfo() {
  AdapterInfo info;
  info.name = "maildir";
  info.summary = "two Maildir++ roots on disk, Maildir delivery, a file-copying mover";
  for (const auto& p : maildir::Procedures()) info.variants.push_back(p.name);
  info.default_variant = maildir::DefaultVariant();
  info.servers = {"src", "dst"};
  info.options = {
      {"root", ParamType::kString, "where the per-schedule trees go (a tmpfs, a disk)", {}, false,
       "$TMPDIR or /tmp"},
      {"fsync", ParamType::kBool, "fsync each file before its rename (the Maildir protocol)", {},
       false, "true"},
      {"io_steps", ParamType::kStringList,
       "the steps whose file operations the I/O points (maildir/*, posix/*) may fail: create, "
       "flag, copy, route, unflag, flush, cleanup, deliver",
       {}, false, "every step"},
  };
  info.points = {
      ListPoint(points::kCreate, "a maildir"),
      ListPoint(points::kFlag, "pre-sp4: .InTransit is created and deliveries go there"),
      ListPoint(points::kCopy, "file by file"),
      ListPoint(points::kRoute),
      ListPoint(points::kUnflag, "deliveries go to the INBOX again"),
      ListPoint(points::kFlush, ".InTransit is renamed into cur/ and new/"),
      ListPoint(points::kCleanup, "the source maildir is removed"),
      ListPoint(points::kDeliver, "by the Maildir protocol"),
      {"maildir/write", "a file is written (in tmp/); phase after = a partial write"},
      {"maildir/fsync", "a file is fsynced before its rename"},
      {"maildir/rename", "a file is renamed into place (tmp/ to new/, .InTransit to the INBOX)"},
  };
  for (const auto& p : PosixPoints()) {
    info.points.push_back({p, "libfiu POSIX point in the adapter's own calls (needs the preload)"});
  }
  info.recovery = {"resume"};
  info.open = [](const AdapterConfig& config) -> Result<std::unique_ptr<Deployment>> {
    const maildir::Procedure& procedure = maildir::ProcedureOf(config.variant);
    std::vector<std::string> io_steps = config.options.StringList("io_steps");
    for (const auto& s : io_steps) {
      static const char* known[] = {points::kCreate.name, points::kFlag.name,
                                    points::kCopy.name,   points::kRoute.name,
                                    points::kUnflag.name, points::kFlush.name,
                                    points::kCleanup.name, points::kDeliver.name};
      if (std::find_if(std::begin(known), std::end(known),
                       [&](const char* k) { return s == k; }) == std::end(known)) {
        return Status::Invalid("io_steps: unknown step '" + s +
                               "'; allowed: create, flag, copy, route, unflag, flush, cleanup "
                               "or deliver");
      }
    }
    for (const auto& point : config.armed_points) {
      if (point.rfind("posix/", 0) == 0 && !PosixPreloadActive()) {
        return Status::Infra("the suite arms " + point +
                             ", which needs libfiu's POSIX preload in this process; run it "
                             "with `intransit run SUITE` (which arranges the preload) or set "
                             "LD_PRELOAD=/usr/lib/fiu/fiu_posix_preload.so");
      }
    }
    std::string root = config.options.String("root", config.work_dir);
    if (root.empty()) {
      const char* t = getenv("TMPDIR");
      root = t != nullptr && *t != '\0' ? t : "/tmp";
    }
    // Recorded, so SIGINT/SIGTERM remove it too (kept ones are not recorded).
    auto made = MakeTempDir(root, "intransit-maildir-", !config.keep);
    if (!made.ok()) return made.status();
    std::string pattern = *made;
    EnablePosixPoints();
    bool io_armed = false;
    for (const auto& point : config.armed_points) {
      io_armed |= point.rfind("maildir/", 0) == 0 || point.rfind("posix/", 0) == 0;
    }
    return std::unique_ptr<Deployment>(
        new maildir::MaildirDeployment(procedure, pattern, config.keep,
                                       config.options.Bool("fsync", true), std::move(io_steps),
                                       io_armed));
  };
  return info;
}

}  // namespace intransit
