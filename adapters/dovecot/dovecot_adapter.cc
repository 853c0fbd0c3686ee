// The dovecot adapter's registry entry and factory; see dovecot_adapter.h.
// The deployment it opens is dovecot_deployment.h; the parts every
// two-server store shares are store/two_server_adapter.h.
#include "adapters/dovecot/dovecot_adapter.h"

#include <unistd.h>

#include <memory>
#include <string>

#include "adapters/dovecot/dovecot_deployment.h"
#include "adapters/dovecot/runbook.h"
#include "store/two_server_adapter.h"

namespace intransit {
namespace {

using dovecot::DovecotDeployment;
using dovecot::Runbook;

constexpr const char* kMissing =
    "dovecot not found: install the Debian packages dovecot-core dovecot-lmtpd";

Result<std::unique_ptr<Deployment>> Open(const AdapterConfig& config) {
  if (!dovecot::DovecotInstalled()) return Status::Infra(kMissing);
  Result<Runbook> runbook = config.options.Has("runbook")
                                ? dovecot::Runbooks().Parse(config.options.StringList("runbook"))
                                : dovecot::Runbooks().Variant(config.variant);
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
  Result<std::string> root =
      MakeServerRoot(config, "dovecot", "the mail uid " + std::to_string(base.uid));
  if (!root.ok()) return root.status();
  return StartDeployment("dovecot", [&] {
    return std::make_unique<DovecotDeployment>(std::move(*runbook), *root, config.keep, provision,
                                               base, config.options.String("fiu_server", "dst"),
                                               fiu_enable);
  });
}

}  // namespace

AdapterInfo DovecotAdapterInfo() {
  return TwoServerAdapterInfo({
      .name = "dovecot",
      .summary =
          "two real Dovecot servers on loopback; LMTP delivery; a dsync runbook moves the mailbox",
      .variants = dovecot::Runbooks().VariantNames(),
      .default_variant = "documented",
      .step_names = dovecot::Runbooks().StepNames(),
      .command_timeout_help =
          "a doveadm command (dsync, fetch) that moves no byte for this long is killed "
          "(SIGKILL); for dsync, the I/O of the destination's doveadm-server counts too",
      .start_help = "how long a server may take to accept on its ports",
      .options_after_command =
          {{"command_max_ms", ParamType::kInt,
            "the longest a doveadm command may run, working or not; then SIGKILL", {}, false,
            "120000"},
           {"mail_fsync", ParamType::kString,
            "the servers' mail_fsync: 'never' makes large dsync passes several times faster and "
            "changes no outcome (intransit's crashes are not power losses); an fsync fault needs "
            "'optimized' or 'always'",
            {"optimized", "always", "never"}, false, "optimized"}},
      .options_after_timeouts =
          {{"mail_uid", ParamType::kInt, "the uid (and gid) mail is stored as, when run as root",
            {}, false, "4242"},
           {"provision", ParamType::kString,
            "how pre-existing mail is put in place: over LMTP, or written into the Maildir (fast)",
            {"lmtp", "maildir"}, false, "lmtp"},
           {"fiu", ParamType::kString,
            "a libfiu POSIX point every process of fiu_server fails, e.g. "
            "'posix/io/dir/rename,failinfo=28' (coarse: for the whole run)",
            {}, false, ""},
           {"fiu_server", ParamType::kString, "the server that runs under the libfiu preload",
            {"src", "dst"}, false, "dst"}},
      .step_points = {{"dovecot/backup", "doveadm backup src -> dst (also start-backup)"},
                      {"dovecot/sync", "doveadm sync -1 src -> dst"},
                      {"dovecot/wait", "waiting for a background backup"}},
      .cleanup_how = "the user's home on src",
      .open = Open,
  });
}

}  // namespace intransit
