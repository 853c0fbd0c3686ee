// The reference store's procedures: see procedure.h. Each entry says in its
// summary which known race of a move it reproduces.
#include "adapters/reference/procedure.h"

#include "store/points.h"

namespace intransit {

const std::vector<Procedure>& Procedures() {
  using S = StepKind;
  static const std::vector<Procedure> kAll = [] {
    std::vector<Procedure> v;
    const std::vector<StepKind> sp4_steps = {S::kCreate, S::kCopyOver, S::kRoute, S::kUnflag,
                                             S::kFlushAppend, S::kCleanup};

    Procedure correct;
    correct.name = "correct";
    correct.summary =
        "created in transit, forwarded from creation, copy merges, flush appends, resent "
        "Message-IDs dropped, failures before the switch rolled back, after it retried, "
        "crashes resumed";
    correct.steps = {S::kCreate, S::kCopyMerge, S::kRoute, S::kUnflag, S::kFlushAppend,
                     S::kCleanup};
    correct.create_in_transit = true;
    correct.drop_resent = true;
    correct.retry_after_route = true;
    correct.on_failure = OnFailure::kRollBack;
    correct.recovery = Recovery::kResume;
    v.push_back(correct);

    Procedure pre;
    pre.name = "pre-sp4";
    pre.summary = "Exchange 5.5 before SP4 (KB Q277911): create, then flag; the copy writes over";
    pre.steps = {S::kCreate, S::kFlag, S::kCopyOver, S::kRoute, S::kUnflag, S::kFlushAppend,
                 S::kCleanup};
    v.push_back(pre);

    Procedure sp4;
    sp4.name = "sp4";
    sp4.summary = "Exchange 5.5 SP4: the mailbox is created already in transit";
    sp4.steps = sp4_steps;
    sp4.create_in_transit = true;
    v.push_back(sp4);

    Procedure late = correct;
    late.name = "late-source";
    late.summary =
        "the old server keeps accepting after the copy and nothing forwards its late mail: "
        "the cleanup deletes it";
    late.forward_from_create = false;
    v.push_back(late);

    Procedure strand = correct;
    strand.name = "crash-strand";
    strand.summary =
        "after a crash the move is rolled back, but the rollback forgets the InTransit folder: "
        "mail delivered during the move is stranded there";
    strand.recovery = Recovery::kRollBackForget;
    v.push_back(strand);

    Procedure flush = correct;
    flush.name = "flush-overwrite";
    flush.summary =
        "the flush rebuilds the mailbox from the copy and the InTransit folder and writes it "
        "over: mail delivered between unflag and flush is lost";
    flush.steps = {S::kCreate, S::kCopyMerge, S::kRoute, S::kUnflag, S::kFlushRebuild,
                   S::kCleanup};
    v.push_back(flush);

    Procedure dup = correct;
    dup.name = "no-dedupe";
    dup.summary =
        "a delivery whose acknowledgement was lost is stored again when the sender retries: "
        "no Message-ID check";
    dup.drop_resent = false;
    v.push_back(dup);

    Procedure del = correct;
    del.name = "delete-failed-copy";
    del.summary = "a failed copy is logged and the move goes on: the source is deleted anyway";
    del.on_failure = OnFailure::kIgnoreCopy;
    v.push_back(del);

    Procedure temp = correct;
    temp.name = "tempfail-accepted";
    temp.summary =
        "a store that could not write the message answers 250 anyway (a tempfail turned into "
        "accepted internally)";
    temp.tempfail_as_accepted = true;
    v.push_back(temp);
    return v;
  }();
  return kAll;
}

const Procedure* FindProcedure(std::string_view name) {
  for (const auto& p : Procedures()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const char* StepPoint(StepKind k) {
  switch (k) {
    case StepKind::kCreate: return points::kCreate.name;
    case StepKind::kFlag: return points::kFlag.name;
    case StepKind::kCopyOver:
    case StepKind::kCopyMerge: return points::kCopy.name;
    case StepKind::kRoute: return points::kRoute.name;
    case StepKind::kUnflag: return points::kUnflag.name;
    case StepKind::kFlushAppend:
    case StepKind::kFlushRebuild: return points::kFlush.name;
    case StepKind::kCleanup: return points::kCleanup.name;
  }
  return "?";
}

const char* StepWhat(StepKind k) {
  switch (k) {
    case StepKind::kCreate: return "create the mailbox";
    case StepKind::kFlag: return "set InTransit on the new mailbox";
    case StepKind::kCopyOver: return "copy the source mailbox into the new one";
    case StepKind::kCopyMerge: return "copy the source mailbox, adding what is missing";
    case StepKind::kRoute: return "point the directory at the new server";
    case StepKind::kUnflag: return "clear InTransit";
    case StepKind::kFlushAppend: return "flush InTransit into the mailbox";
    case StepKind::kFlushRebuild: return "rebuild the mailbox from the copy and InTransit";
    case StepKind::kCleanup: return "delete the old mailbox";
  }
  return "?";
}

}  // namespace intransit
