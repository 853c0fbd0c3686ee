// Runbook step lists; see runbook_steps.h.
#include "store/runbook_steps.h"

#include "base/params.h"

namespace intransit {

Result<std::vector<RunbookStep>> ParseRunbookSteps(const std::vector<RunbookStep>& table,
                                                   const std::vector<std::string>& names) {
  if (names.empty()) return Status::Invalid("runbook: the list of steps is empty");
  std::vector<RunbookStep> out;
  for (const auto& n : names) {
    const RunbookStep* found = nullptr;
    for (const auto& s : table) {
      if (n == s.name) found = &s;
    }
    if (found == nullptr) {
      return Status::Invalid("runbook: unknown step '" + n + "': allowed are " +
                             JoinAlternatives(RunbookStepNames(table)));
    }
    out.push_back(*found);
  }
  return out;
}

StepRole RoleOf(const std::vector<RunbookStep>& table, int kind) {
  for (const auto& s : table) {
    if (s.kind == kind) return s.role;
  }
  return StepRole::kOwn;
}

std::vector<std::string> RunbookStepNames(const std::vector<RunbookStep>& table) {
  std::vector<std::string> names;
  for (const auto& s : table) names.push_back(s.name);
  return names;
}

std::string DescribeRunbook(const std::vector<RunbookStep>& steps) {
  std::string out;
  for (const auto& s : steps) {
    if (!out.empty()) out += ", ";
    out += s.name;
  }
  return out;
}

Result<std::vector<RunbookStep>> RunbookCatalog::Parse(
    const std::vector<std::string>& names) const {
  return ParseRunbookSteps(steps, names);
}

Result<std::vector<RunbookStep>> RunbookCatalog::Variant(const std::string& name) const {
  for (const auto& [variant, names] : variants) {
    if (variant == name) return Parse(names);
  }
  return Status::Invalid("unknown runbook '" + name + "': allowed are " +
                         JoinAlternatives(VariantNames()));
}

std::vector<std::string> RunbookCatalog::VariantNames() const {
  std::vector<std::string> names;
  for (const auto& v : variants) names.push_back(v.first);
  return names;
}

}  // namespace intransit
