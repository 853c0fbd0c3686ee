// The explorer: see explorer.h.
#include "explore/explorer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <mutex>
#include <ostream>
#include <thread>
#include <variant>
#include <vector>

#include "base/name_rule.h"
#include "explore/custody_recorder.h"
#include "explore/progress_line.h"
#include "explore/replay_strategy.h"
#include "explore/shard_merge.h"
#include "explore/shrinker.h"
#include "explore/strategy_factory.h"
#include "oracle/oracle.h"
#include "run/live_runner.h"
#include "run/runner.h"
#include "run/strategy.h"
#include "suite/schedule_token.h"

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

namespace {

// Runs the schedule `runner` just ran once more, writing its timeline: the
// explorer runs without the text (Runner::set_timeline_text) and asks for it
// only for the schedule it reports. The store is deterministic, so the run
// ends in the same ledger, snapshot and schedule.
Status RunAgainWithText(Runner* runner) {
  std::vector<int> values;
  for (const auto& c : runner->schedule().choices) values.push_back(c.value);
  ReplayStrategy again(values);
  again.BeginSchedule(0);
  runner->set_timeline_text(true);
  Status s = runner->Run(&again);
  runner->set_timeline_text(false);
  return s.ok() ? again.error() : s;
}

using Clock = std::chrono::steady_clock;

// What every job of a run has done so far, for one progress line over all
// of them. Each job writes its own slot; whichever job's turn comes prints
// the sum, at most every half second.
class ProgressBoard {
 public:
  ProgressBoard(std::ostream* out, int jobs, ProgressCounts base)
      : out_(out), slots_(static_cast<size_t>(jobs)), base_(std::move(base)),
        start_(Clock::now()) {}

  struct Slot {
    std::atomic<uint64_t> schedules{0}, violating{0}, blocked{0};
    std::atomic<double> explored{-1};
    std::atomic<bool> dpor{false};
  };
  Slot& slot(int job) { return slots_[static_cast<size_t>(job)]; }
  bool enabled() const { return out_ != nullptr; }

  // Prints the line if no other job is printing and half a second passed.
  void MaybePrint() {
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    const double secs = std::chrono::duration<double>(Clock::now() - start_).count();
    if (secs - last_ < 0.5) return;
    last_ = secs;
    ProgressCounts c = base_;
    c.seconds = secs;
    double explored = 0;
    for (const Slot& s : slots_) {
      c.schedules += s.schedules.load(std::memory_order_relaxed);
      c.violating += s.violating.load(std::memory_order_relaxed);
      c.sleep_blocked += s.blocked.load(std::memory_order_relaxed);
      c.dpor = c.dpor || s.dpor.load(std::memory_order_relaxed);
      // Each job walks the whole top of the tree: their mean is the run's.
      explored += s.explored.load(std::memory_order_relaxed);
    }
    c.explored = explored / static_cast<double>(slots_.size());
    std::string line = "\r" + ProgressLine(c);
    if (line.size() < 100) line.append(100 - line.size(), ' ');
    *out_ << line << std::flush;
    shown_ = true;
  }

  // Clears the line, if one was printed. REQUIRES: every job has ended.
  void Clear() {
    if (shown_) *out_ << "\r" << std::string(100, ' ') << "\r" << std::flush;
  }

