// The maildir store's delivery: see maildir_deployment.h.
//
// Every delivery passes its scheduling point first, then does its file
// operations through a MaildirIo, which asks the fault plan at
// maildir/write, maildir/fsync and maildir/rename and opens libfiu's POSIX
// points around the real calls. The directory is read from disk at every
// delivery, after the delivery's point (the sender may have waited there
// while the mover switched it).
//
// Delivery (in-transit) drops a Message-ID the user's maildir already holds
// (cur/, new/, .InTransit) and answers accepted, so that a resend after a
// lost acknowledgement is not stored twice.
#include <string>
#include <vector>

#include "adapters/maildir/maildir_deployment.h"
#include "base/name_rule.h"
#include "store/points.h"

namespace intransit::maildir {

Result<DeliverResult> MaildirDeployment::Deliver(Gate& gate, std::string_view user,
                                                 std::string_view message) {
  // A suite built in code skips the loader's check: the name is checked
  // again before it becomes a path or a header.
  if (Status s = CheckName("user", user); !s.ok()) return s;
  if (message.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos) {
    return Status::Invalid("Message-ID '" + EscapeControl(message) +
                           "' holds a line break or a NUL");
  }
  Entry route;
  {
    // The route announced decides which faults match: read in the
    // actor's previous step, which this touch joins.
    TouchParts(gate, Access::kRead, "dir", user);
    MaildirIo peek(nullptr, "directory", std::string(user), false, false);
    std::vector<Entry> dir;
    if (ReadDirectory(peek, &dir)) {
      if (Entry* e = Find(&dir, user)) route = *e;
    }
  }
  // Routed again below, from disk, only once the step goes on: the read
  // goes through the fault plan (its probes count), which a crash or a
  // failure at the point must not reach. Declared anyway, so that every
  // delivery step says what it may touch.
  DeliveryOpening open = OpenDelivery(gate, {route.server, user, message, "deliver"}, [&] {
    TouchParts(gate, Access::kRead, "dir", user);
    return std::string_view();
  });
  if (open.ended) return open.result;
  const Decision& d = open.decision;
  DeliverResult r;
  r.answer = Answer::kTempfail;
  // Routed again, from disk: the sender may have waited while the mover ran.
  Gate* io_gate = IoIn(points::kDeliver.name) ? &gate : nullptr;
  MaildirIo io(io_gate, "directory", std::string(user), true, fsync_);
  std::vector<Entry> dir;
  if (!ReadDirectory(io, &dir)) {
    gate.Note("directory unreadable: " + io.last_error() + "; 451");
    return r;
  }
  Entry* e = Find(&dir, user);
  if (e == nullptr) {
    gate.Note("no such user in the directory; 550");
    r.answer = Answer::kPermfail;
    return r;
  }
  route = *e;
  gate.RanOn(route.server);
  Result<std::string> dir_of_user = UserDir(route.server, user);
  if (!dir_of_user.ok()) return dir_of_user.status();
  const std::string user_dir = *dir_of_user;
  std::string md = user_dir;
  std::string rel = route.folder == kInbox ? "" : route.folder + "/";
  if (!rel.empty()) md += "/" + route.folder;
  // The maildir's existence decides a 451 (the folder's own, for
  // .InTransit, is its object's); the Message-ID check (in-transit) reads
  // only whether this message is stored, which no other delivery changes:
  // an append, against which a mover step that can bring this message
  // (copy, flush, rollback) is a write.
  const std::string folder_object =
      route.folder == kInbox ? kInbox
      : route.folder == kHoldingDir ? kInTransit
                                    : route.folder;
  TouchParts(gate, Access::kRead, "box", route.server, user);
  if (proc_.drop_resent) {
    TouchParts(gate, Access::kAppend, route.server, user, kInbox);
    TouchParts(gate, Access::kAppend, route.server, user, kInTransit);
  }
  TouchParts(gate, StoreAccess(), route.server, user, folder_object);
  if (!Exists(md + "/new")) {
    gate.Note("no maildir for " + std::string(user) + " on " + route.server + "; 451");
    return r;
  }
  // Stored (or already there): accepted, unless the step fails after it ran.
  auto stored = [&] {
    if (d.fails_after()) {
      r.answer = AnswerFor(d.error);
      return r;
    }
    r.answer = Answer::kAccepted;
    r.server = route.server;
    r.folder = route.folder == kInbox ? kInbox : route.folder.substr(1);
    return r;
  };
  if (proc_.drop_resent && Holds(user_dir, message, true)) {
    // A resend (the sender never heard our 250): the mailbox has it.
    gate.Note("already stored on " + route.server + ": the resend is dropped");
    return stored();
  }
  MaildirIo store(io_gate, route.server, std::string(user), true, fsync_);
  const std::string name = UniqueName();
  int err = store.PutFile(md + "/tmp/" + name, md + "/new/" + name, MessageText(message, user));
  if (store.crashed()) {
    gate.Note("the store died mid-delivery (" + store.last_error() + "); " + rel + "tmp/" +
              name + " left behind");
    return r;
  }
  if (err != 0) {
    gate.Note(store.last_error() + "; 451");
    return r;
  }
  gate.Note(rel + "new/" + name);
  return stored();
}

}  // namespace intransit::maildir
