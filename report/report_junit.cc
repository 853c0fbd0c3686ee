// JunitReport: string building, no XML library. The document is small and
// flat, and escaping is the one part that must be exact, so it is done here,
// byte by byte, with UTF-8 validated on the way (an invalid byte makes a
// strict parser reject the whole file, and with it the CI report).
#include "report/report_junit.h"

#include <cstdint>
#include <sstream>
#include <string>

#include "report/report_console.h"

namespace intransit {

namespace {

void AppendHexByte(std::string* out, unsigned char c) {
  static const char kHex[] = "0123456789ABCDEF";
  out->append("\\x");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

// Length of the valid UTF-8 sequence for a character XML allows that starts
// at s[i] (i < s.size(), s[i] >= 0x80), or 0 if there is none.
size_t ValidSequence(const std::string& s, size_t i) {
  const auto byte = [&s](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t len;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;  // a continuation byte, an overlong C0/C1 lead, or F5..FF
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;  // overlong
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;                            // surrogate
  if (cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF) return 0;
  return len;
}

std::string Seconds(int64_t ms) {
  if (ms < 0) ms = 0;
  std::string frac = std::to_string(ms % 1000);
  frac.insert(0, 3 - frac.size(), '0');
  return std::to_string(ms / 1000) + "." + frac;
}

std::string Attr(const std::string& s) { return XmlEscape(s, true); }
std::string Text(const std::string& s) { return XmlEscape(s, false); }

std::string ConsoleText(const SuiteResult& s) {
  std::ostringstream out;
  PrintSuiteResult(s, out);
  return out.str();
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

// The one-line reason a CI page shows next to the test name.
std::string FailureMessage(const SuiteResult& s) {
  if (s.outcome == Outcome::kPass) {
    return "expected a violation, none of " + std::to_string(s.schedules) +
           " schedules broke an invariant";
  }
  std::string m = "expected pass, found a violation";
  if (!s.violations.empty() && !s.violations[0].invariants.empty())
    m += " of " + Join(s.violations[0].invariants, ", ");
  if (!s.violations.empty() && !s.violations[0].replay.empty())
    m += "; replay: " + s.violations[0].replay;
  return m;
}

}  // namespace

std::string XmlEscape(const std::string& s, bool attribute) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t len = ValidSequence(s, i);
      if (len == 0) {
        AppendHexByte(&out, c);
        ++i;
      } else {
        out.append(s, i, len);
        i += len;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      // Parsers normalise a raw CR to LF, and in attributes tab, LF and CR to
      // a space; references keep them as they were.
      case '\r': out += "&#13;"; break;
      case '\t':
        if (attribute) {
          out += "&#9;";
        } else {
          out += '\t';
        }
        break;
      case '\n':
        if (attribute) {
          out += "&#10;";
        } else {
          out += '\n';
        }
        break;
      default:
        if (c < 0x20) {
          AppendHexByte(&out, c);  // not allowed in XML 1.0, even as a reference
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

namespace {

// The name a suite has in the report; a shard's says which shard, so that
// the shards' files merged by a CI hold no two tests of the same name.
std::string TestName(const SuiteResult& s) {
  const std::string& name = s.name.empty() ? s.file : s.name;
  return s.shard.empty() ? name : name + " (shard " + s.shard + ")";
}

std::string Property(const std::string& name, const std::string& value) {
  return "      <property name=\"" + Attr(name) + "\" value=\"" + Attr(value) + "\"/>\n";
}

// What a CI needs to repeat or compare the run: seed, strategy, coverage,
// the replay token of the violation reported.
std::string Properties(const SuiteResult& s, const RunResult& r) {
  std::string x = "    <properties>\n";
  x += Property("adapter", s.adapter);
  if (!s.variant.empty()) x += Property("variant", s.variant);
  x += Property("strategy", s.StrategyLabel());
  x += Property("seed", std::to_string(s.seed));
  if (s.reduction.has_value()) x += Property("reduction", ReductionName(*s.reduction));
  if (s.max_preemptions >= 0) x += Property("max_preemptions", std::to_string(s.max_preemptions));
  x += Property("expect", ExpectName(s.expect));
  x += Property("outcome", OutcomeName(s.outcome));
  x += Property("schedules", std::to_string(s.schedules));
  x += Property("violating_schedules", std::to_string(s.violating_schedules));
  x += Property("complete", s.complete ? "true" : "false");
  if (!s.shard.empty()) x += Property("shard", s.shard);
  if (!s.violations.empty()) {
    x += Property("schedule", s.violations[0].token);
    x += Property("replay", s.violations[0].replay);
  }
  if (!r.tool_version.empty()) x += Property("intransit_version", r.tool_version);
  return x + "    </properties>\n";
}

// The attributes every <testsuite> carries after its counts.
std::string WhereAndWhen(const RunResult& r) {
  std::string x;
  // Surefire's form, which every reader parses: no zone, the time is UTC.
  if (!r.timestamp.empty()) {
    std::string t = r.timestamp;
    if (t.ends_with("Z")) t.pop_back();
    x += " timestamp=\"" + Attr(t) + "\"";
  }
  if (!r.hostname.empty()) x += " hostname=\"" + Attr(r.hostname) + "\"";
  return x;
}

std::string Counts(size_t tests, size_t failures, size_t errors) {
  return "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"" + std::to_string(errors) + "\"";
}

std::string SuiteElement(const SuiteResult& s, const RunResult& r) {
  const bool skipped = !s.judged;
  const bool error = !skipped && s.outcome == Outcome::kError;
  const bool failure = !skipped && !error && !s.met;
  std::string x = "  <testsuite name=\"" + Attr(TestName(s)) + "\" " +
                  Counts(1, failure ? 1 : 0, error ? 1 : 0) + " skipped=\"" +
                  (skipped ? "1" : "0") + "\" time=\"" + Seconds(s.wall_ms) + "\"" +
                  WhereAndWhen(r);
  // The suite file: junit-10.xsd allows `file` here, not on <testcase>.
  if (!s.file.empty()) x += " file=\"" + Attr(s.file) + "\"";
  x += ">\n" + Properties(s, r);
  const std::string classname = s.adapter.empty() ? "intransit" : "intransit." + s.adapter;
  x += "    <testcase classname=\"" + Attr(classname) + "\" name=\"" + Attr(TestName(s)) +
       "\" time=\"" + Seconds(s.wall_ms) + "\">\n";
  if (skipped) {
    x += "      <skipped message=\"judged over all shards\"/>\n      <system-out>" +
         Text(ConsoleText(s)) + "</system-out>\n";
  } else if (error) {
    x += "      <error message=\"" + Attr(s.error) + "\" type=\"error\">" + Text(ConsoleText(s)) +
         "</error>\n";
  } else if (failure) {
    const char* type = s.outcome == Outcome::kPass ? "no-violation" : "violation";
    x += "      <failure message=\"" + Attr(FailureMessage(s)) + "\" type=\"" + type + "\">" +
         Text(ConsoleText(s)) + "</failure>\n";
  } else {
    // A met suite too: its console lines say what was covered — schedules,
    // space covered, the reduction and its sleep-blocked runs.
    x += "      <system-out>" + Text(ConsoleText(s)) + "</system-out>\n";
  }
  return x + "    </testcase>\n  </testsuite>\n";
}

std::string SkippedElement(const SkippedSuite& s, const RunResult& r) {
  const std::string& name = s.name.empty() ? s.file : s.name;
  std::string x = "  <testsuite name=\"" + Attr(name) + "\" " + Counts(1, 0, 0) +
                  " skipped=\"1\" time=\"0.000\"" + WhereAndWhen(r);
  if (!s.file.empty()) x += " file=\"" + Attr(s.file) + "\"";
  const std::string classname = s.adapter.empty() ? "intransit" : "intransit." + s.adapter;
  return x + ">\n    <testcase classname=\"" + Attr(classname) + "\" name=\"" + Attr(name) +
         "\" time=\"0.000\">\n      <skipped message=\"" + Attr(s.reason) +
         "\"/>\n    </testcase>\n  </testsuite>\n";
}

}  // namespace

std::string JunitReport(const RunResult& r) {
  size_t failures = 0, errors = 0;
  int64_t total_ms = 0;
  for (const SuiteResult& s : r.suites) {
    if (s.wall_ms > 0) total_ms += s.wall_ms;
    if (!s.judged) continue;  // skipped: neither failure nor error
    if (s.outcome == Outcome::kError) {
      ++errors;
    } else if (!s.met) {
      ++failures;
    }
  }
  std::string x;
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  // junit-10.xsd has no `skipped` on <testsuites>: each <testsuite> says it.
  x += "<testsuites name=\"intransit\" " +
       Counts(r.suites.size() + r.skipped.size(), failures, errors) + " time=\"" +
       Seconds(total_ms) + "\">\n";
  for (const SuiteResult& s : r.suites) x += SuiteElement(s, r);
  for (const SkippedSuite& s : r.skipped) x += SkippedElement(s, r);
  x += "</testsuites>\n";
  return x;
}

}  // namespace intransit
