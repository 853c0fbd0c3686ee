// The registry entry and the factory's scaffolding of a store that runs two
// real servers (store/two_server_deployment.h): the parts of AdapterInfo
// they share (the servers, the `runbook` option and the timeouts, the core
// points and the MTA queue's, recovery by resuming) and the making of the
// temporary root the servers live in.
//
//   AdapterInfo info = TwoServerAdapterInfo({.name = "cyrus", ..., .open = Open});
//   Result<std::string> root = MakeServerRoot(config, "cyrus", "uid cyrus");
//   return StartDeployment("cyrus", [&] { return std::make_unique<CyrusDeployment>(...); });
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/params.h"
#include "base/status.h"
#include "store/adapter.h"
#include "store/two_server_deployment.h"

namespace intransit {

// What a two-server store says of itself in its registry entry.
struct TwoServerStore {
  std::string name;  // "cyrus"; also the prefix of its points: "cyrus/hold"
  std::string summary;
  std::vector<std::string> variants;
  std::string default_variant;
  std::vector<std::string> step_names;  // listed in the `runbook` option's help
  std::string command_timeout_help;     // what command_timeout_ms bounds
  std::string start_help;               // what start_timeout_ms bounds
  // Options of its own, after command_timeout_ms and after the shared
  // timeouts (lmtp_timeout_ms, start_timeout_ms).
  std::vector<ParamSpec> options_after_command, options_after_timeouts;
  std::vector<PointInfo> step_points;  // its own steps' points, after `deliver`
  std::string cleanup_how;             // how it deletes the old mailbox
  std::function<Result<std::unique_ptr<Deployment>>(const AdapterConfig&)> open;
};

// The registry entry: servers src and dst, the options (runbook,
// command_timeout_ms, the store's, lmtp_timeout_ms, start_timeout_ms, the
// store's), the points (deliver over LMTP, the store's, route,
// <name>/hold, <name>/release, cleanup) and recovery by resuming.
AdapterInfo TwoServerAdapterInfo(const TwoServerStore& store);

// Makes the servers' root, "intransit-<store>.XXXXXX" under the config's
// work dir (the system's temp dir when none), mode 0755, recorded so that
// SIGINT and SIGTERM remove it unless kept. Run as root, every directory
// above it must be searchable by `reader` (the uid the servers run as,
// "uid cyrus"): else Infra naming the directory, and nothing is made.
Result<std::string> MakeServerRoot(const AdapterConfig& config, const std::string& store,
                                   const std::string& reader);

// Makes the deployment with `make` and starts it (TwoServerDeployment::
// Start): the run's deployment. On error, its destructor has stopped what
// started and removed its root; an exception is Infra naming the store.
Result<std::unique_ptr<Deployment>> StartDeployment(
    const std::string& store, const std::function<std::unique_ptr<TwoServerDeployment>()>& make);

}  // namespace intransit
