// io: an I/O call fails with an errno, as if the operating system had
// returned it. Armed at an adapter's I/O points (`maildir/rename`) or at
// libfiu's POSIX points (`posix/io/dir/rename`), it makes the store's own
// file operation fail; armed at a scheduling point, the step fails with an
// I/O error (a delivery answers tempfail).
//
//   [[faults]]
//   point = "posix/io/dir/rename"
//   kind = "io"
//   errno = "ENOSPC"     # EIO (default), ENOSPC, EDQUOT or EROFS
//   phase = "before"     # before: the call did nothing; after: it did, then failed
#pragma once

#include "faults/fault.h"

namespace intransit {

class IoFault : public Fault {
 public:
  IoFault(int errno_value, Phase phase) : errno_value_(errno_value), phase_(phase) {}
  const char* kind() const override { return "io"; }
  // Sets a Decision{kFail, FailError::kIo, phase, errno_value}.
  void Fire(FaultEffect* effect) const override;
  std::string Describe() const override;  // "io ENOSPC before"

 private:
  int errno_value_;
  Phase phase_;
};

FaultKind IoFaultKind();

// "EIO", "ENOSPC", ... for the errno values the kind offers; "errno N" else.
std::string ErrnoName(int errno_value);

}  // namespace intransit
