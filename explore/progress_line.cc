// The progress line: see progress_line.h.
#include "explore/progress_line.h"

#include <algorithm>
#include <cstdio>

namespace intransit {

namespace {

// "45 s", "3 min 20 s", "2 h 05 min": coarse, it is an estimate.
std::string Eta(double s) {
  char text[40];
  if (s < 60) {
    snprintf(text, sizeof text, "%.0f s", s);
  } else if (s < 3600) {
    snprintf(text, sizeof text, "%d min %02d s", static_cast<int>(s) / 60,
             static_cast<int>(s) % 60);
  } else {
    snprintf(text, sizeof text, "%d h %02d min", static_cast<int>(s) / 3600,
             static_cast<int>(s) % 3600 / 60);
  }
  return text;
}

}  // namespace

double FractionDone(const ProgressCounts& c, bool* estimated) {
  double f = -1;
  *estimated = false;
  if (c.explored > 0) {
    f = c.explored;
    *estimated = true;
  }
  if (c.budget > 0) {
    const double by_count = static_cast<double>(c.schedules) / static_cast<double>(c.budget);
    if (by_count > f) {
      f = by_count;
      *estimated = false;
    }
  }
  if (c.time_budget_s > 0) {
    const double by_time = c.seconds / c.time_budget_s;
    if (by_time > f) {
      f = by_time;
      *estimated = false;
    }
  }
  // Not done until the run says so: a line never reads 100% (99% rounds
  // to 99).
  return f < 0 ? -1 : std::min(f, 0.99);
}

std::string ProgressLine(const ProgressCounts& c) {
  char line[256];
  const double rate = c.seconds > 0 ? static_cast<double>(c.schedules) / c.seconds : 0;
  snprintf(line, sizeof line, "  %s: %llu schedules, %.0f/s, %llu violating", c.name.c_str(),
           static_cast<unsigned long long>(c.schedules), rate,
           static_cast<unsigned long long>(c.violating));
  std::string out = line;
  bool estimated = false;
  const double f = FractionDone(c, &estimated);
  if (f >= 0) {
    snprintf(line, sizeof line, ", %s%.0f%%", estimated ? "~" : "", f * 100);
    out += line;
    if (f > 0 && c.seconds > 0) out += ", ETA " + Eta(c.seconds * (1 - f) / f);
  }
  if (c.explored > 0) {
    snprintf(line, sizeof line, ", space ~%.4g", static_cast<double>(c.schedules) / c.explored);
    out += line;
  }
  if (c.dpor) out += ", dpor, " + std::to_string(c.sleep_blocked) + " sleep-blocked";
  return out;
}

}  // namespace intransit
