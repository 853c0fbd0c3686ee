// The explorer: see explorer.h.
#include "framework/explorer.h"

#include <chrono>
#include <ostream>

#include "framework/oracle.h"
#include "framework/runner.h"
#include "framework/schedule_token.h"
#include "framework/strategy.h"

namespace intransit {
namespace {

std::string ShellQuote(const std::string& word) {
  bool plain = !word.empty();
  for (char c : word) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/' ||
          c == '=' || c == ':' || c == ',' || c == '+')) {
      plain = false;
    }
  }
  if (plain) return word;
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

std::string ReplayCommand(const Suite& suite, const std::string& token) {
  std::string cmd = "intransit replay " + ShellQuote(suite.file) + " --schedule " + token;
  for (size_t i = 0; i < suite.overrides.size(); ++i) {
    const std::string& w = suite.overrides[i];
    // Exploration settings do not shape the schedule a token names.
    if (w == "--set" && i + 1 < suite.overrides.size() &&
        suite.overrides[i + 1].rfind("explore.", 0) == 0) {
      ++i;
      continue;
    }
    cmd += " " + ShellQuote(w);
  }
  return cmd;
}

SuiteResult ExploreSuite(const Suite& suite, const ExploreOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  SuiteResult result;
  result.file = suite.file;
  result.name = suite.name;
  result.description = suite.description;
  result.adapter = suite.adapter;
  result.variant = suite.adapter_config.variant;
  result.strategy = suite.explore.strategy;
  result.seed = suite.explore.seed;
  result.expect = suite.expect;

  auto fail = [&](const Status& s) {
    result.outcome = Outcome::kError;
    result.met = false;
    result.error = s.message();
    result.exit_code_hint = s.code() == Status::Code::kInvalid ? 2 : 3;
    result.wall_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)
                         .count();
    return result;
  };

  RegisterBuiltinAdapters();
  const AdapterInfo* info = AdapterRegistry::Global().Find(suite.adapter);
  if (info == nullptr) return fail(Status::Invalid("unknown adapter '" + suite.adapter + "'"));
  AdapterConfig config = suite.adapter_config;
  for (const FaultRule& rule : suite.faults) config.armed_points.push_back(rule.point);
  auto deployment = info->open(config);
  if (!deployment.ok()) return fail(deployment.status().Wrap("adapter " + suite.adapter));
  auto strategy = MakeStrategy(suite);
  if (!strategy.ok()) return fail(strategy.status());

  Runner runner(suite, deployment->get(), info->needs_threads);
  Oracle oracle(suite.oracle);
  OracleResult judged;
  double budget = options.time_budget_s > 0 ? options.time_budget_s : suite.explore.time_budget_s;
  const uint64_t max = suite.explore.max_schedules;
  bool out_of_budget = false;

  for (uint64_t i = 0;; ++i) {
    if (i >= max) {
      out_of_budget = suite.explore.strategy == "exhaustive";
      break;
    }
    if (budget > 0 && (i & 63) == 0 &&
        std::chrono::duration<double>(Clock::now() - start).count() > budget) {
      out_of_budget = true;
      break;
    }
    if (!(*strategy)->BeginSchedule(i)) break;
    Status s = runner.Run(strategy->get());
    (*strategy)->EndSchedule();
    if (!s.ok()) return fail(s);
    ++result.schedules;
    oracle.Check(runner.ledger(), runner.snapshot(), &judged, false);
    const bool violated = !judged.ok();
    const bool replaying = suite.explore.strategy == "replay";
    if ((violated && result.violations.empty()) || replaying) {
      oracle.Check(runner.ledger(), runner.snapshot(), &judged, true);
    }
    auto record = [&](Violation* v) {
      v->token = EncodeSchedule(runner.schedule());
      v->replay = ReplayCommand(suite, v->token);
      v->invariants = judged.Invariants();
      v->breaches = judged.breaches;
      v->messages = judged.verdicts;
      v->timeline = runner.timeline().ToVector();
      v->preemptions = runner.schedule().preemptions;
    };
    if (violated) {
      ++result.violating_schedules;
      if (result.violations.empty()) record(&result.violations.emplace_back());
    }
    if (replaying) {
      result.has_trace = true;
      record(&result.trace);
    }
    if (options.progress != nullptr && (result.schedules % 100000) == 0) {
      *options.progress << "  " << result.schedules << " schedules, "
                        << result.violating_schedules << " violating\n";
    }
  }

  result.complete = (*strategy)->complete() && !out_of_budget;
  result.outcome = result.violations.empty() ? Outcome::kPass : Outcome::kViolation;
  result.met = (result.outcome == Outcome::kPass) == (suite.expect == Expect::kPass);
  result.wall_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  return result;
}

}  // namespace intransit
