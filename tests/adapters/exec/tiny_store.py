"""A minimal intransit-exec/1 store for the exec adapter's failure tests.

It behaves until told otherwise: each misbehaving store (crashing_store.py,
hanging_store.py, ...) replaces the handling of one op. One user on `src`,
a move that announces `create` and replies done, a delivery that announces
`deliver` and stores into INBOX. The option `pidfile` (given in hello)
receives this process's pid, so a test can check it is gone afterwards.
"""
import json
import os
import sys

PROTOCOL = "intransit-exec/1"
state = {"mail": {}, "home": {}}


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def hello(msg):
    pidfile = (msg.get("options") or {}).get("pidfile")
    if pidfile:
        with open(pidfile, "a") as f:
            f.write("%d\n" % os.getpid())
    send({"id": msg["id"], "ok": True, "protocol": PROTOCOL, "name": "tiny",
          "servers": ["src", "dst"], "points": ["create", "deliver"], "holding": []})


def default(msg):
    op, rid = msg.get("op"), msg["id"]
    if op == "hello":
        hello(msg)
    elif op == "reset":
        state["mail"].clear()
        state["home"].clear()
        send({"id": rid, "ok": True})
    elif op == "provision":
        state["mail"][msg["user"]] = list(msg["messages"])
        state["home"][msg["user"]] = msg["server"]
        send({"id": rid, "ok": True})
    elif op == "move":
        send({"id": rid, "point": "create", "server": msg["to"], "user": msg["user"]})
        answer = json.loads(sys.stdin.readline())
        if answer.get("crash"):
            send({"id": rid, "ok": True, "result": "crashed"})
        elif answer.get("fail"):
            send({"id": rid, "ok": True, "result": "failed"})
        else:
            state["home"][msg["user"]] = msg["to"]
            send({"id": rid, "ok": True, "result": "done"})
    elif op == "deliver":
        user = msg["user"]
        send({"id": rid, "point": "deliver", "server": state["home"].get(user, ""),
              "user": user, "message": msg["message"]})
        answer = json.loads(sys.stdin.readline())
        if answer.get("crash"):
            send({"id": rid, "ok": True, "result": "crashed"})
        elif answer.get("fail"):
            send({"id": rid, "ok": True, "result": "tempfail"})
        else:
            state["mail"].setdefault(user, []).append(msg["message"])
            send({"id": rid, "ok": True, "result": "accepted", "server": state["home"][user]})
    elif op == "inspect":
        servers = {"src": {}, "dst": {}}
        for user, mail in state["mail"].items():
            servers[state["home"][user]][user] = {"INBOX": mail}
        send({"id": rid, "ok": True, "servers": servers, "directory": state["home"]})
    elif op == "bye":
        send({"id": rid, "ok": True})
        sys.exit(0)
    else:
        send({"id": rid, "ok": False, "error": "unknown op %r" % op})


def serve(overrides=None):
    """Serves stdin; `overrides` maps an op to a function(msg) that replaces it."""
    overrides = overrides or {}
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        msg = json.loads(line)
        overrides.get(msg.get("op"), default)(msg)


if __name__ == "__main__":
    serve()
