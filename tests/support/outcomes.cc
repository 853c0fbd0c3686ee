// Outcome sets: see outcomes.h.
#include "tests/support/outcomes.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "explore/dpor_strategy.h"
#include "explore/exhaustive_strategy.h"
#include "oracle/oracle.h"
#include "run/runner.h"

namespace intransit::testing {
namespace {

std::string FinalOf(const Ledger& ledger, const Snapshot& snapshot) {
  std::vector<std::string> copies;
  for (const MessageCopy& c : snapshot.copies) {
    copies.push_back(c.server + "/" + c.user + "/" + c.folder + "/" + c.message);
  }
  std::sort(copies.begin(), copies.end());
  std::string out = "copies:";
  for (const auto& c : copies) out += " " + c;
  auto dir = snapshot.directory;
  std::sort(dir.begin(), dir.end());
  out += " | dir:";
  for (const auto& [user, server] : dir) out += " " + user + "=" + server;
  out += " | moves:";
  for (const MoveRecord& m : ledger.moves()) {
    out += std::string(" ") + MoveResultName(m.result) + (m.recovered ? "(recovered)" : "");
  }
  out += " | mail:";
  for (size_t i = 0; i < ledger.size(); ++i) {
    const LedgerEntry& e = ledger.entry(i);
    out += " " + e.message + (e.accepted() ? "=accepted" : "=refused") + (e.ndr ? "+ndr" : "");
  }
  return out;
}

std::string VerdictsOf(const OracleResult& judged) {
  std::string out;
  for (const auto& name : judged.Invariants()) out += name + " ";
  for (const MessageVerdict& v : judged.verdicts) out += std::string(VerdictName(v.verdict)) + " ";
  return out;
}

}  // namespace

Outcomes ExploreOutcomes(const Suite& suite, bool reduce, int shards) {
  Outcomes out;
  const AdapterInfo* info = AdapterRegistry::Global().Find(suite.adapter);
  if (info == nullptr) {
    out.error = "no adapter " + suite.adapter;
    return out;
  }
  Oracle oracle(suite.oracle);
  OracleResult judged;
  for (int shard = 0; shard < shards; ++shard) {
    auto deployment = info->open(suite.adapter_config);
    if (!deployment.ok()) {
      out.error = deployment.status().message();
      return out;
    }
    std::unique_ptr<Strategy> strategy;
    if (reduce) {
      strategy = std::make_unique<DporStrategy>(static_cast<int>(suite.actors.size()));
    } else {
      strategy = std::make_unique<ExhaustiveStrategy>();
    }
    strategy->SetShard(shard, shards);
    Runner runner(suite, deployment->get(), info->needs_threads);
    for (uint64_t i = 0; strategy->BeginSchedule(i); ++i) {
      Status s = runner.Run(strategy.get());
      const bool owned = strategy->owns();
      strategy->EndSchedule();
      if (!s.ok() || !strategy->error().ok()) {
        out.error = !s.ok() ? s.message() : strategy->error().message();
        return out;
      }
      if (!owned) continue;
      ++out.judged;
      oracle.Check(runner.ledger(), runner.snapshot(), &judged, false);
      out.finals.insert(FinalOf(runner.ledger(), runner.snapshot()));
      out.verdicts.insert(VerdictsOf(judged));
    }
    out.blocked += strategy->sleep_blocked();
    out.complete = out.complete && strategy->complete();
  }
  return out;
}

}  // namespace intransit::testing
