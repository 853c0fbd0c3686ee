// Combining parts of a suite's space: see shard_merge.h.
#include "explore/shard_merge.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace intransit {

SuiteResult CombineParts(const std::vector<SuiteResult>& parts) {
  SuiteResult merged = parts[0];
  for (size_t j = 1; j < parts.size(); ++j) {
    const SuiteResult& p = parts[j];
    if (merged.outcome != Outcome::kError && p.outcome == Outcome::kError) {
      merged.outcome = Outcome::kError;
      merged.error = p.error;
      merged.exit_code_hint = p.exit_code_hint;
    }
    merged.schedules += p.schedules;
    merged.violating_schedules += p.violating_schedules;
    merged.sleep_blocked += p.sleep_blocked;
    merged.complete = merged.complete && p.complete;
    merged.wall_ms = std::max(merged.wall_ms, p.wall_ms);
    // Positions are the unsharded run's order, the same in every part:
    // the smallest is the violation an unsharded run meets first.
    if (!p.violations.empty() &&
        (merged.violations.empty() || p.first_position < merged.first_position)) {
      merged.violations = p.violations;
      merged.first_position = p.first_position;
    }
  }
  return merged;
}

void Judge(SuiteResult* r, bool whole_space) {
  r->judged = true;
  if (r->outcome == Outcome::kError) {
    r->met = false;
    return;
  }
  r->outcome = r->violations.empty() ? Outcome::kPass : Outcome::kViolation;
  if (!whole_space && r->outcome == Outcome::kPass && r->expect == Expect::kViolation) {
    // The violation expected may be in a part this run did not cover.
    r->judged = false;
    r->met = false;
    return;
  }
  r->met = (r->outcome == Outcome::kPass) == (r->expect == Expect::kPass);
}

namespace {

// "I/N" as (I, N), 1 <= I <= N; "" is "1/1" (an unsharded run). False if
// malformed.
bool ParseShard(const std::string& text, int* index, int* total) {
  if (text.empty()) {
    *index = *total = 1;
    return true;
  }
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  auto number = [](std::string_view s, int* out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
  };
  std::string_view t(text);
  return number(t.substr(0, slash), index) && number(t.substr(slash + 1), total) && *index >= 1 &&
         *index <= *total;
}

// What makes two suite results parts of the same space; "" when they are.
std::string Difference(const SuiteResult& a, const SuiteResult& b) {
  auto differs = [](const std::string& key, const std::string& x, const std::string& y) {
    return key + " '" + x + "' vs '" + y + "'";
  };
  if (a.file != b.file) return differs("file", a.file, b.file);
  if (a.name != b.name) return differs("name", a.name, b.name);
  if (a.adapter != b.adapter) return differs("adapter", a.adapter, b.adapter);
  if (a.variant != b.variant) return differs("variant", a.variant, b.variant);
  if (a.mode != b.mode || a.strategy != b.strategy) {
    return differs("strategy", a.StrategyLabel(), b.StrategyLabel());
  }
  if (a.seed != b.seed) {
    return differs("seed", std::to_string(a.seed), std::to_string(b.seed));
  }
  if (a.expect != b.expect) return differs("expect", ExpectName(a.expect), ExpectName(b.expect));
  if (a.max_preemptions != b.max_preemptions) {
    return differs("max_preemptions", std::to_string(a.max_preemptions),
                   std::to_string(b.max_preemptions));
  }
  if (a.reduction != b.reduction) {
    auto name = [](const std::optional<Reduction>& r) {
      return std::string(r ? NameOf(kReductionNames, *r) : "");
    };
    return differs("reduction", name(a.reduction), name(b.reduction));
  }
  return "";
}

}  // namespace

Result<RunResult> MergeShardFiles(const std::vector<ShardFile>& files) {
  if (files.empty()) return Status::Invalid("no shard results given");
  // Every file's shard, I of N, checked against the first file.
  int total = 0;
  std::map<int, const ShardFile*> by_index;
  const ShardFile& first = files[0];
  for (const ShardFile& f : files) {
    if (f.run.suites.empty()) return Status::Invalid(f.path + ": holds no suite result");
    if (f.tool_version != first.tool_version) {
      return Status::Invalid(f.path + " and " + first.path + ": written by different versions ('" +
                             f.tool_version + "' vs '" + first.tool_version + "')");
    }
    int index = 0, n = 0;
    const std::string& shard = f.run.suites[0].shard;
    if (!ParseShard(shard, &index, &n)) {
      return Status::Invalid(f.path + ": shard '" + shard + "' is not I/N");
    }
    for (const SuiteResult& s : f.run.suites) {
      if (s.shard != shard) {
        return Status::Invalid(f.path + ": suites of different shards ('" + s.shard + "' vs '" +
                               shard + "')");
      }
    }
    if (total == 0) total = n;
    if (n != total) {
      return Status::Invalid(f.path + " and " + first.path + ": different shard totals (" +
                             std::to_string(n) + " vs " + std::to_string(total) + ")");
    }
    auto [at, fresh] = by_index.emplace(index, &f);
    if (!fresh) {
      return Status::Invalid(f.path + " and " + at->second->path + ": both are shard " +
                             std::to_string(index) + "/" + std::to_string(total));
    }
    if (f.run.suites.size() != first.run.suites.size()) {
      return Status::Invalid(f.path + " and " + first.path + ": different suites (" +
                             std::to_string(f.run.suites.size()) + " vs " +
                             std::to_string(first.run.suites.size()) + ")");
    }
    for (size_t i = 0; i < f.run.suites.size(); ++i) {
      const std::string d = Difference(f.run.suites[i], first.run.suites[i]);
      if (!d.empty()) {
        return Status::Invalid(f.path + " and " + first.path + ": different suites at #" +
                               std::to_string(i + 1) + ": " + d);
      }
    }
  }
  std::string missing;
  for (int i = 1; i <= total; ++i) {
    if (by_index.count(i) == 0) {
      missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(total);
    }
  }
  if (!missing.empty()) {
    std::string given;
    for (const ShardFile& f : files) given += (given.empty() ? "" : ", ") + f.path;
    return Status::Invalid("shard(s) " + missing + " missing (given: " + given + ")");
  }

  RunResult merged;
  // The merged run is the first shard's version and machine; it started
  // when the earliest shard did (ISO 8601 strings sort by time).
  merged.tool_version = first.tool_version;
  merged.hostname = first.run.hostname;
  for (const ShardFile& f : files) {
    if (merged.timestamp.empty() || (!f.run.timestamp.empty() && f.run.timestamp < merged.timestamp)) {
      merged.timestamp = f.run.timestamp;
    }
  }
  // What a run skips (conform: a suite arming a point the adapter does not
  // pass) depends on the suite and the adapter, not the shard: every shard
  // skipped the same, and the first says it for all.
  merged.skipped = first.run.skipped;
  for (size_t i = 0; i < first.run.suites.size(); ++i) {
    std::vector<SuiteResult> parts;
    for (const auto& [index, f] : by_index) parts.push_back(f->run.suites[i]);
    SuiteResult whole = CombineParts(parts);
    whole.shard.clear();
    Judge(&whole, true);
    merged.suites.push_back(std::move(whole));
  }
  return merged;
}

}  // namespace intransit
