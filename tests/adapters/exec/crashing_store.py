"""Dies in the middle of a move: a traceback on stderr, exit status 1."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_store  # noqa: E402


def move(msg):
    sys.stderr.write("Traceback (most recent call last):\n")
    sys.stderr.write("KeyError: 'mailbox alice vanished'\n")
    sys.stderr.flush()
    os._exit(1)


tiny_store.serve({"move": move})
