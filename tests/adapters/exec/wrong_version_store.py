"""Answers hello with protocol intransit-exec/2."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_store  # noqa: E402


def hello(msg):
    tiny_store.send({"id": msg["id"], "ok": True, "protocol": "intransit-exec/2",
                     "name": "future", "servers": ["src", "dst"], "points": []})


tiny_store.serve({"hello": hello})
