#!/usr/bin/env python3
"""The HTML report in a real browser (issue #15).

Runs `intransit run` on q277911 and flush-overwrite-long-move with --html,
renders each report in headless Chromium, and checks the DOM the browser
built (--dump-dom): one lane per actor, the decisive step marked and linked
from the verdicts, the replay command present and its copy button shown by
the script. Writes a screenshot of each report under OUT_DIR to look at.

Exit 77 (ctest's SKIP_RETURN_CODE) only when no chromium is installed;
anything else that goes wrong fails.

usage: render_reports.py INTRANSIT SOURCE_DIR OUT_DIR
"""
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile

# suite file, its actors (one lane each), the decisive step of its LOST mail
CASES = [
    ("suites/q277911.toml", ["mover", "sender-1"], 4),
    ("suites/races/flush-overwrite-long-move.toml",
     ["mover"] + [f"sender-{i}" for i in range(1, 6)], 29),
]


class Dom(html.parser.HTMLParser):
    """What the checks need from the browser's DOM."""

    def __init__(self):
        super().__init__()
        self.lanes = []          # th.lane texts
        self.decisive = []       # ids of tr.decisive
        self.links = []          # hrefs of a.decided
        self.replay = ""         # text of the first code[id$=-replay]
        self.copy_hidden = None  # the first copy button's hidden attribute, after the script
        self._in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "th" and "lane" in cls:
            self._in = "lane"
            self.lanes.append("")
        elif tag == "tr" and "decisive" in cls:
            self.decisive.append(a.get("id", ""))
        elif tag == "a" and "decided" in cls:
            self.links.append(a.get("href", ""))
        elif tag == "code" and (a.get("id") or "").endswith("-replay") and not self.replay:
            self._in = "replay"
        elif tag == "button" and "copy" in cls and self.copy_hidden is None:
            self.copy_hidden = "hidden" in a

    def handle_endtag(self, tag):
        if tag in ("th", "code"):
            self._in = None

    def handle_data(self, data):
        if self._in == "lane":
            self.lanes[-1] += data
        elif self._in == "replay":
            self.replay += data


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return ""


def run_browser(browser, profile, args):
    # A profile of its own: other chromium processes on the machine must
    # not share (or lock) ours.
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--user-data-dir={profile}"] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=True).stdout


def main() -> int:
    intransit, source, out = (os.path.abspath(a) for a in sys.argv[1:4])
    browser = chromium()
    if not browser:
        print("SKIPPED: no chromium on this machine (.ci/packages installs Debian's chromium)")
        return 77
    os.makedirs(out, exist_ok=True)
    failures = []
    for suite, actors, step in CASES:
        name = os.path.splitext(os.path.basename(suite))[0]
        report = os.path.join(out, name + ".html")
        subprocess.run([intransit, "run", suite, "--html", report], cwd=source, check=True,
                       capture_output=True, text=True, timeout=300)
        with tempfile.TemporaryDirectory() as profile:
            dom_text = run_browser(browser, profile, ["--dump-dom", "file://" + report])
        with tempfile.TemporaryDirectory() as profile:
            shot = os.path.join(out, name + ".png")
            run_browser(browser, profile, [f"--screenshot={shot}", "--window-size=1800,2000",
                                           "file://" + report])
        dom = Dom()
        dom.feed(dom_text)

        def check(ok, what):
            if not ok:
                failures.append(f"{name}: {what}")

        check(sorted(dom.lanes) == sorted(actors),
              f"lanes {dom.lanes}, expected one per actor {actors}")
        check(len(dom.decisive) >= 1, "no decisive step marked")
        check(f"s1-v1-step{step}" in dom.decisive, f"step {step} not marked: {dom.decisive}")
        check(all("#" + d in dom.links for d in dom.decisive),
              f"decisive rows {dom.decisive} not all linked from the verdicts {dom.links}")
        check(dom.replay.startswith("intransit replay " + suite),
              f"replay command missing: {dom.replay!r}")
        check(dom.copy_hidden is False, "the script did not show the copy button")
        check(os.path.getsize(shot) > 10000, f"screenshot {shot} is empty")
        print(f"{name}: lanes {dom.lanes}, decisive {dom.decisive}, screenshot {shot}")
    for f in failures:
        print("FAILED:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
