// Paths built from names, kept inside their root.
//
// An adapter turns names a suite or a store gave it (a user, a server, a
// folder) into paths under a directory of its own: a Maildir tree, a Dovecot
// home. A name like "../../etc" or one with a NUL would take such a path, and
// the mkdir, chown or remove_all done on it, anywhere on the machine.
// ConfinedPath is the one function every such path goes through: it joins
// single components under a trusted root and refuses anything that could
// leave it, by its text (`..`, an absolute or empty component, `/` or NUL
// inside a component) or on disk (a symbolic link, followed or not, or a
// non-directory on the way). The name rule (name_rule.h) already keeps such
// names out of a suite; this is the second line, for a suite built in code
// and for what a store left in the tree.
//
//   Result<std::string> md = ConfinedPath(tree_, {server, user, "cur"});
//   if (!md.ok()) return md.status();
//
// The disk check looks at the tree when it is called (lstat of each existing
// component): it keeps a careless or hostile name out, not a process racing
// the caller to plant a link between the check and the use.
#pragma once

#include <sys/types.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace intransit {

// `root` + "/" + each of `components` joined with "/", when that path stays
// inside `root`:
//   - every component is 1..255 bytes, not "." or "..", without '/' or NUL
//     (else Status::Invalid naming the component, its control bytes escaped);
//   - of the components that exist on disk, none is a symbolic link (even
//     one pointing back inside) and every one but the last is a directory
//     (else Status::Infra naming the path); components past the first one
//     that does not exist are not looked at.
// `root` is the caller's own directory and trusted as it is (it may itself
// contain links); it must not be empty. No component is created.
// Thread-safe.
Result<std::string> ConfinedPath(std::string_view root,
                                 const std::vector<std::string_view>& components);
inline Result<std::string> ConfinedPath(std::string_view root,
                                        std::initializer_list<std::string_view> components) {
  return ConfinedPath(root, std::vector<std::string_view>(components));
}

// Creates the directories of `path` that lie below `root`, each with
// `mode` less the umask, like `mkdir -p`, but never `root` itself nor
// anything above it. Why: a run's temp dir is removed by the SIGINT shutdown while the main
// thread may still be making directories in it (process_registry.h);
// create_directories would bring the removed temp dir back, and it would be
// left behind. With this a vanished root stays vanished: the first mkdir
// fails with ENOENT.
// REQUIRES: `path` is `root` or starts with `root` + "/"; `root` is not
// empty.
// Returns 0, or the errno of the mkdir that failed (ENOTDIR when a
// component exists and is not a directory; a symbolic link is not followed
// and counts as not a directory).
int MakeDirsBelow(std::string_view root, std::string_view path, mode_t mode = 0777);

}  // namespace intransit
