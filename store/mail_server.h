// One real server of a two-server store (Dovecot, Cyrus), as its
// deployment (store/two_server_deployment.h) runs it: the store's server
// class implements it, and the deployment makes it through its
// TwoServerSetup::make_server.
#pragma once

#include <initializer_list>
#include <string>

#include "base/status.h"
#include "store/lmtp_client.h"

namespace intransit {

class MailServer {
 public:
  virtual ~MailServer() = default;
  virtual const std::string& name() const = 0;
  // Starts the server. REQUIRES: not running.
  virtual Status Start() = 0;
  // Asks the server to stop without waiting, so that both stop in parallel.
  virtual void BeginStop() = 0;
  // Stops the server and everything it started; its directory stays.
  virtual void Stop() = 0;
  // Ok while it runs; Infra naming the server once it has died.
  virtual Status CheckAlive() = 0;
  // Delivers over LMTP. Infra when the connection broke.
  virtual Result<LmtpReply> Deliver(const std::string& rcpt, const std::string& message) = 0;
};

// Makes a server's directory `dir` and its `subs` ("" is `dir` itself,
// "/run" one below it), each mode 0755 whatever the umask. Its parent, the
// run's temp dir, must exist and is never made again: after SIGINT removed
// it, a start still under way must not bring it back (MakeDirsBelow).
// Infra naming the directory that could not be made.
Status MakeServerDirs(const std::string& dir, std::initializer_list<const char*> subs);

}  // namespace intransit
