// Status and Result: errors as values across the adapter interface.
//
// A Status is either ok or carries a code and a message. The code says who
// is at fault, because the command line maps it to an exit code: a suite or
// usage error is the user's (exit 2), an infrastructure error is the
// adapter's or the machine's (exit 3). A mail outcome (tempfail, permfail)
// is never a Status: it is a value the adapter returns on success.
//
//   Result<int> r = Parse(text);
//   if (!r.ok()) return r.status();
//   use(*r);
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace intransit {

class Status {
 public:
  enum class Code { kOk, kInvalid, kInfra, kUnsupported };

  Status() = default;
  static Status Ok() { return Status(); }
  // The suite, a --set value or a command line argument is wrong (exit 2).
  static Status Invalid(std::string msg) { return Status(Code::kInvalid, std::move(msg)); }
  // A server died, a process hung, a disk failed in the harness (exit 3).
  static Status Infra(std::string msg) { return Status(Code::kInfra, std::move(msg)); }
  // The adapter does not offer the operation (e.g. no recovery).
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return msg_; }

  // Returns a copy whose message is "context: message".
  Status Wrap(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + msg_);
  }

 private:
  Status(Code code, std::string msg) : code_(code), msg_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string msg_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace intransit
