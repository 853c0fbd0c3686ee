// Helpers shared by the maildir adapter's tests (the plain test binary and
// the one that runs under libfiu's POSIX preload).
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "explore/strategy_factory.h"
#include "faults/fault.h"
#include "oracle/oracle.h"
#include "run/runner.h"
#include "run/strategy.h"
#include "store/adapter.h"
#include "suite/suite_loader.h"

namespace intransit::maildir_test {

// A suite of suites/maildir/, its trees on tmpfs (fsync on tmpfs is cheap).
inline Suite LoadMaildirSuite(const std::string& name, std::vector<std::string> sets = {}) {
  RegisterBuiltinFaults();
  LoadOptions o;
  o.sets = std::move(sets);
  o.sets.push_back("adapter.root=/dev/shm");
  auto s = LoadSuite(std::string(INTRANSIT_SOURCE_DIR) + "/suites/maildir/" + name, o);
  if (!s.ok()) throw std::runtime_error(s.status().message());
  return std::move(*s);
}

// Runs every schedule of `suite` (up to `max`), calling `each` after each
// with the runner and the oracle's judgement.
inline void ForEachSchedule(const Suite& suite, size_t max,
                            const std::function<void(const Runner&, const OracleResult&)>& each) {
  const AdapterInfo* info = AdapterRegistry::Global().Find(suite.adapter);
  if (info == nullptr) throw std::runtime_error("no adapter " + suite.adapter);
  auto dep = info->open(suite.adapter_config);
  if (!dep.ok()) throw std::runtime_error(dep.status().message());
  auto made = MakeStrategy(suite, false);  // every interleaving: no reduction
  if (!made.ok()) throw std::runtime_error(made.status().message());
  Strategy* strategy = made->strategy.get();
  Runner runner(suite, dep->get(), false);
  Oracle oracle(suite.oracle);
  OracleResult judged;
  for (size_t i = 0; i < max && strategy->BeginSchedule(i); ++i) {
    Status s = runner.Run(strategy);
    strategy->EndSchedule();
    if (!s.ok()) throw std::runtime_error(s.message());
    oracle.Check(runner.ledger(), runner.snapshot(), &judged);
    each(runner, judged);
  }
}

inline const MessageVerdict* VerdictOf(const OracleResult& r, const std::string& id) {
  for (const auto& v : r.verdicts) {
    if (v.message == id) return &v;
  }
  return nullptr;
}

// The lines a command printed.
inline std::vector<std::string> RunLines(const std::string& cmd, int* status) {
  std::vector<std::string> lines;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) throw std::runtime_error("popen " + cmd);
  char buf[4096];
  std::string cur;
  while (fgets(buf, sizeof buf, p) != nullptr) {
    cur += buf;
    if (!cur.empty() && cur.back() == '\n') {
      cur.pop_back();
      lines.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  int st = pclose(p);
  if (status) *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return lines;
}

}  // namespace intransit::maildir_test
