"""Hangs in a move, ignoring SIGTERM, with a child of its own that sleeps:
only SIGKILL to the whole process group ends them. The child's pid goes to
the pidfile too."""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_store  # noqa: E402

options = {}


def hello(msg):
    options.update(msg.get("options") or {})
    tiny_store.hello(msg)


def move(msg):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    child = subprocess.Popen(["sleep", "1000"])
    if options.get("pidfile"):
        with open(options["pidfile"], "a") as f:
            f.write("%d\n" % child.pid)
    while True:
        time.sleep(1000)


tiny_store.serve({"hello": hello, "move": move})
