// The exec deployment: one child program per run, one request per call.
//
// Each Deployment call is one protocol request. Calls come from actors that
// run one at a time (fibers of one thread, or threads the runner serialises),
// and an actor parked at a point has its request in flight while another
// actor's request runs; so the reader is simple: after sending a request, or
// after answering one of its points, read lines until THAT request announces
// its next point or replies. Any line for another request at that moment is
// a protocol error — the program is not waiting its turn — as is an id that
// is not in flight at all.
//
// Every failure of the program (exit, hang, garbage, unknown id, wrong
// version) stops it and poisons the deployment: later calls return the same
// error at once, so actors parked elsewhere unwind without touching a dead
// process.
#include "adapters/exec/exec_adapter.h"


#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "adapters/exec/child_process.h"
#include "adapters/exec/exec_reply.h"

namespace intransit {
namespace {

// How long a program may take to start and answer hello, at the least.
constexpr int kStartMs = 10000;

using json = nlohmann::json;

std::string Quote(const std::string& line) { return QuoteExecLine(line); }
std::string StrField(const json& j, const char* key) { return ExecStringField(j, key); }

json OptionToJson(const ParamValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, IntRange>) {
          return json::array({x.first, x.second});
        } else {
          return json(x);
        }
      },
      v);
}

class ExecDeployment : public Deployment {
 public:
  ExecDeployment(const AdapterConfig& config, std::ostream* log)
      : command_(config.options.String("command", "")),
        timeout_ms_(static_cast<int>(config.options.Int("timeout_ms", 10000))),
        log_(log) {}

  ~ExecDeployment() override {
    if (child_ == nullptr) return;
    // `bye` only with nothing in flight (DESIGN §9); otherwise stop it.
    if (broken_.ok() && in_flight_.empty() && child_->running()) {
      Result<json> r = Call(nullptr, {{"op", "bye"}}, "bye");
      if (r.ok()) {
        child_->WaitExit(timeout_ms_);
        return;
      }
    }
    child_->Stop();
  }

  // Spawns the program and says hello. Invalid: the suite names a server or
  // point the program does not have, or the program refused its options.
  Status Open(const AdapterConfig& config) {
    if (command_.empty()) {
      return Status::Invalid("key 'command' in [adapter] is required for adapter exec");
    }
    if (timeout_ms_ < 1) {
      return Status::Invalid("key 'timeout_ms' in [adapter] must be >= 1, not " +
                             std::to_string(timeout_ms_));
    }
    auto child = ChildProcess::Start(command_, log_);
    if (!child.ok()) return child.status();
    child_ = std::move(*child);

    json options = json::object();
    for (const auto& [key, value] : config.options.values()) {
      if (key == "command" || key == "timeout_ms") continue;
      options[key] = OptionToJson(value);
    }
    if (!config.variant.empty()) options["variant"] = config.variant;
    Result<json> r =
        Call(nullptr, {{"op", "hello"}, {"protocol", kExecProtocol}, {"options", options}},
             "hello", /*hello=*/true);
    if (!r.ok()) return r.status();
    ExecHello hello;
    if (Status s = ParseExecHello(*r, &hello); !s.ok()) return BadReply("hello", s.message());
    name_ = std::move(hello.name);
    servers_ = std::move(hello.servers);
    points_ = std::move(hello.points);
    recovery_ = std::move(hello.recovery);
    holding_ = std::move(hello.holding);
    footprints_ = hello.footprints;

    // The names the loader could not check without the program.
    for (const UncheckedName& u : config.unchecked) {
      std::vector<std::string> known;
      if (u.kind == "server") {
        known = servers_;
      } else {
        for (const auto& p : points_) known.push_back(p.name);
      }
      if (u.kind == "point" && u.name == kRecoverPoint) continue;  // the runner's own
      if (std::find(known.begin(), known.end(), u.name) == known.end()) {
        return Status::Invalid(u.where + ": key '" + u.key + "': unknown " + u.kind + " '" +
                               u.name + "' for adapter exec (" + Who() + "); it " +
                               (u.kind == "server" ? "has " : "passes ") +
                               (known.empty() ? std::string("none") : JoinAlternatives(known)));
      }
    }
    return Status::Ok();
  }

