"""Speak intransit-exec/1 for a store written in Python (standard library only).

intransit runs your program and talks to it one JSON object per line over
stdin/stdout (docs/exec-protocol.md). This module does the talking, so that
your store file reads like store code:

    import intransit_exec as ix

    class MyStore(ix.Store):
        name = "my-store"
        servers = ["src", "dst"]
        points = [("create", "the mailbox is created on the destination"), ...]
        holding = ["InTransit"]        # folders where in-transit mail waits
        recovery = ["resume"]          # what recover() does, if you offer it

        def __init__(self, options): ...          # [adapter] keys; raise ValueError to refuse
        def reset(self): ...                      # a fresh, empty deployment
        def provision(self, user, server, messages): ...
        def deliver(self, user, message):         # a generator: it announces points
            d = yield ix.point("deliver", server=..., user=user, message=message)
            if d.fails_before: return d.answer    # "tempfail" / "permfail"
            ...store it...
            return ix.accepted(server, "INBOX")
        def move(self, user, to): ...             # a generator; returns "done" / "failed"
        def recover(self, user): ...              # a generator; returns "done" / "failed"
        def inspect(self): return servers, directory

    ix.serve(MyStore)

Each request runs as its own task: a generator that yields at every point
and is resumed with the framework's Decision. Several are in flight at once
(a delivery arrives while the move waits at `flag`); the framework lets one
run at a time, so the store needs no locks. On `crash` the task is closed
right at its `yield` (its `finally` blocks run, nothing else) and the helper
replies "crashed": the procedure stopped there, as if its process died.
Whatever the store keeps in `self` survives, as a real server's disk would.

`yield ix.note("copied 2 messages")` adds a line to the timeline without
waiting. A store whose `footprints` is true declares, with
`yield ix.touch(("dir/alice", "read"), ...)`, everything each step reads or
changes (docs/exec-protocol.md, "Footprints"); the helper drops touches when
it is false. Anything printed to stderr goes to intransit's log; never print to
stdout, which carries the protocol.
"""

import json
import sys

PROTOCOL = "intransit-exec/1"


class Decision:
    """The framework's answer at a point."""

    __slots__ = ("go", "crash", "error", "phase")

    def __init__(self, msg):
        self.go = bool(msg.get("go"))
        self.crash = bool(msg.get("crash"))
        self.error = msg.get("fail")  # "tempfail" | "permfail" | "io" | None
        self.phase = msg.get("phase")  # "before" | "after" | None

    @property
    def fails_before(self):
        """The step fails and must not be done."""
        return self.error is not None and self.phase != "after"

    @property
    def fails_after(self):
        """The step is done, but its caller hears failure (a lost acknowledgement)."""
        return self.error is not None and self.phase == "after"

    @property
    def answer(self):
        """What a delivery answers when this step fails: permfail stays permfail, io is a 4xx."""
        return "permfail" if self.error == "permfail" else "tempfail"


class _Point(dict):
    pass


class _Note(dict):
    pass


class _Touch(dict):
    pass


ACCESSES = ("read", "write", "append")


def point(name, server="", user="", message=None, what=None):
    """Announce a point: `d = yield point("flag", server="dst", user="alice")`."""
    p = _Point(point=name, server=server, user=user)
    if message is not None:
        p["message"] = message
    if what is not None:
        p["what"] = what
    return p


def note(text):
    """Add what the step did to the timeline: `yield note("stored in INBOX")`."""
    return _Note(note=text)


def touch(*objects):
    """Declare what the step under way touches: `yield touch(("dir/alice", "read"),
    ("dst/alice/INBOX", "append"))`. Each object is (name, access), access one of
    read, write, append. Sent only by a store whose `footprints` is true."""
    entries = []
    for obj in objects:
        name, access = obj
        if not isinstance(name, str) or not name or access not in ACCESSES:
            raise ValueError("touch %r: want (non-empty name, one of %s)" % (obj, ", ".join(ACCESSES)))
        entries.append([name, access])
    return _Touch(touch=entries)


def accepted(server, folder="INBOX"):
    """deliver's reply for a stored message: where it went."""
    return {"result": "accepted", "server": server, "folder": folder}