 private:
  std::ostream* out_;
  std::mutex mu_;
  std::deque<Slot> slots_;
  ProgressCounts base_;
  Clock::time_point start_;
  double last_ = 0;
  bool shown_ = false;
};

// One shard of the space, on one deployment of its own; its progress goes
// to `board`'s slot `job`.
SuiteResult ExploreShard(const Suite& suite, const ExploreOptions& options, int shard, int shards,
                         ProgressBoard* board, int job) {
  const auto start = Clock::now();
  ProgressBoard::Slot& progress = board->slot(job);
  SuiteResult result;
  result.file = suite.file;
  result.name = suite.name;
  result.description = suite.description;
  result.adapter = suite.adapter;
  result.variant = suite.adapter_config.variant;
  // A runbook the suite spells replaces the variant's: report its steps.
  auto runbook = suite.adapter_config.options.values().find("runbook");
  if (runbook != suite.adapter_config.options.values().end()) {
    if (const auto* steps = std::get_if<std::vector<std::string>>(&runbook->second)) {
      for (const std::string& step : *steps) {
        result.procedure += (result.procedure.empty() ? "" : ", ") + step;
      }
    }
  }
  // Live mode runs no strategy: the actors race on threads.
  const bool live = suite.explore.mode == ExploreMode::kLive;
  const StrategyTraits& traits = TraitsOf(suite.explore.strategy);
  result.mode = suite.explore.mode;
  result.strategy = suite.explore.strategy;
  result.seed = suite.explore.seed;
  result.max_preemptions = traits.covers_space ? suite.explore.max_preemptions : -1;
  result.expect = suite.expect;

  auto fail = [&](const Status& s) {
    result.outcome = Outcome::kError;
    result.met = false;
    result.error = s.message();
    result.exit_code_hint = s.code() == Status::Code::kInvalid ? 2 : 3;
    result.wall_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    return result;
  };

  const AdapterInfo* info = AdapterRegistry::Global().Find(suite.adapter);
  if (info == nullptr) return fail(Status::Invalid("unknown adapter '" + suite.adapter + "'"));
  AdapterConfig config = suite.adapter_config;
  for (const FaultRule& rule : suite.faults) config.armed_points.push_back(rule.point);
  auto deployment = info->open(config);
  if (!deployment.ok()) return fail(deployment.status().Wrap("adapter " + suite.adapter));
  auto made = MakeStrategy(suite, (*deployment)->DeclaresFootprints());
  if (!made.ok()) return fail(made.status());
  Strategy* const strategy = made->strategy.get();
  if (!live) result.reduction = made->reduction;
  strategy->SetShard(shard, shards);
  progress.dpor = result.reduction == Reduction::kDpor;

  Runner runner(suite, deployment->get(), info->needs_threads);
  // Only a replay prints every run's timeline; a violation found is run again.
  runner.set_timeline_text(TraitsOf(suite.explore.strategy).replays);
  LiveRunner live_runner(suite, deployment->get());  // live mode's
  Oracle oracle(suite.oracle);
  OracleResult judged;
  double budget = options.time_budget_s > 0 ? options.time_budget_s : suite.explore.time_budget_s;
  const uint64_t max = suite.explore.max_schedules;
  bool out_of_budget = false;

  if (!live && traits.calibrated) {
    // pct's k, the same in every shard: see pct_strategy.h.
    std::unique_ptr<Strategy> calibration = MakeCalibration(suite);
    calibration->BeginSchedule(0);
    Status s = runner.Run(calibration.get());
    if (!s.ok()) return fail(s);
    strategy->SetStepBound(std::max(1, runner.steps()));
  }

  const bool exhaustive = !live && traits.covers_space;
  // max_schedules is the run's budget, whatever its shards: random and pct
  // split their schedule indices, exhaustive splits the count (exactly).
  const uint64_t n = static_cast<uint64_t>(shards);
  const uint64_t exhaustive_cap = max / n + (static_cast<uint64_t>(shard) < max % n ? 1 : 0);
  bool live_covered = false;
  // Live mode's wall-clock holds (delay's ms, reorder's timeout) end here at
  // the latest: a 1e8 ms delay must not outlive a 2 s budget. (Past 1e9 s,
  // about 30 years, the double would not fit a time_point: no deadline.)
  const Clock::time_point deadline =
      budget > 0 && budget < 1e9
          ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget))
          : Clock::time_point::max();
  for (uint64_t i = 0;; ++i) {
    // Live iterations are split like random schedules: i, i+n, i+2n, ...
    const uint64_t global = i * static_cast<uint64_t>(shards) + static_cast<uint64_t>(shard);
    if (live && global >= max) {
      live_covered = true;
      break;
    }
    if (exhaustive && result.schedules >= exhaustive_cap) {
      // The cap reached with the last schedule of the space run: covered.
      // (A shard whose part ends with other shards' subtrees cannot know
      // without running them, and says not covered.)
      out_of_budget = !strategy->complete();
      break;
    }
    // Live iterations are long (wall-clock delays): look at the clock before
    // each; a schedule of the other modes is short, every 64th is enough.
    if (budget > 0 && ((i & 63) == 0 || live) &&
        std::chrono::duration<double>(Clock::now() - start).count() > budget) {
      out_of_budget = true;
      break;
    }
    if (!live && !strategy->BeginSchedule(i)) break;
    Status s = live ? live_runner.Run(suite.explore.seed, global, deadline) : runner.Run(strategy);
    const RunnerBase& ran = live ? static_cast<const RunnerBase&>(live_runner) : runner;
    const bool owned = live || strategy->owns();
    const uint64_t position = live ? global : strategy->position();
    if (!live) strategy->EndSchedule();
    if (!s.ok()) return fail(s);
    // A replay token with choices left over is a mismatch too.
    if (!live && !strategy->error().ok()) return fail(strategy->error());
    if (!owned) continue;  // another shard's
    ++result.schedules;
    oracle.Check(ran.ledger(), ran.snapshot(), &judged, false);
    const bool violated = !judged.ok();
    const bool replaying = traits.replays;
    if ((violated && result.violations.empty()) || replaying) {
      if (!live && !runner.timeline_text()) {
        Status rs = RunAgainWithText(&runner);
        if (!rs.ok()) return fail(rs);
      }
      oracle.Check(ran.ledger(), ran.snapshot(), &judged, true);
    }
    auto record = [&](Violation* v) {
      if (live) {
        // Threads raced: there is no schedule to replay, only the draws.
        v->replay = "(none: live mode; --seed " + std::to_string(suite.explore.seed) +
                    " draws the same delays for iteration " + std::to_string(global + 1) +
                    ", the threads' interleaving is the OS's)";
      } else {
        v->token = EncodeSchedule(runner.schedule());
        v->replay = ReplayCommand(suite, v->token);
      }
      v->invariants = judged.Invariants();
      v->breaches = judged.breaches;
      v->messages = judged.verdicts;
      v->timeline = ran.timeline().ToVector();
      v->preemptions = ran.schedule().preemptions;
      // --keep: the store names the tree it kept for this schedule.
      for (const std::string& note : ran.snapshot().notes) {
        if (note.rfind("kept: ", 0) == 0) v->kept = note.substr(6);
      }
    };
    // The reported schedule once more, inspected after every step: only
    // here, never while exploring (custody_recorder.h).
    auto add_custody = [&](Violation* v) {
      if (live) {
        v->custody_note = "not recorded: live mode has no schedule to run again";
        return;
      }
      const Schedule schedule = runner.schedule();
      // The rerun's steps are compared with the reported ones by name.
      const bool text = runner.timeline_text();
      runner.set_timeline_text(true);
      Status cs = RecordCustody(&runner, deployment->get(), schedule, v);
      runner.set_timeline_text(text);
      if (!cs.ok()) v->custody_note = "not recorded: " + cs.message();
    };
    if (violated) {
      ++result.violating_schedules;
      if (result.violations.empty()) {
        result.first_position = position;
        if (!live && traits.shrunk && suite.explore.shrink) {
          // Minimise, then run the smallest schedule once more to report it.
          const Schedule found = runner.schedule();
          std::vector<std::string> names;
          for (const auto& a : suite.actors) names.push_back(a.name);
          runner.set_timeline_text(true);  // the shrinker reads timelines
          auto shrunk = ShrinkSchedule(&runner, oracle, found, judged.Invariants(), names);
          if (!shrunk.ok()) return fail(shrunk.status());
          std::vector<int> values;
          for (const auto& c : shrunk->schedule.choices) values.push_back(c.value);
          ReplayStrategy again(values);
          again.BeginSchedule(0);
          Status rs = runner.Run(&again);
          if (!rs.ok()) return fail(rs);
          oracle.Check(runner.ledger(), runner.snapshot(), &judged, true);
          runner.set_timeline_text(false);
          Violation& v = result.violations.emplace_back();
          record(&v);
          add_custody(&v);
          v.shrunk = shrunk->removed;
          if (v.shrunk.empty()) v.shrunk.push_back("nothing: the schedule found was minimal");
          v.shrunk.push_back("(" + std::to_string(shrunk->runs) + " replays)");
        } else {
          Violation& v = result.violations.emplace_back();
          record(&v);
          add_custody(&v);
        }
      }
    }
    if (replaying) {
      result.has_trace = true;
      record(&result.trace);
      if (violated && result.violations.size() == 1 &&
          result.violations[0].token == result.trace.token) {
        result.trace.custody = result.violations[0].custody;
        result.trace.custody_note = result.violations[0].custody_note;
      } else {
        add_custody(&result.trace);
      }
    }
    if (violated && suite.explore.stop_at_first) break;
    if (board->enabled()) {
      progress.schedules.store(result.schedules, std::memory_order_relaxed);
      progress.violating.store(result.violating_schedules, std::memory_order_relaxed);
      if ((result.schedules & 63) == 0) {
        if (!live) {
          progress.explored.store(strategy->progress(), std::memory_order_relaxed);
          progress.blocked.store(strategy->sleep_blocked(), std::memory_order_relaxed);
        }
        board->MaybePrint();
      }
    }
  }

  result.complete = live ? live_covered && !out_of_budget : strategy->complete() && !out_of_budget;
  if (!live) result.sleep_blocked = strategy->sleep_blocked();
  result.outcome = result.violations.empty() ? Outcome::kPass : Outcome::kViolation;
  result.met = (result.outcome == Outcome::kPass) == (suite.expect == Expect::kPass);
  result.wall_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  return result;
}

}  // namespace