  const std::vector<PointInfo>& points() const { return points_; }

  // What hello's reply said: `"footprints": true` promises a touch line for
  // everything every step reads or changes.
  bool DeclaresFootprints() const override { return footprints_; }

  Status Reset() override {
    auto r = Call(nullptr, {{"op", "reset"}}, "reset");
    return r.ok() ? Status::Ok() : r.status();
  }

  Status Provision(std::string_view user, std::string_view server,
                   const std::vector<std::string>& messages) override {
    auto r = Call(nullptr,
                  {{"op", "provision"}, {"user", user}, {"server", server}, {"messages", messages}},
                  "provision " + std::string(user) + " on " + std::string(server));
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<DeliverResult> Deliver(Gate& gate, std::string_view user,
                                std::string_view message) override {
    std::string label = "deliver " + std::string(message) + " to " + std::string(user);
    auto r = Call(&gate, {{"op", "deliver"}, {"user", user}, {"message", message}}, label);
    if (!r.ok()) return r.status();
    std::string result = StrField(*r, "result");
    DeliverResult out;
    // Where the delivery really ran: the store may have routed it again
    // after the point (DESIGN §9), and says so with any result.
    std::string server = StrField(*r, "server");
    if (!server.empty()) gate.RanOn(server);
    if (result == "accepted") {
      out.answer = Answer::kAccepted;
      out.server = server;
      out.folder = StrField(*r, "folder");
      if (out.server.empty()) return BadReply(label, "'accepted' without 'server': " +
                                                       Quote(r->dump()));
    } else if (result == "tempfail") {
      out.answer = Answer::kTempfail;
    } else if (result == "permfail") {
      out.answer = Answer::kPermfail;
    } else if (result == "crashed") {
      // The delivery stopped before the store stored anything: to the
      // sender, a lost connection, and it retries later.
      gate.Note("connection lost before the store answered");
      out.answer = Answer::kTempfail;
    } else {
      return BadReply(label, "'result' must be accepted, tempfail, permfail or crashed: " +
                                 Quote(r->dump()));
    }
    return out;
  }

  Result<MoveResult> Move(Gate& gate, std::string_view user, std::string_view to) override {
    std::string label = "move " + std::string(user) + " → " + std::string(to);
    auto r = Call(&gate, {{"op", "move"}, {"user", user}, {"to", to}}, label);
    if (!r.ok()) return r.status();
    return MoveOutcome(*r, label);
  }

  Result<MoveResult> Recover(Gate& gate, std::string_view user) override {
    if (recovery_.empty()) {
      return Status::Unsupported("the program (" + Who() + ") offers no recovery");
    }
    std::string label = "recover " + std::string(user);
    auto r = Call(&gate, {{"op", "recover"}, {"user", user}}, label);
    if (!r.ok()) return r.status();
    return MoveOutcome(*r, label);
  }

  Status Inspect(Snapshot* out) override {
    out->Clear();
    auto r = Call(nullptr, {{"op", "inspect"}}, "inspect");
    if (!r.ok()) return r.status();
    if (Status s = ParseExecInspect(*r, out); !s.ok()) return BadReply("inspect", s.message());
    out->holding_folders = holding_;
    return Status::Ok();
  }

 private:
  std::string Who() const {
    return (name_.empty() ? std::string() : name_ + ", ") + "'" + command_ + "'";
  }

  Result<MoveResult> MoveOutcome(const json& r, const std::string& label) {
    std::string result = StrField(r, "result");
    if (result == "done") return MoveResult::kDone;
    if (result == "failed") return MoveResult::kFailed;
    if (result == "crashed") return MoveResult::kCrashed;
    return BadReply(label, "'result' must be done, failed or crashed: " + Quote(r.dump()));
  }

  // Stops the program and remembers why; every later call returns this.
  Status Broken(int64_t id, const std::string& label, const std::string& what) {
    std::string msg = "exec: request " + std::to_string(id) + " (" + label + "): " + what;
    if (child_ != nullptr) {
      child_->Stop();
      std::string tail = child_->LastStderr();
      if (!tail.empty()) msg += "; its stderr ended: " + tail;
    }
    broken_ = Status::Infra(msg);
    return broken_;
  }
  Status BadReply(const std::string& label, const std::string& what) {
    return Broken(current_, label, "bad reply: " + what);
  }

  // A touch line of the request that has the turn: each object goes to the
  // gate, in the line's order, for the step under way. Error (the caller
  // quotes the line): a program that did not declare footprints in hello
  // (a store author's slip: its touches would be ignored and no reduction
  // would happen), an op without steps, a malformed line.
  Status Touch(Gate* gate, const std::string& op, const json& msg) {
    if (!footprints_) {
      return Status::Infra("the program sent a touch line, but its hello reply did not say "
                           "\"footprints\": true");
    }
    if (gate == nullptr) {
      return Status::Infra("the program sent a touch line during " + op +
                           ", which has no steps (touch lines belong to deliver, move and "
                           "recover)");
    }
    if (Status s = ParseExecTouch(msg, &touches_); !s.ok()) return s;
    for (const auto& [object, access] : touches_) gate->Touch(object, access);
    return Status::Ok();
  }

  // Sends `request` (an id is added) and serves it until its reply.
  // `gate` answers its points; nullptr = the op may not announce any.
  Result<json> Call(Gate* gate, json request, const std::string& label, bool hello = false) {
    if (!broken_.ok()) return broken_;
    const int64_t id = next_id_++;
    request["id"] = id;
    const std::string op = request["op"].get<std::string>();
    in_flight_.push_back(id);
    current_ = id;
    Status s = child_->WriteLine(request.dump(), timeout_ms_);
    if (!s.ok()) return Broken(id, label, s.message());

    // The hello's answer waits for the program to start too (an interpreter
    // on a loaded CI machine can take a second): it gets at least 10 s.
    const int wait_ms = hello ? std::max(timeout_ms_, kStartMs) : timeout_ms_;
    std::string text;  // strings a PointCall views must outlive Pass
    while (true) {
      Result<std::string> line = child_->ReadLine(wait_ms);
      if (!line.ok()) {
        std::string why = line.status().message();
        if (child_->failure() == ChildProcess::Failure::kTimeout) {
          why = "no answer within " +
                (hello ? std::to_string(wait_ms) + " ms of starting"
                       : "timeout_ms = " + std::to_string(timeout_ms_) + " ms") +
                " (the program hangs)";
        }
        return Broken(id, label, why);
      }
      Result<ExecLine> parsed = ParseExecLine(*line);
      if (!parsed.ok()) return Broken(id, label, parsed.status().message());
      const json& msg = parsed->msg;
      const int64_t got = parsed->id;
      if (got != id) {
        bool known = std::find(in_flight_.begin(), in_flight_.end(), got) != in_flight_.end();
        return Broken(id, label,
                      known ? "the program wrote for request " + std::to_string(got) +
                                  ", which is waiting at a point, while request " +
                                  std::to_string(id) + " has the turn: " + Quote(*line)
                            : "the program replied to an unknown id " + std::to_string(got) +
                                  ": " + Quote(*line));
      }

      if (msg.contains("touch")) {
        if (Status t = Touch(gate, op, msg); !t.ok()) {
          return Broken(id, label, t.message() + ": " + Quote(*line));
        }
        continue;
      }
      if (auto ok = msg.find("ok"); ok != msg.end()) {
        in_flight_.erase(std::find(in_flight_.begin(), in_flight_.end(), id));
        if (!ok->is_boolean()) return Broken(id, label, "'ok' is not a boolean: " + Quote(*line));
        if (!ok->get<bool>()) {
          std::string error = StrField(msg, "error");
          if (hello) {
            // hello carries only the suite's options: refusing them is the
            // suite's mistake (an unknown variant), not a broken store.
            child_->Stop();
            broken_ = Status::Invalid("exec: the program (" + Who() + ") refused hello: " + error);
            return broken_;
          }
          return Broken(id, label, "the program answered an error: " + error);
        }
        if (hello) {
          std::string protocol = StrField(msg, "protocol");
          if (protocol != kExecProtocol) {
            return Broken(id, label, "the program speaks '" + protocol + "', not " +
                                         kExecProtocol + ": " + Quote(*line));
          }
        }
        return msg;
      }
      if (auto note = msg.find("note"); note != msg.end()) {
        if (gate != nullptr && note->is_string()) gate->Note(note->get<std::string>());
        continue;
      }
      auto point = msg.find("point");
      if (point == msg.end() || !point->is_string()) {
        return Broken(id, label, "expected a point ('point') or a reply ('ok'): " + Quote(*line));
      }
      if (gate == nullptr) {
        return Broken(id, label, "the program announced a point during " + op +
                                     ", which has none: " + Quote(*line));
      }
      std::string name = point->get<std::string>();
      std::string server = StrField(msg, "server");
      std::string user = StrField(msg, "user");
      std::string message = StrField(msg, "message");
      text = StrField(msg, "what");
      Decision d = gate->Pass({name, server, user, message, text});
      // Another actor may have broken the program while this one waited.
      if (!broken_.ok()) return broken_;
      current_ = id;
      json answer = {{"id", id}};
      if (d.crash()) {
        answer["crash"] = true;
      } else if (d.go()) {
        answer["go"] = true;
      } else {
        answer["fail"] = FailErrorName(d.error);
        answer["phase"] = PhaseName(d.phase);
      }
      s = child_->WriteLine(answer.dump(), timeout_ms_);
      if (!s.ok()) return Broken(id, label, s.message());
    }
  }

  std::string command_;
  int timeout_ms_;
  std::ostream* log_;
  std::unique_ptr<ChildProcess> child_;
  Status broken_;
  int64_t next_id_ = 1;
  int64_t current_ = 0;
  std::vector<int64_t> in_flight_;

  std::string name_;
  std::vector<std::string> servers_;
  std::vector<PointInfo> points_;
  std::vector<std::string> recovery_;
  std::vector<std::string> holding_;
  bool footprints_ = false;
  std::vector<ExecTouch> touches_;  // one touch line's objects, reused
};

}  // namespace

