"""Replies to the move with an id that was never sent."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_store  # noqa: E402


def move(msg):
    tiny_store.send({"id": msg["id"] + 1000, "ok": True, "result": "done"})
    sys.stdin.readline()


tiny_store.serve({"move": move})