SuiteResult ExploreSuite(const Suite& suite, const ExploreOptions& options) {
  RegisterBuiltinFaults();
  const int jobs = TraitsOf(suite.explore.strategy).replays ? 1 : std::max(1, options.jobs);
  const int shards = std::max(1, options.shards) * jobs;
  std::vector<SuiteResult> parts(static_cast<size_t>(jobs));
  // The progress line's denominators: this run's share of max_schedules
  // (its shard's, over all its jobs) and the time budget.
  ProgressCounts base;
  base.name = EscapeControl(suite.name);
  const uint64_t run_shards = static_cast<uint64_t>(std::max(1, options.shards));
  const uint64_t max = suite.explore.max_schedules;
  base.budget = TraitsOf(suite.explore.strategy).replays
                    ? 0
                    : max / run_shards +
                          (static_cast<uint64_t>(options.shard) < max % run_shards ? 1 : 0);
  base.time_budget_s =
      options.time_budget_s > 0 ? options.time_budget_s : suite.explore.time_budget_s;
  ProgressBoard board(options.progress, jobs, base);
  if (jobs == 1) {
    parts[0] = ExploreShard(suite, options, options.shard, std::max(1, options.shards), &board, 0);
  } else {
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j) {
      threads.emplace_back([&parts, &suite, &options, &board, j, jobs, shards] {
        parts[static_cast<size_t>(j)] =
            ExploreShard(suite, options, options.shard * jobs + j, shards, &board, j);
      });
    }
    for (auto& t : threads) t.join();
  }
  board.Clear();

  // Merged: counts add up; the violation reported is the one an unsharded
  // run meets first, whatever the threads' timing. A shard judges only what
  // it can (shard_merge.h).
  SuiteResult merged = CombineParts(parts);
  Judge(&merged, options.shards <= 1);
  if (options.shards > 1) {
    merged.shard = std::to_string(options.shard + 1) + "/" + std::to_string(options.shards);
  }
  return merged;
}

}  // namespace intransit
