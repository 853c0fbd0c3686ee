#!/usr/bin/env python3
"""Opens a kept maildir tree of intransit's maildir adapter with Python's
mailbox.Maildir and prints one line per message: SERVER USER FOLDER MESSAGE-ID
(INBOX for the top folder), then one line per directory entry:
directory USER HOME. Used by the adapter's tests to check the tree on disk
with a Maildir reader that is not intransit's own."""
import mailbox
import os
import sys


def main(tree):
    for server in ("src", "dst"):
        root = os.path.join(tree, server)
        for user in sorted(os.listdir(root)):
            box = mailbox.Maildir(os.path.join(root, user), factory=None, create=False)
            for key in box.keys():
                print(server, user, "INBOX", box[key]["Message-ID"])
            for name in box.list_folders():
                folder = box.get_folder(name)
                for key in folder.keys():
                    print(server, user, name, folder[key]["Message-ID"])
    with open(os.path.join(tree, "directory")) as f:
        for line in f:
            fields = line.split()
            print("directory", fields[0], fields[1])


if __name__ == "__main__":
    main(sys.argv[1])
