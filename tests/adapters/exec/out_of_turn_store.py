"""Does not wait its turn: while the move waits at `create`, the delivery's
request makes it answer the move instead."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_store  # noqa: E402

waiting = {}


def move(msg):
    waiting["move"] = msg["id"]
    tiny_store.send({"id": msg["id"], "point": "create", "server": msg["to"], "user": msg["user"]})


def deliver(msg):
    tiny_store.send({"id": waiting["move"], "ok": True, "result": "done"})
    sys.stdin.readline()


tiny_store.serve({"move": move, "deliver": deliver})
