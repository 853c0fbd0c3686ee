// The cyrus adapter's registry entry and factory; see cyrus_adapter.h. The
// deployment it opens is cyrus_deployment.h; the parts every two-server
// store shares are store/two_server_adapter.h.
#include "adapters/cyrus/cyrus_adapter.h"

#include <memory>
#include <string>

#include "adapters/cyrus/cyrus_deployment.h"
#include "adapters/cyrus/runbook.h"
#include "store/two_server_adapter.h"

namespace intransit {
namespace {

using cyrus::CyrusDeployment;
using cyrus::Runbook;

constexpr const char* kMissing =
    "cyrus not found: install the Debian packages cyrus-imapd cyrus-admin cyrus-clients "
    "cyrus-replication";

Result<std::unique_ptr<Deployment>> Open(const AdapterConfig& config) {
  if (!cyrus::CyrusInstalled()) return Status::Infra(kMissing);
  Result<Runbook> runbook = config.options.Has("runbook")
                                ? cyrus::Runbooks().Parse(config.options.StringList("runbook"))
                                : cyrus::Runbooks().Variant(config.variant);
  if (!runbook.ok()) return runbook.status();
  cyrus::ServerOptions base;
  base.command_timeout_ms = static_cast<int>(config.options.Int("command_timeout_ms", 10000));
  base.lmtp_timeout_ms = static_cast<int>(config.options.Int("lmtp_timeout_ms", 10000));
  base.start_timeout_ms = static_cast<int>(config.options.Int("start_timeout_ms", 10000));

  // The tree must be readable by uid cyrus (FACTS gotcha 4): else lmtpd
  // dies and master disables it.
  Result<std::string> root = MakeServerRoot(config, "cyrus", "uid cyrus");
  if (!root.ok()) return root.status();
  return StartDeployment("cyrus", [&] {
    return std::make_unique<CyrusDeployment>(std::move(*runbook), *root, config.keep, base);
  });
}

}  // namespace

AdapterInfo CyrusAdapterInfo() {
  return TwoServerAdapterInfo({
      .name = "cyrus",
      .summary = "two real Cyrus IMAP servers on loopback; LMTP delivery; sync_client, XFER and "
                 "DELETE move the user",
      .variants = cyrus::Runbooks().VariantNames(),
      .default_variant = "sync-twice",
      .step_names = cyrus::Runbooks().StepNames(),
      .command_timeout_help =
          "hard timeout of sync_client and of every IMAP reply (XFER, DELETE, reading back)",
      .start_help = "how long a server may take to greet on its ports",
      .options_after_command = {},
      .options_after_timeouts = {},
      .step_points = {{"cyrus/sync", "sync_client -u: replicate the user src -> dst"},
                      {"cyrus/xfer", "IMAP XFER of user/USER to dst; src then answers 550"}},
      .cleanup_how = "SETACL and DELETE of user/USER on src",
      .open = Open,
  });
}

}  // namespace intransit
