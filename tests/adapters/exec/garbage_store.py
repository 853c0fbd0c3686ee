"""Writes a line that is not JSON in the middle of a move (a debug print)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_store  # noqa: E402


def move(msg):
    sys.stdout.write("moving alice now...\n")
    sys.stdout.flush()
    sys.stdin.readline()  # waits for what never comes


tiny_store.serve({"move": move})
