#!/usr/bin/env python3
"""Runs `ecsplan` on hostile inputs and counts hangs and crashes per class of input.

    cargo build --release -p ecsplan
    python3 tests/hostile/hostile_cli.py [--ecsplan target/release/ecsplan] [--mutations 2000]

Classes: truncated plans, binary and non-UTF-8 bytes, huge files and counts, deep nesting,
self-referencing templates and YAML, numbers out of range, mutated sample plans, control
characters and byte order marks, and hostile surroundings (a closed pipe, a full disk).

Every run has a time limit (--timeout, 20 s): past it, the run is a hang. A crash is a run that
ends by a signal other than SIGPIPE, with an exit status outside the documented 0, 1, 2 (and
141 for a closed pipe), or with "panicked" on standard error. A human-output run that writes
a raw ESC, BEL, CR or C1 control to the terminal counts as a crash too. The table printed at
the end is the one in docs/hostile-input.md. Generated files go to a temporary directory.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = sorted(
    os.path.join(ROOT, "public", "plans", f)
    for f in os.listdir(os.path.join(ROOT, "public", "plans"))
    if f.endswith(".json")
)

RESULTS = defaultdict(lambda: {"runs": 0, "hangs": 0, "crashes": 0, "slowest": 0.0})
FAILURES = []


def run(cls, args, ecsplan, timeout, stdin=None, stdout=subprocess.PIPE, human=True, pipe_head=None):
    """One run of ecsplan, classified."""
    r = RESULTS[cls]
    r["runs"] += 1
    start = time.monotonic()
    proc = subprocess.Popen(
        [ecsplan] + args,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )
    try:
        if pipe_head is not None:
            # Read a little, then close the pipe, as `| head -c N` does.
            proc.stdout.read(pipe_head)
            proc.stdout.close()
            err = proc.stderr.read()
            proc.wait(timeout=timeout)
            out = b""
        else:
            out, err = proc.communicate(input=stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        r["hangs"] += 1
        FAILURES.append((cls, "hang", args))
        return None
    elapsed = time.monotonic() - start
    r["slowest"] = max(r["slowest"], elapsed)
    code = proc.returncode
    out = out or b""
    problem = None
    if code < 0 and code != -signal.SIGPIPE:
        problem = f"killed by signal {-code}"
    elif code not in (0, 1, 2, 141, -signal.SIGPIPE):
        problem = f"exit status {code}"
    elif b"panicked" in err:
        problem = "panicked"
    elif human and any(c in out for c in (b"\x1b", b"\x07", b"\r", b"\x00", b"\xc2\x9b")):
        problem = "raw control character on the terminal"
    if problem:
        r["crashes"] += 1
        FAILURES.append((cls, problem, args, err.decode("utf-8", "replace")[-400:]))
    return code, out, err


def write(tmp, name, data):
    path = os.path.join(tmp, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)
    return path


def plan_commands(path, service="web"):
    """Every command that reads a plan, with human output unless --json."""
    return [
        (["validate", path], True),
        (["validate", path, "--json"], False),
        (["place", path], True),
        (["place", path, "--explain", "all", "--json"], False),
        (["deploy", path, "--service", service], True),
        (["simulate", path, "--duration", "3600"], True),
        (["whatif", path, "--lose-az", "us-east-1a"], True),
        (["whatif", path, "--fit", service], True),
        (["export", path, "--format", "cloudformation"], False),
        (["export", path, "--format", "terraform"], False),
        (["import", path], False),
    ]


def all_commands(cls, path, ecsplan, timeout, quick=False):
    cmds = plan_commands(path)
    if quick:
        cmds = [cmds[0], cmds[2], cmds[8], cmds[10]]
    for args, human in cmds:
        run(cls, args, ecsplan, timeout, human=human)


BASE = os.path.join(ROOT, "public", "plans", "two-az-web.json")


def sample():
    """The plan most mutations start from: EC2 instances in two zones, a capacity provider,
    services `web` (behind a load balancer, auto scaled) and `worker`."""
    with open(BASE) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecsplan", default=os.path.join(ROOT, "target", "release", "ecsplan"))
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--mutations", type=int, default=300)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    if not os.path.exists(a.ecsplan):
        sys.exit(f"{a.ecsplan} not found: cargo build --release -p ecsplan")
    rng = random.Random(a.seed)
    e, t = a.ecsplan, a.timeout
    tmp = tempfile.mkdtemp(prefix="ecsplan-hostile-")

    # 1. Truncated plans: 25 cut points in each sample.
    for i, s in enumerate(SAMPLES):
        text = open(s, "rb").read()
        for k in range(1, 26):
            cut = len(text) * k // 26
            p = write(tmp, f"trunc-{i}-{k}.json", text[:cut])
            all_commands("truncated plans", p, e, t, quick=True)

    # 2. Binary and non-UTF-8 input, on files and on standard input.
    blobs = {
        "empty": b"",
        "nul": b"\x00",
        "random-1k": bytes(rng.getrandbits(8) for _ in range(1024)),
        "random-1m": os.urandom(1 << 20),
        "latin1": "{\"schemaVersion\": 1, \"name\": \"caf\xe9\"}".encode("latin-1"),
        "utf16": "\ufeff{\"schemaVersion\": 1}".encode("utf-16"),
        "lone-surrogate": b"{\"schemaVersion\": 1, \"name\": \"\\ud800\"}",
        "overlong-utf8": b"{\"name\": \"\xc0\xaf\"}",
        "elf": open(e, "rb").read(1 << 16),
    }
    for name, data in blobs.items():
        p = write(tmp, f"bin-{name}.json", data)
        all_commands("binary and non-UTF-8 bytes", p, e, t, quick=True)
        run("binary and non-UTF-8 bytes", ["validate", "-"], e, t, stdin=data)
        run("binary and non-UTF-8 bytes", ["import", "-"], e, t, stdin=data, human=False)

    # 3. Huge: files past the 64 MiB limit, big valid JSON, counts at and past the limits.
    big = write(tmp, "huge-65m.json", b" " * (64 * 1024 * 1024 + 1))
    run("huge files and counts", ["validate", big], e, t)
    run("huge files and counts", ["import", big], e, t, human=False)
    arr = write(tmp, "huge-array.json", "[" + ",".join(["1"] * 5_000_000) + "]")
    all_commands("huge files and counts", arr, e, t, quick=True)
    long_str = write(tmp, "huge-string.json", json.dumps({"schemaVersion": 1, "name": "x" * 20_000_000}))
    all_commands("huge files and counts", long_str, e, t, quick=True)
    for n_inst, desired in [(10_000, 100_000), (10_001, 1), (5_000, 5_000), (100, 2_000_000_000)]:
        p = sample()
        p["cluster"]["containerInstances"] = [
            {"id": f"i-{i:06d}", "instanceType": "m5.large", "availabilityZone": ["us-east-1a", "us-east-1b"][i % 2]}
            for i in range(n_inst)
        ]
        for cp in p["cluster"].get("capacityProviders", []):
            cp.get("autoScalingGroup", {})["MaxSize"] = 10
        p["services"][0]["desiredCount"] = desired
        p["services"][0].pop("autoScaling", None)
        path = write(tmp, f"huge-{n_inst}-{desired}.json", json.dumps(p))
        for args, human in [(["validate", path], True), (["place", path, "--json"], False), (["export", path, "--format", "cli-json", "--force"], False)]:
            run("huge files and counts", args, e, t, human=human)
    many_td = sample()
    many_td["taskDefinitions"] = many_td["taskDefinitions"] * 6000
    p = write(tmp, "huge-taskdefs.json", json.dumps(many_td))
    all_commands("huge files and counts", p, e, t, quick=True)

    # 4. Deep nesting: JSON brackets, YAML blocks and flows, CQL parentheses.
    for depth in (100, 1_000, 100_000):
        write_and = [
            ("json-array", "[" * depth + "]" * depth),
            ("json-object", "{\"a\":" * depth + "1" + "}" * depth),
            ("yaml-block", "".join("  " * i + "a:\n" for i in range(min(depth, 5000))) + "  " * min(depth, 5000) + "b: 1\n"),
            ("yaml-flow", "a: " + "[" * depth + "]" * depth + "\n"),
            ("yaml-seq", "".join("  " * i + "-\n" for i in range(min(depth, 5000)))),
        ]
        for name, text in write_and:
            p = write(tmp, f"deep-{name}-{depth}.json", text)
            all_commands("deep nesting", p, e, t, quick=True)
            run("deep nesting", ["import", p, "--from", "cloudformation"], e, t, human=False)
            run("deep nesting", ["import", p, "--from", "compose"], e, t, human=False)
    for depth in (10, 33, 200, 2000):
        p = sample()
        p["services"][0]["placementConstraints"] = [{"type": "memberOf", "expression": "not(" * depth + "runningTasksCount == 0" + ")" * depth}]
        path = write(tmp, f"deep-cql-{depth}.json", json.dumps(p))
        all_commands("deep nesting", path, e, t, quick=True)

    # 5. Self-referencing: nested !Sub, !Join chains, Ref and Condition cycles, alias bombs.
    def nested_sub(depth, fan):
        v = "x"
        for level in reversed(range(depth)):
            var = f"v{level}"
            v = {"Fn::Sub": ["${" + var + "}" * 1 + ("${" + var + "}") * (fan - 1), {var: v}]}
        return v

    def template(family):
        return {"Resources": {"TD": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
            "Family": family, "ContainerDefinitions": [{"Name": "a", "Image": "nginx", "Memory": 256}]}}}}

    selfref = {
        "sub-30x4": json.dumps(template(nested_sub(30, 4))),
        "sub-12x10": json.dumps(template(nested_sub(12, 10))),
        # A chain is linear in the text (JSON has no sharing): 40 levels evaluate, 120 pass
        # JSON's nesting limit.
        "join-chain-40": json.dumps(template(
            __import__("functools").reduce(lambda v, _: {"Fn::Join": ["-", [v, "b"]]}, range(40), "a"))),
        "join-chain-120": json.dumps(template(
            __import__("functools").reduce(lambda v, _: {"Fn::Join": ["-", [v, "b"]]}, range(120), "a"))),
        "join-of-subs": json.dumps(template(
            __import__("functools").reduce(
                lambda v, i: {"Fn::Join": ["", [{"Fn::Sub": ["${x}${x}", {"x": v}]}, f"v{i}"]]}, range(20), "a"))),
        "ref-cycle": json.dumps({
            "Conditions": {"A": {"Condition": "B"}, "B": {"Condition": "A"}},
            "Parameters": {"P": {"Type": "String", "Default": {"Ref": "P"}}},
            "Resources": {"TD": {"Type": "AWS::ECS::TaskDefinition", "Condition": "A", "Properties": {
                "Family": {"Fn::If": ["A", {"Ref": "TD"}, {"Fn::Sub": "${TD}${P}"}]},
                "ContainerDefinitions": [{"Name": "a", "Image": {"Ref": "TD"}, "Memory": 256}]}}}}),
        "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)),
        "alias-self": "a: &a\n  b: *a\n",
        "merge-loop": "x: &x\n  <<: *x\n",
        "compose-anchors": "x-a: &a {image: nginx}\nservices:\n" + "".join(f"  s{i}: *a\n" for i in range(2000)),
    }
    for name, text in selfref.items():
        ext = "json" if text.startswith("{") else "yaml"
        p = write(tmp, f"selfref-{name}.{ext}", text)
        for fmt in ("auto", "cloudformation", "compose"):
            run("self-referencing templates and YAML", ["import", p, "--from", fmt], e, t, human=False)
        run("self-referencing templates and YAML", ["validate", p], e, t)
    # The same template used as a plan's task definition, through `import --into`.
    p = write(tmp, "selfref-into.json", selfref["sub-30x4"])
    run("self-referencing templates and YAML", ["import", p, "--into", BASE], e, t, human=False)

    # 6. Numbers out of range and counts past the quotas.
    cases = [
        ("/services/0/desiredCount", 2_000_000_000), ("/services/0/desiredCount", 4_000_000_000),
        ("/services/0/desiredCount", -1), ("/services/0/desiredCount", 5001), ("/services/0/desiredCount", 1e300),
        ("/services/0/deploymentConfiguration", {"maximumPercent": 2**62, "minimumHealthyPercent": 50}),
        ("/services/0/deploymentConfiguration", {"maximumPercent": 2**31 - 1, "minimumHealthyPercent": 100}),
        ("/services/0/deploymentConfiguration", {"maximumPercent": -2**63, "minimumHealthyPercent": -5}),
        ("/services/0/healthCheckGracePeriodSeconds", 2**31 - 1),
        ("/taskDefinitions/0/containerDefinitions/0/cpu", 10**18),
        ("/taskDefinitions/0/containerDefinitions/0/memory", 2**63 - 1),
        ("/taskDefinitions/0/containerDefinitions/0/memoryReservation", 2**31 - 1),
        ("/taskDefinitions/0/cpu", "1000000000000000000"), ("/taskDefinitions/0/memory", "9223372036854775807"),
        ("/taskDefinitions/0/cpu", "1e308 vcpu"), ("/taskDefinitions/0/memory", "1e400 GB"),
        ("/taskDefinitions/0/containerDefinitions/0/portMappings", [{"containerPort": 70000, "hostPort": 2**40}]),
        ("/cluster/capacityProviders/0/autoScalingGroup/MaxSize", 2_000_000_000),
        ("/cluster/capacityProviders/0/autoScalingGroup/MaxSize", 10_001),
        ("/services/0/autoScaling/maxCapacity", 5001), ("/services/0/autoScaling/minCapacity", -3),
        ("/tasks", [{"taskDefinition": "web", "count": 10**6}]), ("/tasks", [{"taskDefinition": "web", "count": 11}]),
        ("/settings", {"seed": 2**64 - 1, "simulation": {"instanceLaunchSeconds": 2**32 - 1}}),
        ("/settings", {"seed": -1}),
    ]
    for k, (pointer, value) in enumerate(cases):
        p = sample()
        parent, key = pointer.rsplit("/", 1)
        node = p
        for part in parent.strip("/").split("/"):
            if part:
                node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        node[key] = value
        path = write(tmp, f"range-{k}.json", json.dumps(p))
        all_commands("numbers out of range", path, e, t)
        run("numbers out of range", ["simulate", path, "--duration", "31622400"], e, t)

    # 7. Mutated sample plans (byte flips, deletions, insertions of tokens, duplicated slices).
    tokens = ["{", "}", "[", "]", "\"", ":", ",", "null", "-1", "1e308", "4294967296", "\\u0000",
              "\"desiredCount\": 100000", "\"count\": 11", "\"DAEMON\"", "\"FARGATE\"", "\n", "\ufeff",
              "\"memberOf\"", "not(", "=~", "\"binpack\"", "\"spread\"", "\"instanceId\""]
    texts = [open(s).read() for s in SAMPLES]
    for n in range(a.mutations):
        b = list(rng.choice(texts))
        for _ in range(rng.randint(1, 8)):
            op = rng.randrange(4)
            pos = rng.randrange(len(b) + 1)
            if op == 0 and b:
                b[min(pos, len(b) - 1)] = chr(rng.randrange(32, 127))
            elif op == 1:
                del b[pos:pos + rng.randint(1, 20)]
            elif op == 2:
                b[pos:pos] = list(rng.choice(tokens))
            else:
                start = rng.randrange(len(b) + 1)
                b[pos:pos] = b[start:start + rng.randint(1, 200)]
        path = write(tmp, f"mut-{n}.json", "".join(b))
        cmds = plan_commands(path)
        for args, human in [cmds[0], cmds[2], cmds[4], cmds[6], cmds[8]]:
            run("mutated sample plans", args, e, t, human=human)

    # 8. Control characters in names and a byte order mark.
    p = sample()
    p["name"] = "evil\x1b]0;owned\x07\r\x00\x9b2J\u202e"
    p["services"][0]["serviceName"] = "web\x1b[2J"
    p["tasks"] = [{"taskDefinition": "web", "group": "g\x1b[31m\nfake", "count": 1, "launchType": "EC2"}]
    p["cluster"]["containerInstances"][0]["id"] = "i-\x1b[5m\r"
    path = write(tmp, "controls.json", json.dumps(p))
    all_commands("control characters and BOM", path, e, t)
    for i, s in enumerate(SAMPLES):
        path = write(tmp, f"bom-{i}.json", b"\xef\xbb\xbf" + open(s, "rb").read())
        all_commands("control characters and BOM", path, e, t, quick=True)

    # 9. Hostile surroundings: a closed pipe, a full disk, an unwritable --out.
    p = sample()
    p["services"][0]["desiredCount"] = 4000
    p["services"][0].pop("autoScaling", None)
    path = write(tmp, "pipe.json", json.dumps(p))
    for args in (["place", path], ["place", path, "--json"], ["validate", path, "--json"], ["export", path, "--format", "cloudformation"]):
        run("closed pipe and full disk", args, e, t, pipe_head=10, human=False)
    if os.path.exists("/dev/full"):
        for args in (["place", path], ["export", BASE, "--format", "terraform"], ["validate", BASE, "--json"]):
            with open("/dev/full", "wb") as full:
                res = run("closed pipe and full disk", args, e, t, stdout=full, human=False)
            # A run killed by a signal is counted as a crash already.
            if res and res[0] >= 0 and res[0] != 2:
                RESULTS["closed pipe and full disk"]["crashes"] += 1
                FAILURES.append(("closed pipe and full disk", f"exit {res[0]} on a full disk", args))
    run("closed pipe and full disk", ["export", BASE, "--format", "cli-json", "--out", "/dev/full/x"], e, t)

    # The table.
    print(f"\n{'class':<40} {'runs':>6} {'hangs':>6} {'crashes':>8} {'slowest':>9}")
    total = {"runs": 0, "hangs": 0, "crashes": 0}
    for cls, r in RESULTS.items():
        print(f"{cls:<40} {r['runs']:>6} {r['hangs']:>6} {r['crashes']:>8} {r['slowest']:>8.2f}s")
        for k in total:
            total[k] += r[k]
    print(f"{'total':<40} {total['runs']:>6} {total['hangs']:>6} {total['crashes']:>8}")
    for f in FAILURES[:40]:
        print("FAIL", *f, sep="\n  ")
    sys.exit(1 if total["hangs"] or total["crashes"] else 0)


if __name__ == "__main__":
    main()
