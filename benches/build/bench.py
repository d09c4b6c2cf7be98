"""Benchmarks of `awmc build`: from a spec to a running native binary.

usage: python3 benches/build/bench.py [--awmc PATH] [--cache DIR] [--debug]
                                      [--repeat 3] [--sizes 10,100]

Measures, in this order, with one build cache (default target/bench/build/cache, kept
between runs; delete it to measure a cold cache):
  1. Warm-up: `awmc build` of the shop example (a cold build when the cache is new).
  2. New spec, warm cache: a copy of the shop example under a new environment name,
     `--repeat` times (median): `awmc build` until it prints the binary, then the binary
     until it listens. Each run must not compile awm-runtime again (cargo's "Compiling"
     lines are checked).
  3. Bulk: N specs (copies of the examples, cycled, each with a new environment name)
     built into one host binary, for each N of `--sizes`: total and per environment, and
     the host's start time and environment count.
Results: target/bench/build/results.json and a markdown table on stdout.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "dsl-spec" / "examples").glob("*.awm"))
OUT = ROOT / "target" / "bench" / "build"


def renamed(text, name):
    """The spec with its `env` header renamed."""
    renamed_text, count = re.subn(r"^env\s+\w+", f"env {name}", text, count=1, flags=re.M)
    if count != 1:
        sys.exit(f"no `env` header to rename to {name}")
    return renamed_text


def build(awmc, cache, args, cwd):
    """Runs `awmc build ARGS`; (seconds, binary, stderr)."""
    env = dict(os.environ, AWMC_CACHE=str(cache))
    started = time.perf_counter()
    done = subprocess.run([awmc, "build", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"awmc build {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    binary = done.stdout.strip().splitlines()[-1]
    return seconds, binary, done.stderr


def start(binary):
    """Starts a built binary on a free port; (seconds until it listens, envs served)."""
    started = time.perf_counter()
    server = subprocess.Popen([binary, "--port", "0", "--log", "warn"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        for line in server.stderr:
            match = re.search(r"serving (\d+) environments? on http://", line)
            if match:
                return time.perf_counter() - started, int(match.group(1))
        sys.exit(f"{binary} stopped before listening")
    finally:
        server.terminate()
        server.wait()


def compiled(stderr):
    return [line.split()[1] for line in stderr.splitlines()
            if line.strip().startswith("Compiling ")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--awmc", default=str(ROOT / "target" / "release" / "awmc"))
    parser.add_argument("--cache", default=str(OUT / "cache"))
    parser.add_argument("--debug", action="store_true", help="build debug binaries")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10,100")
    options = parser.parse_args()
    awmc = Path(options.awmc).resolve()
    if not awmc.exists():
        sys.exit(f"no {awmc}: run `cargo build --release -p awmc` first")
    cache = Path(options.cache).resolve()
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    profile = ["--debug"] if options.debug else []
    run_id = time.strftime("%H%M%S")
    results = {"profile": "debug" if options.debug else "release", "cache": str(cache)}

    print(f"warm-up: shop example into {cache}", file=sys.stderr)
    seconds, _, stderr = build(awmc, cache, [str(ROOT / "dsl-spec/examples/shop.awm"),
                                             "--out", "out", *profile], work)
    results["warm_up_s"] = seconds
    results["warm_up_compiled_crates"] = len(compiled(stderr))

    shop = (ROOT / "dsl-spec/examples/shop.awm").read_text()
    runs = []
    for index in range(options.repeat):
        name = f"bench_new_{run_id}_{index}"
        spec = work / f"{name}.awm"
        spec.write_text(renamed(shop, name))
        seconds, binary, stderr = build(awmc, cache, [str(spec), "--out", "out", *profile], work)
        listening, _ = start(binary)
        recompiled = [c for c in compiled(stderr) if c != f"awm-env-{name}"]
        runs.append({"build_s": seconds, "start_s": listening, "also_compiled": recompiled})
        print(f"new spec {index + 1}: build {seconds:.2f} s, listening after "
              f"{listening * 1000:.0f} ms, also compiled: {recompiled or 'nothing'}",
              file=sys.stderr)
    results["new_spec"] = {
        "runs": runs,
        "median_build_s": statistics.median(r["build_s"] for r in runs),
        "median_to_listening_s": statistics.median(r["build_s"] + r["start_s"] for r in runs),
        "runtime_recompiled": any("awm-runtime" in r["also_compiled"] for r in runs),
    }

    results["bulk"] = []
    for size in [int(s) for s in options.sizes.split(",") if s]:
        folder = work / f"bulk_{run_id}_{size}"
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(size):
            example = EXAMPLES[index % len(EXAMPLES)]
            name = f"{example.stem}_{run_id}_{size}_{index}"
            (folder / f"{name}.awm").write_text(renamed(example.read_text(), name))
        seconds, binary, stderr = build(awmc, cache, [str(folder), "--out", f"out_{size}",
                                                      *profile], work)
        listening, served = start(binary)
        if served != size:
            sys.exit(f"the host serves {served} environments, not {size}")
        entry = {"envs": size, "build_s": seconds, "per_env_s": seconds / size,
                 "start_s": listening,
                 "runtime_recompiled": "awm-runtime" in compiled(stderr),
                 "binary_bytes": Path(binary).stat().st_size}
        results["bulk"].append(entry)
        print(f"bulk {size}: {seconds:.1f} s ({seconds / size:.2f} s per environment), "
              f"listening after {listening * 1000:.0f} ms", file=sys.stderr)

    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    new = results["new_spec"]
    print(f"| awmc build ({results['profile']}, warm cache) | time |")
    print("|---|---|")
    print(f"| warm-up (first build into this cache: {results['warm_up_compiled_crates']} "
          f"crates compiled) | {results['warm_up_s']:.1f} s |")
    print(f"| new spec → binary, median of {options.repeat} | {new['median_build_s']:.2f} s |")
    print(f"| new spec → binary listening, median | {new['median_to_listening_s']:.2f} s |")
    print(f"| awm-runtime recompiled for a new spec | {'yes' if new['runtime_recompiled'] else 'no'} |")
    for entry in results["bulk"]:
        print(f"| {entry['envs']} specs → one host binary | {entry['build_s']:.1f} s "
              f"({entry['per_env_s']:.2f} s per environment; starts in "
              f"{entry['start_s'] * 1000:.0f} ms; {entry['binary_bytes'] / 1e6:.1f} MB) |")


if __name__ == "__main__":
    main()
