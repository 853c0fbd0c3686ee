"""A store that sends the touch lines a test scripts, for the footprint tests.

Built on tiny_store.py. Options (given in hello):
  hello_footprints  raw JSON put as hello's `footprints` (absent: no field);
  move              the move's script: a list of items run in order, each
                    either "POINT name" (announce the point, wait for the
                    answer) or a raw line to write, with ID replaced by the
                    request's id; then the move replies done;
  provision         raw lines written during provision, before its reply;
  pidfile           as tiny_store.py.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_store  # noqa: E402

opts = {}


def raw(line, rid):
    sys.stdout.write(line.replace("ID", str(rid)) + "\n")
    sys.stdout.flush()


def hello(msg):
    opts.update(msg.get("options") or {})
    if opts.get("pidfile"):
        with open(opts["pidfile"], "a") as f:
            f.write("%d\n" % os.getpid())
    reply = {"id": msg["id"], "ok": True, "protocol": tiny_store.PROTOCOL, "name": "touching",
             "servers": ["src", "dst"], "points": ["create", "copy", "deliver"], "holding": []}
    if "hello_footprints" in opts:
        reply["footprints"] = json.loads(opts["hello_footprints"])
    tiny_store.send(reply)


def move(msg):
    rid = msg["id"]
    for item in opts.get("move", []):
        if item.startswith("POINT "):
            tiny_store.send({"id": rid, "point": item[6:], "server": msg["to"],
                             "user": msg["user"]})
            json.loads(sys.stdin.readline())
        else:
            raw(item, rid)
    tiny_store.state["home"][msg["user"]] = msg["to"]
    tiny_store.send({"id": rid, "ok": True, "result": "done"})


def provision(msg):
    for line in opts.get("provision", []):
        raw(line, msg["id"])
    tiny_store.default(msg)


tiny_store.serve({"hello": hello, "move": move, "provision": provision})
