// The command line of DESIGN §10, with Boost.Program_options.
//
// Every subcommand parses its own options; exceptions from the parser stop
// here and become a usage error (exit 2). Exit codes: 0 every suite met its
// expectation, 1 one did not, 2 usage or suite error, 3 adapter or
// infrastructure error.
#include "cli/cli.h"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "base/file_util.h"
#include "cli/builtin_adapters.h"
#include "cli/cli_common.h"
#include "cli/conform.h"
#include "cli/merge.h"
#include "explore/explorer.h"
#include "faults/fault.h"
#include "report/report_console.h"
#include "report/report_json.h"
#include "report/report_junit.h"
#include "report/result_schema.h"
#include "store/adapter.h"
#include "suite/suite_loader.h"
#include "suite/suite_schema.h"

namespace intransit {
namespace {

// The overview `intransit`, `help` and `help all` print: every command of
// the table, then help itself.
std::string Usage() {
  std::ostringstream o;
  o << "usage: intransit <command> [options]\n\ncommands:\n";
  auto line = [&o](const std::string& synopsis, const char* summary) {
    o << "  " << std::left << std::setw(29) << synopsis << summary << "\n";
  };
  for (const CliCommand& c : CliCommands()) line(c.synopsis, c.summary);
  line("help [COMMAND|all]", "this text, one command's options, or every command's");
  o << "\n"
       "exit codes: 0 every suite met its expectation, 1 one did not, 2 usage or suite error,\n"
       "3 adapter or infrastructure error.\n"
       "'intransit help COMMAND' (or 'intransit COMMAND --help') describes a command's options;\n"
       "'intransit --version' prints the version.\n";
  return o.str();
}

// `text` as a TOML basic string, for a --set value that must stay a string.
std::string TomlString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int RunSuites(std::vector<Suite>& suites, const SuiteArgs& args, std::ostream& out,
              std::ostream& err) {
  RunResult run;
  StampRun(&run);
  auto explore = ToExploreOptions(args);
  if (!explore.ok()) {
    err << "intransit: " << explore.status().message() << "\n";
    return kExitUsage;
  }
  ExploreOptions options = *explore;
  if (int c = CheckReportsWritable(args, err); c != kExitOk) return c;
  if (isatty(STDERR_FILENO)) options.progress = &err;
  for (const auto& suite : suites) {
    run.suites.push_back(ExploreSuite(suite, options));
    PrintSuiteResult(run.suites.back(), out);
    out.flush();
  }
  PrintSummary(run, out);
  return WriteReports(run, args, out, err, ExitCodeOf(run));
}

// Parses the command line of `command`, which takes SUITE... as its words
// (into args->suites) and the options `d` (bound to `args`). False: stop
// with `code`, after the help (0) or a usage error (2), no suite included.
bool ParseSuiteCommand(const char* command, int argc, const char* const* argv,
                       const po::options_description& d, const std::string& usage,
                       SuiteArgs* args, std::ostream& out, std::ostream& err, int* code) {
  if (!ParseWords(argc, argv, d, "suite", po::value(&args->suites), -1, out, err, usage, code)) {
    return false;
  }
  if (args->suites.empty()) {
    err << "intransit " << command << ": no suite given\n" << usage << "\n";
    *code = kExitUsage;
    return false;
  }
  return true;
}

int CmdRun(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  SuiteArgs args;
  po::options_description d("run options");
  AddSuiteOptions(&d, &args, true);
  int code = kExitOk;
  const std::string usage = "usage: intransit run SUITE... [options]";
  if (!ParseSuiteCommand("run", argc, argv, d, usage, &args, out, err, &code)) return code;
  std::vector<Suite> suites;
  if (!LoadAll(args, ToLoadOptions(args), &suites, err)) return kExitUsage;
  return RunSuites(suites, args, out, err);
}

int CmdReplay(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  SuiteArgs args;
  std::string token;
  po::options_description d("replay options");
  AddSuiteOptions(&d, &args, false);
  d.add_options()("schedule", po::value(&token)->value_name("TOKEN"),
                  "the schedule token a report printed");
  int code = kExitOk;
  const std::string usage = "usage: intransit replay SUITE --schedule TOKEN [options]";
  if (!ParseWords(argc, argv, d, "suite", po::value(&args.suites), 1, out, err, usage, &code)) {
    return code;
  }
  if (args.suites.size() != 1 || token.empty()) {
    err << "intransit replay: give one suite and --schedule TOKEN\n" << usage << "\n";
    return kExitUsage;
  }
  args.sets.push_back("explore.strategy=replay");
  // As a TOML string: unquoted, a token like 1.0 would be read as a float.
  const std::string set = "explore.schedule=" + TomlString(token);
  args.sets.push_back(set);
  std::vector<Suite> suites;
  std::ostringstream load_err;
  if (!LoadAll(args, ToLoadOptions(args), &suites, load_err)) {
    // The user wrote --schedule, not the --set it became.
    std::string text = load_err.str();
    for (size_t at = text.find("--set " + set); at != std::string::npos;
         at = text.find("--set " + set, at)) {
      text.replace(at, 6 + set.size(), "--schedule " + token);
    }
    err << text;
    return kExitUsage;
  }
  if (int c = CheckReportsWritable(args, err); c != kExitOk) return c;
  RunResult run;
  StampRun(&run);
  run.suites.push_back(ExploreSuite(suites[0], {}));
  const SuiteResult& r = run.suites.back();
  if (r.has_trace && r.violations.empty()) PrintTrace(r, out);
  PrintSuiteResult(r, out);
  return WriteReports(run, args, out, err, ExitCodeOf(run));
}

int CmdCheck(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  SuiteArgs args;
  po::options_description d("check options");
  d.add_options()
      ("adapter", po::value(&args.adapter)->value_name("NAME"),
       "check the suites against this adapter")
      ("set", po::value(&args.sets)->composing()->value_name("KEY=VALUE"),
       "override a suite key (repeatable)");
  int code = kExitOk;
  const std::string usage = "usage: intransit check SUITE... [--adapter NAME] [--set KEY=VALUE]...";
  if (!ParseSuiteCommand("check", argc, argv, d, usage, &args, out, err, &code)) return code;
  std::vector<Suite> suites;
  bool ok = LoadAll(args, ToLoadOptions(args), &suites, err);
  for (const auto& s : suites) {
    out << "ok  " << s.file << "  (" << s.name << ": " << s.adapter << "/"
        << s.adapter_config.variant << ", " << s.actors.size() << " actors, " << s.faults.size()
        << " faults, expect " << ExpectName(s.expect) << ")\n";
  }
  return ok ? kExitOk : kExitUsage;
}

void ListAdapters(std::ostream& out) {
  for (const auto& a : AdapterRegistry::Global().All()) {
    out << a.name << "  " << a.summary << "\n";
    out << "  variants: ";
    if (a.variants.empty()) out << "(the program's own)";
    for (size_t i = 0; i < a.variants.size(); ++i) {
      out << (i ? ", " : "") << a.variants[i] << (a.variants[i] == a.default_variant ? " (default)" : "");
    }
    out << "\n  servers: " << (a.servers.empty() ? "(the program's own)" : JoinAlternatives(a.servers))
        << "\n";
    if (!a.recovery.empty()) out << "  recovery: " << JoinAlternatives(a.recovery) << "\n";
    for (const auto& o : a.options) {
      out << "  option " << o.name << " (" << ParamTypeName(o.type) << "): " << o.help;
      if (!o.allowed.empty()) out << "; one of " << JoinAlternatives(o.allowed);
      if (!o.default_text.empty()) out << "; default " << o.default_text;
      out << "\n";
    }
  }
}

// Points come from the registry, or, for adapters that learn them when
// opened (exec), from the adapter itself configured by --set adapter.K=V.
int ListPoints(std::ostream& out, std::ostream& err, const std::string& adapter,
               const std::vector<std::string>& sets) {
  for (const auto& s : sets) {
    if (s.rfind("adapter.", 0) != 0 || s.find('=') == std::string::npos) {
      err << "intransit list: --set takes adapter.KEY=VALUE here, not '" << s << "'\n";
      return kExitUsage;
    }
  }
  for (const auto& a : AdapterRegistry::Global().All()) {
    if (!adapter.empty() && a.name != adapter) continue;
    // The sets are checked against the adapter named, as in a suite.
    Result<AdapterConfig> config = AdapterConfig();
    if (!adapter.empty()) config = LoadAdapterConfig(a.name, sets);
    if (!config.ok()) {
      err << "intransit list: " << config.status().message() << "\n";
      return kExitUsage;
    }
    out << a.name << ":\n";
    std::vector<PointInfo> points = a.points;
    if (a.describe) {
      if (adapter.empty()) {
        out << "  (the program's own: intransit list points --adapter " << a.name
            << " --set adapter.command=...)\n";
        continue;
      }
      auto asked = PointsOf(a, *config);
      if (!asked.ok()) {
        err << "intransit list: " << asked.status().message() << "\n";
        return asked.status().code() == Status::Code::kInvalid ? kExitUsage : kExitInfra;
      }
      points = *asked;
    }
    for (const auto& p : points) {
      out << "  " << std::left << std::setw(20) << p.name << p.help << "\n";
    }
    out << "  " << std::left << std::setw(20) << kRecoverPoint
        << "(every adapter) a crashed mover restarts, before the store's recovery\n";
  }
  return kExitOk;
}

void PrintKeys(std::ostream& out, const std::vector<ParamSpec>& keys) {
  for (const auto& k : keys) {
    out << "    " << std::left << std::setw(13) << k.name << ParamTypeName(k.type) << ": " << k.help;
    if (!k.allowed.empty()) out << "; one of " << JoinAlternatives(k.allowed);
    if (!k.default_text.empty()) out << "; default " << k.default_text;
    if (k.required) out << "; required";
    out << "\n";
  }
}

void ListFaults(std::ostream& out) {
  out << "keys every fault takes:\n";
  PrintKeys(out, SharedFaultKeys());
  for (const auto& k : FaultRegistry::Global().All()) {
    out << k.name << "  " << k.summary << "\n";
    PrintKeys(out, k.keys);
  }
}

int CmdList(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  std::string what, adapter;
  std::vector<std::string> sets;
  po::options_description d("list options");
  d.add_options()("adapter", po::value(&adapter)->value_name("NAME"),
                  "list only this adapter's points")
      ("set", po::value(&sets)->composing()->value_name("KEY=VALUE"),
       "configure the adapter (--set adapter.command=... for exec)");
  int code = kExitOk;
  const std::string usage = "usage: intransit list adapters|points|faults [--adapter NAME]";
  if (!ParseWords(argc, argv, d, "what", po::value(&what), 1, out, err, usage, &code)) return code;
  RegisterBuiltinFaults();
  if (!adapter.empty() && AdapterRegistry::Global().Find(adapter) == nullptr) {
    err << "intransit list: unknown adapter '" << adapter << "'; known: "
        << JoinAlternatives(AdapterRegistry::Global().Names()) << "\n";
    return kExitUsage;
  }
  if (what == "adapters") {
    ListAdapters(out);
  } else if (what == "points") {
    return ListPoints(out, err, adapter, sets);
  } else if (what == "faults") {
    ListFaults(out);
  } else {
    err << "intransit list: unknown list '" << what << "'; allowed: adapters, points or faults\n"
        << usage << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

int CmdSchema(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  std::string what;
  po::options_description d("schema options");
  int code = kExitOk;
  const std::string usage =
      "usage: intransit schema suite|result\n"
      "prints the JSON Schema of a suite file (suite) or of the --json report (result);\n"
      "schemas/ in the sources and share/intransit/schemas/ hold the same text";
  if (!ParseWords(argc, argv, d, "what", po::value(&what), 1, out, err, usage, &code)) return code;
  if (what == "suite") {
    RegisterBuiltinFaults();
    out << SuiteSchemaJson();
  } else if (what == "result") {
    out << ResultSchemaJson();
  } else {
    err << "intransit schema: " << (what.empty() ? "give" : "unknown schema '" + what + "'; give")
        << " suite or result\n"
        << usage << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

const std::vector<CliCommand>& CliCommands() {
  static const std::vector<CliCommand> commands = {
      {"run", "run SUITE...", "explore suites, judge every schedule, report", CmdRun},
      {"replay", "replay SUITE --schedule T", "replay one schedule from its token", CmdReplay},
      {"conform", "conform --adapter NAME", "run the conformance battery against an adapter",
       CmdConform},
      {"check", "check SUITE...", "validate suites without running them", CmdCheck},
      {"list", "list adapters|points|faults", "what the adapters, their points and the faults are",
       CmdList},
      {"merge", "merge SHARD.json...", "combine the --json results of a run's shards", CmdMerge},
      {"schema", "schema suite|result",
       "print the JSON Schema of a suite file or of the JSON report", CmdSchema},
  };
  return commands;
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  // The composition root: the stores are known from here down.
  RegisterBuiltinAdapters();
  if (argc < 2) {
    err << Usage();
    return kExitUsage;
  }
  const std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "-V") {
    out << "intransit " << ToolVersion() << "\n";
    return kExitOk;
  }
  if (cmd == "help" && argc == 3 && std::string(argv[2]) == "all") {
    // The whole manual at once: the man page (help2man) is made from it.
    out << Usage();
    for (const CliCommand& c : CliCommands()) {
      const char* again[] = {argv[0], c.name, "--help"};
      out << "\n";
      RunCli(3, again, out, err);
    }
    return kExitOk;
  }
  if (cmd == "help" && argc >= 3) {
    // `help run` is `run --help`.
    const std::string sub = argv[2];
    const char* again[] = {argv[0], argv[2], "--help"};
    if (sub != "help" && sub.rfind("-", 0) != 0) return RunCli(3, again, out, err);
  }
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    if (argc >= 3) {
      err << "intransit help: unknown command '" << argv[2] << "'\n" << Usage();
      return kExitUsage;
    }
    out << Usage();
    return kExitOk;
  }
  std::vector<std::string> names;
  for (const CliCommand& c : CliCommands()) {
    if (cmd == c.name) return c.run(argc, argv, out, err);
    names.push_back(c.name);
  }
  names.push_back("help");
  err << "intransit: unknown command '" << cmd << "'; allowed: " << JoinAlternatives(names) << "\n"
      << Usage();
  return kExitUsage;
}

}  // namespace intransit
