#!/usr/bin/env python3
"""The nightly recipes run as shipped.

Reads examples/ci/github-actions.yml and examples/k8s/nightly.yaml and runs,
locally, exactly the commands they give the shards and the merge: the
GitHub matrix as one process per shard, the Kubernetes Indexed Job as one
process per completion index (JOB_COMPLETION_INDEX) started together with
the merge Job, each volume a temporary directory. Every shard must exit 0
(a shard without a known bug's violation is not judged), and the merge must
exit 0 with every suite met, as the unsharded run does.

It fails when a recipe calls a script or file that does not exist, uses an
expression or action it does not know, or when the shard count of the
matrix or the Indexed Job differs from the one the commands give.

usage: recipes_test.py SOURCE_DIR BINARY_DIR   (BINARY_DIR holds intransit)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

KNOWN_ACTIONS = ("actions/checkout@", "actions/upload-artifact@", "actions/download-artifact@")
SCRIPT = "examples/ci/nightly-shard.sh"


def fail(message):
    print("recipes_test: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def workdir(source):
    """A checkout stand-in: the script and the suites, nothing written back."""
    d = tempfile.mkdtemp(prefix="intransit-recipes-")
    for name in ("examples", "suites", ".ci"):
        os.symlink(os.path.join(source, name), os.path.join(d, name))
    return d


def environment(binary_dir, *envs):
    env = dict(os.environ)
    env["PATH"] = binary_dir + os.pathsep + env.get("PATH", "")
    for e in envs:
        env.update({k: str(v) for k, v in (e or {}).items()})
    return env


def check_files(text, source, where):
    """Every repository path a command names must exist."""
    for path in re.findall(r"(?<![\w/$])((?:\.ci|examples|suites)/[\w./*-]+)", text):
        if "*" in path:
            continue
        if not os.path.exists(os.path.join(source, path)):
            fail(f"{where} calls {path}, which does not exist")


def start(command, cwd, env, shell):
    return subprocess.Popen(command, cwd=cwd, env=env, shell=False,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) \
        if not shell else subprocess.Popen(["bash", "-e", "-c", command], cwd=cwd, env=env,
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                           text=True)


def finish(procs, what, last_timeout=1800):
    """Waits for every process in turn, the last one at most `last_timeout`
    seconds after the others ended; on a failure, stops the rest (a merge
    waiting for a shard that failed or never ran would wait its whole
    NIGHTLY_WAIT)."""
    for i, (name, p) in enumerate(procs):
        try:
            out, _ = p.communicate(timeout=last_timeout if i == len(procs) - 1 else 1800)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            print(f"--- {what}: {name} (killed)\n{out}")
            fail(f"{what}: {name} still running {last_timeout} s after the others ended")
        print(f"--- {what}: {name} (exit {p.returncode})\n{out}")
        if p.returncode != 0:
            for _, rest in procs[i + 1:]:
                rest.kill()
                rest.wait()
            fail(f"{what}: {name} exited {p.returncode}")


def check_merged(results, where):
    path = os.path.join(results, "merged.json")
    if not os.path.exists(path):
        fail(f"{where}: the merge wrote no {path}")
    with open(path) as f:
        merged = json.load(f)
    suites = merged["suites"]
    if not suites:
        fail(f"{where}: the merged result holds no suite")
    for s in suites:
        if s.get("met") is not True or "shard" in s:
            fail(f"{where}: suite {s['name']} merged as met={s.get('met')} shard={s.get('shard')}")
    for junit in ("merged.junit.xml", "merged.html"):
        if not os.path.exists(os.path.join(results, junit)):
            fail(f"{where}: the merge wrote no {junit}")
    print(f"{where}: {len(suites)} suites merged, all met")


def github(source, binary_dir):
    with open(os.path.join(source, "examples/ci/github-actions.yml")) as f:
        flow = yaml.safe_load(f)
    jobs = flow["jobs"]
    for key in ("shard", "merge"):
        if key not in jobs:
            fail(f"github-actions.yml has no job '{key}'")
    cwd = workdir(source)
    ran = {"shard": 0, "merge": 0}
    try:
        for name in ("build", "shard", "merge"):  # the order `needs` gives
            job = jobs.get(name)
            if job is None:
                continue
            matrix = (job.get("strategy") or {}).get("matrix") or {}
            keys = list(matrix)
            if len(keys) > 1:
                fail(f"job {name}: a matrix of more than one key is not emulated")
            combos = [{keys[0]: v} for v in matrix[keys[0]]] if keys else [{}]
            procs = []
            for step in job["steps"]:
                if "uses" in step:
                    if not step["uses"].startswith(KNOWN_ACTIONS):
                        fail(f"job {name}: unknown action {step['uses']}")
                    continue
                command = step["run"]
                check_files(command, source, f"job {name}")
                if SCRIPT not in command:
                    continue  # set-up (install, build): the test has its own
                for combo in combos:
                    def expand(text):
                        for k, v in combo.items():
                            text = text.replace("${{ matrix.%s }}" % k, str(v))
                        if "${{" in text:
                            fail(f"job {name}: expression left in {text!r}")
                        return text
                    env = environment(binary_dir, flow.get("env"), job.get("env"),
                                      {k: expand(str(v)) for k, v in
                                       (step.get("env") or {}).items()})
                    procs.append((f"{name} {combo}", start(expand(command), cwd, env, True)))
                    ran[name] += 1
            finish(procs, "github")
            if name == "shard" and ran["shard"] != len(combos):
                fail("job shard: not one shard command per matrix entry")
        if ran["merge"] != 1:
            fail(f"job merge: {ran['merge']} merge commands, expected 1")
        check_merged(os.path.join(cwd, "results"), "github")
    finally:
        shutil.rmtree(cwd)


def kubernetes(source, binary_dir):
    with open(os.path.join(source, "examples/k8s/nightly.yaml")) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    jobs = [d for d in docs if d.get("kind") == "Job"]
    claims = {d["metadata"]["name"] for d in docs if d.get("kind") == "PersistentVolumeClaim"}
    if len(jobs) != 2:
        fail(f"nightly.yaml: {len(jobs)} Jobs, expected the shards' and the merge's")
    cwd = workdir(source)
    volumes = {}  # claim -> a local directory
    procs = []
    try:
        for job in jobs:
            spec = job["spec"]
            pod = spec["template"]["spec"]
            claim_of = {}
            for v in pod.get("volumes", []):
                claim = v["persistentVolumeClaim"]["claimName"]
                if claim not in claims:
                    fail(f"job {job['metadata']['name']}: claim {claim} is not in the file")
                claim_of[v["name"]] = volumes.setdefault(claim, tempfile.mkdtemp(dir=cwd))
            indexed = spec.get("completionMode") == "Indexed"
            completions = spec.get("completions", 1)
            for c in pod["containers"]:
                mounts = [(m["mountPath"], claim_of[m["name"]]) for m in c.get("volumeMounts", [])]

                def local(text):
                    for path, d in mounts:
                        text = text.replace(path, d)
                    return text
                argv = [local(a) for a in c.get("command", []) + c.get("args", [])]
                for a in argv:
                    if "$(" in a:
                        fail(f"container {c['name']}: variable reference in {a!r} not emulated")
                check_files(" ".join(argv), source, f"container {c['name']}")
                env = {}
                for e in c.get("env", []):
                    if "value" not in e:
                        fail(f"container {c['name']}: env {e['name']} without a value")
                    env[e["name"]] = local(e["value"])
                for i in range(completions):
                    extra = {"JOB_COMPLETION_INDEX": str(i)} if indexed else {}
                    # workingDir is the checkout: here, the work directory.
                    procs.append((f"{c['name']} {extra}",
                                  start(argv, cwd, environment(binary_dir, env, extra), False)))
        # The merge Job waits for the shards' results: it comes last, and
        # is given two minutes once the shards are done.
        procs.sort(key=lambda p: "JOB_COMPLETION_INDEX" not in p[0])
        finish(procs, "kubernetes", last_timeout=120)
        merged = [d for d in volumes.values() if os.path.exists(os.path.join(d, "merged.json"))]
        if len(merged) != 1:
            fail("kubernetes: no volume holds merged.json")
        check_merged(merged[0], "kubernetes")
    finally:
        shutil.rmtree(cwd)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    source, binary_dir = (os.path.abspath(a) for a in sys.argv[1:])
    if not os.access(os.path.join(binary_dir, "intransit"), os.X_OK):
        fail(f"no intransit in {binary_dir}")
    github(source, binary_dir)
    kubernetes(source, binary_dir)
    print("recipes_test: ok")


if __name__ == "__main__":
    main()
