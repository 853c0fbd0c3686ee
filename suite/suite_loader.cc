// The suite loader: TOML in, a checked Suite out. See suite_loader.h.
//
// The document is parsed whole, the overrides are written into it, and only
// then is it validated: an override is checked exactly like the file's own
// value, and its messages say "--set KEY=VALUE" where a file's say
// "file:line:column". TOML++ exceptions stop at this file and overrides.cc.
//
// This file is the orchestration: reading the file, parsing it, the
// overrides (overrides.cc), the top-level tables, then each table in turn
// (table_*.cc, listed in loader_internal.h) and the points.
#include "suite/suite_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "suite/loader_internal.h"
#include "suite/overrides.h"
#include "suite/toml_reader.h"

namespace intransit {
namespace loader_internal {
namespace {

const std::vector<std::string> kTopTables = {"suite",   "adapter", "users", "actors",
                                             "explore", "faults",  "oracle"};

}  // namespace

Result<AdapterConfig> Loader::LoadAdapterOnly() {
  toml::table doc;
  if (Status s = ApplyOverrides(options_, &doc, this); !s.ok()) return s;
  Suite suite;
  Result<const AdapterInfo*> adapter = LoadAdapter(doc, &suite);
  if (!adapter.ok()) return adapter.status();
  return suite.adapter_config;
}

Result<Suite> Loader::Load(std::string_view text) {
  toml::table doc;
  try {
    doc = toml::parse(text, std::string_view(path()));
  } catch (const toml::parse_error& e) {
    return Status::Invalid(path() + ":" + std::to_string(e.source().begin.line) + ":" +
                           std::to_string(e.source().begin.column) + ": " +
                           std::string(e.description()));
  }

  Suite suite;
  suite.file = path();
  if (!options_.adapter.empty()) {
    suite.overrides.push_back("--adapter");
    suite.overrides.push_back(options_.adapter);
  }
  for (const auto& set : options_.sets) {
    suite.overrides.push_back("--set");
    suite.overrides.push_back(set);
  }
  if (Status s = ApplyOverrides(options_, &doc, this); !s.ok()) return s;

  for (const auto& [k, v] : doc) {
    if (!Contains(kTopTables, k.str())) {
      return Fail(WhereKey(k, v),
                  "unknown table [" + std::string(k.str()) + "]; allowed: " +
                      JoinAlternatives({"[suite]", "[adapter]", "[[users]]", "[[actors]]",
                                        "[explore]", "[[faults]]", "[oracle]"}));
    }
  }
  for (const char* single : {"suite", "adapter", "explore", "oracle"}) {
    const toml::node* n = doc.get(single);
    if (n != nullptr && !n->is_table()) {
      return Fail(*n, "'" + std::string(single) + "' must be a table ([" + single + "]), not " +
                          NodeTypeName(*n));
    }
  }

  if (Status s = LoadSuiteTable(doc, &suite); !s.ok()) return s;
  Result<const AdapterInfo*> adapter = LoadAdapter(doc, &suite);
  if (!adapter.ok()) return adapter.status();
  if (Status s = LoadUsers(doc, **adapter, &suite); !s.ok()) return s;
  if (Status s = LoadActors(doc, **adapter, &suite); !s.ok()) return s;
  if (Status s = LoadExplore(doc, &suite); !s.ok()) return s;
  if (Status s = LoadFaults(doc, &suite); !s.ok()) return s;
  if (Status s = LoadOracle(doc, &suite); !s.ok()) return s;
  if (!options_.check_points) {
    // The caller checks them.
  } else if ((*adapter)->open_options && (*adapter)->points.empty()) {
    // Known only once the adapter is open: it checks them then.
    for (const FaultRule& rule : suite.faults) {
      suite.adapter_config.unchecked.push_back({"point", rule.point, rule.point_where, "point"});
      for (const auto& named : rule.named_points) {
        suite.adapter_config.unchecked.push_back({"point", named.point, named.where, named.key});
      }
    }
  } else if (Status s = CheckPoints(suite, **adapter); !s.ok()) {
    return s;
  }
  return suite;
}

}  // namespace loader_internal

Result<Suite> LoadSuiteFromString(std::string_view text, const std::string& path,
                                  const LoadOptions& options) {
  RegisterBuiltinFaults();
  return loader_internal::Loader(path, options).Load(text);
}

Result<AdapterConfig> LoadAdapterConfig(const std::string& adapter,
                                        const std::vector<std::string>& sets) {
  LoadOptions options;
  options.adapter = adapter;
  for (const auto& set : sets) {
    if (set.rfind("adapter.", 0) == 0) options.sets.push_back(set);
  }
  return loader_internal::Loader("(command line)", options).LoadAdapterOnly();
}

Result<Suite> LoadSuite(const std::string& path, const LoadOptions& options) {
  auto cannot = [&](const std::string& why) {
    return Status::Invalid("cannot read '" + path + "': " + why);
  };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return cannot(std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) return cannot(std::strerror(errno));
  // A device (/dev/zero), FIFO or socket may never end; a directory has no text.
  if (!S_ISREG(st.st_mode)) {
    return cannot(S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
  }
  const std::string too_big = "larger than the " + std::to_string(kMaxSuiteBytes) +
                              "-byte limit of a suite file";
  if (st.st_size > kMaxSuiteBytes) return cannot(too_big);
  // Read at most one byte past the limit: the file may grow after fstat.
  std::string text;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return cannot(std::strerror(errno));
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (static_cast<int64_t>(text.size()) > kMaxSuiteBytes) return cannot(too_big);
  }
  return LoadSuiteFromString(text, path, options);
}

}  // namespace intransit