#!/usr/bin/env python3
"""An in-memory two-server mail store, tested by intransit through `exec`.

Two servers (`src`, `dst`), each with mailboxes (an INBOX and, while a move
is on, an InTransit folder), and a directory naming each user's home server.
Delivery routes by the directory; a server whose user is being moved away
forwards new mail to the mailbox being built on the destination.

The move, step by step (each step announced as a point before it runs):
    create   the mailbox on dst (src starts forwarding to it)
    flag     set InTransit: deliveries go to the InTransit folder  [pre-sp4]
    copy     write the source mailbox's content into the new one
    route    the directory names dst
    unflag   clear InTransit
    flush    append the InTransit folder to the mailbox
    cleanup  delete the mailbox on src

[adapter] variant:
    "correct" (default): the mailbox is created already in transit, so no
               message reaches its INBOX before the copy;
    "pre-sp4": created, then flagged — Exchange 5.5 before SP4 (KB Q277911):
               a message delivered between the two sits in the INBOX that the
               copy then writes over, and is lost.
Both variants roll a failed move back (all mail on the source, directory
unchanged), resume a crashed one on `recover` from the step it stopped at,
and drop a re-delivered Message-ID (a retry after a lost acknowledgement).

[adapter] footprints (default true): every step declares what it reads and
changes (`yield ix.touch(...)`), and hello says `footprints: true`, so
intransit may skip orders of steps that commute. `footprints = false` runs
the same store without them: every order is explored. Objects, per user u:
    dir/u             the directory's entry for u
    fwd/S/u           server S's forward of u's mail (set while a move is on)
    box/S/u           u's mailbox on S: whether it exists, and its InTransit flag
    S/u/INBOX         the INBOX's messages; S/u/InTransit likewise
    move/u            the move's journal (only the mover reads it)

Run it by hand:
    intransit run suites/exec/q277911-pre-sp4.toml
    intransit conform --adapter exec --set adapter.command="python3 examples/python-store/store.py"
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import intransit_exec as ix  # noqa: E402

INBOX = "INBOX"
IN_TRANSIT = "InTransit"
VARIANTS = ("correct", "pre-sp4")


class Mailbox:
    __slots__ = ("inbox", "transit", "in_transit")

    def __init__(self, messages=(), in_transit=False):
        self.inbox = list(messages)
        self.transit = []
        self.in_transit = in_transit

    def holds(self, message):
        return message in self.inbox or message in self.transit


def box_of(server, user):
    return "box/%s/%s" % (server, user)


def folder_of(server, user, folder):
    return "%s/%s/%s" % (server, user, folder)


def journal_of(user):
    return "move/" + user


def mailbox_writes(server, user):
    """A mailbox made or removed whole: its existence, flag and both folders."""
    return [(box_of(server, user), "write"), (folder_of(server, user, INBOX), "write"),
            (folder_of(server, user, IN_TRANSIT), "write")]


class TwoServerStore(ix.Store):
    name = "python-store"
    servers = ["src", "dst"]
    points = [
        ("create", "the mailbox is created on the destination"),
        ("flag", "InTransit is set on the new mailbox (pre-sp4 only)"),
        ("copy", "the source content is copied into the new mailbox"),
        ("route", "the directory is pointed at the destination"),
        ("unflag", "InTransit is cleared"),
        ("flush", "the InTransit folder is flushed into the mailbox"),
        ("cleanup", "the old mailbox is deleted"),
        ("deliver", "a message is stored"),
    ]
    holding = [IN_TRANSIT]
    recovery = ["resume"]

    def __init__(self, options):
        unknown = sorted(set(options) - {"variant", "footprints"})
        if unknown:
            raise ValueError("unknown option(s) %s; this store takes: variant, footprints"
                             % ", ".join(unknown))
        self.variant = options.get("variant", "correct")
        if self.variant not in VARIANTS:
            raise ValueError("unknown variant %r; allowed: %s" % (self.variant, " or ".join(VARIANTS)))
        self.footprints = options.get("footprints", True)
        if not isinstance(self.footprints, bool):
            raise ValueError("option footprints must be true or false, not %r" % (self.footprints,))
        self.reset()

    # --- state ---------------------------------------------------------------

    def reset(self):
        self.mailboxes = {s: {} for s in self.servers}  # server -> user -> Mailbox
        self.forward = {s: {} for s in self.servers}  # server -> user -> server
        self.directory = {}  # user -> home server
        self.moves = {}  # user -> the move's journal: from, to, next step

    def provision(self, user, server, messages):
        if server not in self.mailboxes:
            raise ValueError("no server %r" % server)
        self.mailboxes[server][user] = Mailbox(messages)
        self.directory[user] = server

    def route(self, user):
        """Where the MTA's delivery ends up: the home server, or where it forwards."""
        home = self.directory.get(user)
        return self.forward.get(home, {}).get(user, home)

    def route_reads(self, user):
        """What route(user) reads: the directory, and the home server's forward."""
        home = self.directory.get(user)
        reads = [("dir/" + user, "read")]
        if home in self.forward:
            reads.append(("fwd/%s/%s" % (home, user), "read"))
        return reads

    def inspect(self):
        servers = {
            server: {user: {INBOX: list(box.inbox), IN_TRANSIT: list(box.transit)}
                     for user, box in boxes.items()}
            for server, boxes in self.mailboxes.items()
        }
        return servers, dict(self.directory)

    # --- delivery --------------------------------------------------------------

    def deliver(self, user, message):
        # The point names the server the route leads to now: reading it is
        # part of the step before the point (this actor's previous one).
        yield ix.touch(*self.route_reads(user))
        d = yield ix.point("deliver", server=self.route(user), user=user, message=message)
        if d.fails_before:
            return d.answer
        server = self.route(user)  # again: we may have waited while a move ran
        reads = self.route_reads(user) + [(box_of(server, user), "read")]
        box = self.mailboxes.get(server, {}).get(user)
        if box is None:
            yield ix.touch(*reads)
            yield ix.note("no such mailbox on %s: 450 try later" % server)
            return {"result": "tempfail", "server": server}
        folder = IN_TRANSIT if box.in_transit else INBOX
        other = INBOX if box.in_transit else IN_TRANSIT
        # holds() looks for this Message-ID in both folders. Appending it
        # commutes with other senders' appends (each adds its own ID, and
        # nothing observes the order); only a write (copy, flush, cleanup,
        # roll back) changes what holds() sees.
        if box.holds(message):
            yield ix.touch(*reads, (folder_of(server, user, folder), "read"),
                           (folder_of(server, user, other), "read"))
            yield ix.note("already stored: a retry, dropped by Message-ID")
        else:
            yield ix.touch(*reads, (folder_of(server, user, folder), "append"),
                           (folder_of(server, user, other), "read"))
            (box.transit if box.in_transit else box.inbox).append(message)
            yield ix.note("stored in " + folder)
        if d.fails_after:  # stored, but the MTA hears an error: a lost acknowledgement
            return {"result": d.answer, "server": server}
        return ix.accepted(server, folder)

    # --- the move --------------------------------------------------------------

    def move(self, user, to):
        frm = self.directory.get(user)
        if frm not in self.mailboxes or to not in self.mailboxes or frm == to:
            raise ValueError("cannot move %r from %r to %r" % (user, frm, to))
        yield ix.touch(("dir/" + user, "read"), (journal_of(user), "write"))
        self.moves[user] = {"from": frm, "to": to, "next": 0}
        return (yield from self.run_move(user))

    def recover(self, user):
        yield ix.touch((journal_of(user), "read"))
        if user not in self.moves:
            return "done"  # nothing was left half-way
        return (yield from self.run_move(user))

    def procedure(self):
        """The steps of a move, in order: (point, which server, what, how, touches)."""
        first = ([("create", "to", "create the mailbox", self.create, self.create_touches),
                  ("flag", "to", "set InTransit on the new mailbox", self.flag,
                   self.flag_touches)]
                 if self.variant == "pre-sp4" else
                 [("create", "to", "create the mailbox, already in transit", self.create,
                   self.create_touches)])
        return first + [
            ("copy", "to", "copy the source mailbox into the new one", self.copy,
             self.copy_touches),
            ("route", None, "point the directory at the new server", self.point_directory,
             self.route_touches),
            ("unflag", "to", "clear InTransit", self.unflag, self.flag_touches),
            ("flush", "to", "flush InTransit into the mailbox", self.flush, self.flush_touches),
            ("cleanup", "from", "delete the old mailbox", self.cleanup, self.cleanup_touches),
        ]

    def run_move(self, user):
        """Runs the journal's remaining steps; a crash leaves the journal for recover."""
        job = self.moves[user]
        steps = self.procedure()
        while job["next"] < len(steps):
            name, where, what, do, touches = steps[job["next"]]
            server = job[where] if where else "directory"
            d = yield ix.point(name, server=server, user=user, what=what)
            if d.fails_before:
                yield ix.touch(*self.roll_back_touches(user, job["from"], job["to"]))
                return self.roll_back(user)
            yield ix.touch((journal_of(user), "write"), *touches(user, job["from"], job["to"]))
            text = do(user, job["from"], job["to"])
            job["next"] += 1
            if text:
                yield ix.note(text)
            if d.fails_after:
                yield ix.touch(*self.roll_back_touches(user, job["from"], job["to"]))
                return self.roll_back(user)
        del self.moves[user]
        return "done"

    # What each step reads and changes (REDUCTION.md's reference-store table,
    # with the folders a whole new or deleted mailbox replaces).

    def create_touches(self, user, frm, to):
        return mailbox_writes(to, user) + [("fwd/%s/%s" % (frm, user), "write")]

    def flag_touches(self, user, frm, to):  # flag and unflag
        return [(box_of(to, user), "write")]

    def copy_touches(self, user, frm, to):
        # The copy writes the new INBOX over: a write, not an append.
        return [(box_of(frm, user), "read"), (folder_of(frm, user, INBOX), "read"),
                (box_of(to, user), "read"), (folder_of(to, user, INBOX), "write")]

    def route_touches(self, user, frm, to):
        return [("dir/" + user, "write")]

    def flush_touches(self, user, frm, to):
        # Appends what InTransit held (each its own Message-ID) and empties it.
        return [(box_of(to, user), "read"), (folder_of(to, user, IN_TRANSIT), "write"),
                (folder_of(to, user, INBOX), "append")]

    def cleanup_touches(self, user, frm, to):
        return mailbox_writes(frm, user) + [("fwd/%s/%s" % (frm, user), "write")]

    def roll_back_touches(self, user, frm, to):
        return ([(journal_of(user), "write"), ("dir/" + user, "write"),
                 ("fwd/%s/%s" % (frm, user), "write")]
                + mailbox_writes(frm, user) + mailbox_writes(to, user))

    def create(self, user, frm, to):
        self.mailboxes[to][user] = Mailbox(in_transit=self.variant != "pre-sp4")
        self.forward[frm][user] = to

    def flag(self, user, frm, to):
        self.mailboxes[to][user].in_transit = True

    def copy(self, user, frm, to):
        # The new mailbox is taken to be empty: the copy writes it over.
        box = self.mailboxes[to][user]
        overwritten = len(box.inbox)
        box.inbox = list(self.mailboxes[frm][user].inbox)
        return "copied %d message(s)%s" % (
            len(box.inbox), ", overwriting %d" % overwritten if overwritten else "")

    def point_directory(self, user, frm, to):
        self.directory[user] = to

    def unflag(self, user, frm, to):
        self.mailboxes[to][user].in_transit = False

    def flush(self, user, frm, to):
        box = self.mailboxes[to][user]
        text = "flushed %d message(s)" % len(box.transit)
        box.inbox.extend(m for m in box.transit if m not in box.inbox)
        box.transit = []
        return text

    def cleanup(self, user, frm, to):
        del self.mailboxes[frm][user]
        self.forward[frm].pop(user, None)

    def roll_back(self, user):
        """A failed step: put every message back on the source, as if no move began."""
        job = self.moves.pop(user)
        frm, to = job["from"], job["to"]
        src = self.mailboxes[frm].setdefault(user, Mailbox())
        dst = self.mailboxes[to].pop(user, None)
        if dst is not None:
            for m in dst.inbox + dst.transit:
                if not src.holds(m):
                    src.inbox.append(m)
        self.forward[frm].pop(user, None)
        self.directory[user] = frm
        return "failed"


if __name__ == "__main__":
    ix.main(TwoServerStore)