class Store:
    """Base class: declare what hello announces; override the ops."""

    name = "store"
    servers = []
    points = []  # names, or (name, help) pairs
    holding = []
    recovery = []
    # True: every step declares everything it reads or changes with
    # `yield touch(...)`, and hello says so; intransit may then skip orders
    # of steps that commute. False: touches are not sent, nothing is skipped.
    footprints = False

    def __init__(self, options):
        pass

    def reset(self):
        raise NotImplementedError

    def provision(self, user, server, messages):
        raise NotImplementedError

    def deliver(self, user, message):
        raise NotImplementedError

    def move(self, user, to):
        raise NotImplementedError

    def recover(self, user):
        raise ValueError("this store offers no recovery")

    def inspect(self):
        raise NotImplementedError


class ProtocolError(Exception):
    pass


def _hello_reply(store):
    pts = []
    for p in store.points:
        if isinstance(p, (tuple, list)):
            pts.append({"name": p[0], "help": p[1]})
        else:
            pts.append(p)
    return {"protocol": PROTOCOL, "name": store.name, "servers": list(store.servers),
            "points": pts, "holding": list(store.holding), "recovery": list(store.recovery),
            "footprints": bool(store.footprints)}


def serve(store_class, stdin=None, stdout=None):
    """Serves requests until `bye` or EOF. Returns the exit status (0 after bye)."""
    inp = stdin or sys.stdin.buffer
    out = stdout or sys.stdout.buffer
    dumps = json.dumps
    loads = json.loads
    write = out.write
    flush = out.flush
    store = None
    tasks = {}  # id -> the generator waiting at a point

    def send(obj):
        write(dumps(obj, separators=(",", ":")).encode())
        write(b"\n")
        flush()

    def step(rid, gen, value):
        # Runs the task until its next point (sent, then we wait) or its end.
        try:
            while True:
                item = gen.send(value)
                if type(item) is _Note:
                    item["id"] = rid
                    send(item)
                    value = None
                    continue
                if type(item) is _Touch:
                    if store.footprints:
                        item["id"] = rid
                        send(item)
                    value = None
                    continue
                if type(item) is not _Point:
                    raise ProtocolError("a task yielded %r; yield point(...) or note(...)" % (item,))
                item["id"] = rid
                tasks[rid] = gen
                send(item)
                return
        except StopIteration as stop:
            result = stop.value
            reply = result if isinstance(result, dict) else {"result": result}
            reply = dict(reply, id=rid, ok=True)
            send(reply)
        except Exception as e:  # the store's own error: the request fails
            send({"id": rid, "ok": False, "error": "%s: %s" % (type(e).__name__, e)})

    for line in inp:
        if not line.strip():
            continue
        msg = loads(line)
        rid = msg["id"]
        op = msg.get("op")
        if op is None:
            gen = tasks.pop(rid, None)
            if gen is None:
                raise ProtocolError("an answer for request %r, which waits at no point" % (rid,))
            if msg.get("crash"):
                gen.close()  # stops right at the yield: the procedure died there
                send({"id": rid, "ok": True, "result": "crashed"})
            else:
                step(rid, gen, Decision(msg))
            continue
        try:
            if op == "hello":
                if msg.get("protocol") != PROTOCOL:
                    raise ValueError("this store speaks %s, not %r" % (PROTOCOL, msg.get("protocol")))
                store = store_class(msg.get("options") or {})
                send(dict(_hello_reply(store), id=rid, ok=True))
            elif op == "bye":
                send({"id": rid, "ok": True})
                return 0
            elif store is None:
                raise ValueError("no hello yet")
            elif op == "reset":
                tasks.clear()
                store.reset()
                send({"id": rid, "ok": True})
            elif op == "provision":
                store.provision(msg["user"], msg["server"], msg.get("messages") or [])
                send({"id": rid, "ok": True})
            elif op == "inspect":
                servers, directory = store.inspect()
                send({"id": rid, "ok": True, "servers": servers, "directory": directory})
            elif op in ("deliver", "move", "recover"):
                if op == "deliver":
                    gen = store.deliver(msg["user"], msg["message"])
                elif op == "move":
                    gen = store.move(msg["user"], msg["to"])
                else:
                    gen = store.recover(msg["user"])
                if hasattr(gen, "send"):
                    step(rid, gen, None)
                else:  # a plain function: a procedure without points
                    reply = gen if isinstance(gen, dict) else {"result": gen}
                    send(dict(reply, id=rid, ok=True))
            else:
                raise ValueError("unknown op %r" % (op,))
        except Exception as e:
            send({"id": rid, "ok": False, "error": "%s: %s" % (type(e).__name__, e)})
    return 0


def main(store_class):
    """serve() as a program's entry point."""
    sys.exit(serve(store_class))
