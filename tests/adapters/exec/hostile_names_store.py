"""A store whose inspect reply names servers, users and folders that look
like paths and carry terminal control sequences: intransit must use none of
them as a path and print none of them raw. Option `victim`: a directory the
names point at (relative to every plausible cwd), which must stay empty."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_store  # noqa: E402

victim = {"dir": ""}


def hello(msg):
    victim["dir"] = (msg.get("options") or {}).get("victim", "")
    tiny_store.hello(msg)


def inspect(msg):
    evil = "../../../../" + victim["dir"].lstrip("/") + "/\x1b[2J\r\n\x00"
    servers = {"src": {}, "dst": {}}
    for user, mail in tiny_store.state["mail"].items():
        servers[tiny_store.state["home"][user]][user] = {"INBOX": [], evil: mail}
        servers["dst"][evil] = {evil: ["<x\x1b]0;pwned\x07@y>"]}
    directory = dict(tiny_store.state["home"])
    directory[evil] = "src"
    tiny_store.send({"id": msg["id"], "ok": True, "servers": servers, "directory": directory})


tiny_store.serve({"hello": hello, "inspect": inspect})