Result<std::unique_ptr<Deployment>> OpenExecDeployment(const AdapterConfig& config,
                                                      std::ostream* log) {
  auto d = std::make_unique<ExecDeployment>(config, log != nullptr ? log : &std::cerr);
  if (Status s = d->Open(config); !s.ok()) return s;
  return std::unique_ptr<Deployment>(std::move(d));
}

AdapterInfo ExecAdapterInfo() {
  AdapterInfo info;
  info.name = "exec";
  info.summary = "any store in any language: runs a program that speaks intransit-exec/1";
  info.options = {
      {"command", ParamType::kString, "the program to run, under /bin/sh -c", {}, true, ""},
      {"timeout_ms", ParamType::kInt, "how long one request may take before the program is "
       "stopped", {}, false, "10000", 1},
  };
  info.open_options = true;
  info.open = [](const AdapterConfig& config) { return OpenExecDeployment(config, nullptr); };
  info.describe = [](const AdapterConfig& config) -> Result<std::vector<PointInfo>> {
    AdapterConfig plain = config;
    plain.unchecked.clear();
    auto d = std::make_unique<ExecDeployment>(plain, &std::cerr);
    if (Status s = d->Open(plain); !s.ok()) return s;
    return d->points();
  };
  return info;
}

}  // namespace intransit
