"""Benchmarks of `awmc serve` over MCP on loopback, beside the AWM-style Python server.

Same load generator (mcp-loadgen from ../shared/bench/awm-python/loadgen), same tool
mixes (its scenarios/read_mix.json and write_mix.json: our shop example has the same
tool names and arguments), same data (the shop example is transcribed from the Python
server's 209 seed rows), same CPU placement (server on CPU 0, load generator on CPU 1).

usage: python3 benches/serve/bench.py [--duration S] [--conc 1,4,16] [--python] [--no-pin]
                                      [--native BINARY] [--read-only]

Measures, in this order:
  1. MCP load: calls/s, p50 and p99 at each concurrency, for
     - read_mix on the default session (/mcp), as AWM serves one database;
     - write_mix on the default session, clients sharing one cart as in the Python
       run (the spec refuses what the Python server lets through, e.g. ordering an empty
       cart another client just ordered: those calls count as errors);
     - write_mix with one session per client (/sessions/<id>/mcp), as a trainer runs
       isolated episodes: one load generator process per client, throughputs summed,
       p50 the median and p99 the worst of the processes.
     The write mixes run on a copy of the shop with every stock raised to 1,000,000, so
     minutes of orders never run out of stock (the Python server never checks stock).
  2. Memory: the server's RSS with 10,000 open sessions.
  3. Time to serve a new spec: spawn `awmc serve` -> first MCP initialize / tools/list.
  4. With --python: the Python baseline's load matrix in the same run
     (../shared/bench/awm-python/run.sh --steps load).
Results: target/bench/serve/results.json and a markdown table on stdout.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEER = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench", "awm-python"))
OUT = os.path.join(ROOT, "target", "bench", "serve")
AWMC = os.path.join(ROOT, "target", "release", "awmc")
LOADGEN_TARGET = os.path.join(ROOT, "target", "bench", "loadgen")
LOADGEN = os.path.join(LOADGEN_TARGET, "release", "mcp-loadgen")
SCENARIOS = os.path.join(PEER, "scenarios")


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pin(args, cpu):
    if args.no_pin or not shutil.which("taskset"):
        return []
    return ["taskset", "-c", str(cpu)]


class Server:
    def __init__(self, args, spec, *flags, binary=None):
        self.port = free_port()
        if binary:
            # A native binary `awmc build` made: it serves its own environment.
            command = pin(args, 0) + [binary, "--port", str(self.port), "--log", "error", *flags]
        else:
            command = pin(args, 0) + [AWMC, "serve", spec, "--port", str(self.port), "--log", "error", *flags]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:
            if "on http://" in line:
                break
        else:
            raise SystemExit("awmc serve did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def post(self, connection, path, body):
        connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        if response.status >= 300:
            raise SystemExit(f"POST {path}: {response.status} {data[:200]!r}")
        return json.loads(data)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def loadgen(args, url, scenario, clients, out):
    command = pin(args, 1) + [
        LOADGEN, "--url", url, "--scenario", os.path.join(SCENARIOS, scenario),
        "-c", str(clients), "-d", str(args.duration), "--warmup", "10",
        "--threads", str(args.threads), "--json-out", out,
    ]
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    with open(out) as f:
        return json.load(f)


def row(result):
    return {
        "calls_per_s": round(result["throughput_cps"], 1),
        "ok_calls_per_s": round(result["ok_throughput_cps"], 1),
        "p50_ms": result["p50_ms"],
        "p99_ms": result["p99_ms"],
        "errors": result["errors"],
        "calls": result["calls"],
    }


def shared_load(args, spec, scenario, clients, label, binary=None):
    server = Server(args, spec, binary=binary)
    try:
        result = loadgen(args, server.url("/mcp"), scenario, clients, os.path.join(OUT, f"{label}-c{clients}.json"))
        out = row(result)
        out["rss_mib"] = round(server.rss_mib(), 1)
        return out
    finally:
        server.stop()


def isolated_load(args, spec, scenario, clients, label):
    server = Server(args, spec)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port)
        urls = [server.url(f"/sessions/{server.post(connection, '/sessions', {})['id']}/mcp") for _ in range(clients)]
        processes = []
        for index, url in enumerate(urls):
            out = os.path.join(OUT, f"{label}-c{clients}-{index}.json")
            command = pin(args, 1) + [
                LOADGEN, "--url", url, "--scenario", os.path.join(SCENARIOS, scenario),
                "-c", "1", "-d", str(args.duration), "--warmup", "10", "--threads", "1", "--json-out", out,
            ]
            processes.append((subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out))
        results = []
        for process, out in processes:
            process.wait()
            with open(out) as f:
                results.append(json.load(f))
        return {
            "calls_per_s": round(sum(r["throughput_cps"] for r in results), 1),
            "ok_calls_per_s": round(sum(r["ok_throughput_cps"] for r in results), 1),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": max(r["p99_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "calls": sum(r["calls"] for r in results),
            "rss_mib": round(server.rss_mib(), 1),
        }
    finally:
        server.stop()


def sessions_memory(args, spec, count):
    server = Server(args, spec, "--max-sessions", str(count))
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port)
        server.post(connection, "/sessions", {})
        base = server.rss_mib()
        started = time.perf_counter()
        for _ in range(count - 1):
            server.post(connection, "/sessions", {})
        elapsed = time.perf_counter() - started
        total = server.rss_mib()
        return {
            "sessions": count,
            "rss_mib_one_session": round(base, 1),
            "rss_mib": round(total, 1),
            "kib_per_session": round((total - base) * 1024 / (count - 1), 1),
            "create_ms_per_session_over_http": round(elapsed * 1000 / (count - 1), 3),
        }
    finally:
        server.stop()


def mock_ceiling(args, clients):
    """The load generator against its own trivial MCP server: the most this client can
    measure on this machine."""
    port = free_port()
    mock = subprocess.Popen(pin(args, 0) + [LOADGEN, "--mock-server", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        return row(loadgen(args, f"http://127.0.0.1:{port}/mcp", "mock_echo.json", clients,
                           os.path.join(OUT, f"mock-c{clients}.json")))
    finally:
        mock.terminate()
        mock.wait()


def cold_start(args, spec, repeat):
    port = free_port()
    command = f"{AWMC} serve {spec} --port {port} --log error"
    out = os.path.join(OUT, "startup.json")
    subprocess.run(
        [LOADGEN, "--startup", command, "--url", f"http://127.0.0.1:{port}/mcp", "--repeat", str(repeat), "--json-out", out],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )
    with open(out) as f:
        return json.load(f)


def print_load(load):
    """The load runs as a markdown table (the mock ceiling rows follow it in a full run)."""
    print("| scenario | sessions | clients | calls/s | ok calls/s | p50 ms | p99 ms | errors | RSS MiB |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in load:
        print(f"| {r['scenario']} | {r['sessions']} | {r['clients']} | {r['calls_per_s']} | {r['ok_calls_per_s']} | "
              f"{r['p50_ms']} | {r['p99_ms']} | {r['errors']} | {r['rss_mib']} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--conc", default="1,4,16")
    parser.add_argument("--threads", type=int, default=2, help="load generator threads (shared-session runs)")
    parser.add_argument("--sessions", type=int, default=10000)
    parser.add_argument("--python", action="store_true", help="also run the Python baseline's load matrix")
    parser.add_argument("--no-pin", action="store_true")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--native", help="also run read_mix against this native shop binary (from `awmc build dsl-spec/examples/shop.awm`)")
    parser.add_argument("--read-only", action="store_true", help="only the read_mix runs (skip writes, memory, start-up)")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if not args.no_build:
        log("building awmc (release) and the load generator")
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "awmc"], cwd=ROOT, check=True)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=os.path.join(PEER, "loadgen"),
                       env={**os.environ, "CARGO_TARGET_DIR": LOADGEN_TARGET}, check=True)
    shop = os.path.join(ROOT, "dsl-spec", "examples", "shop.awm")
    stocked = os.path.join(OUT, "shop_stocked.awm")
    with open(shop) as f:
        text = f.read()
    with open(stocked, "w") as f:
        f.write(re.sub(r"stock_quantity: [0-9]+,", "stock_quantity: 1000000,", text))
    results = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": [], "args": vars(args)}
    results["loadavg_before"] = os.getloadavg()
    python = None
    if args.python:
        log("running the Python baseline (load matrix)")
        env = {**os.environ, "AWM_BENCH_WORK": os.path.join(ROOT, "target", "bench", "awm-python")}
        subprocess.run([os.path.join(PEER, "run.sh"), "--steps", "load", "--reps", "1",
                        "--duration", str(args.duration), "--conc", args.conc] + (["--no-pin"] if args.no_pin else []),
                       env=env, check=False, stdout=sys.stderr)
        with open(os.path.join(env["AWM_BENCH_WORK"], "out", "results.json")) as f:
            python = json.load(f)
        results["python"] = python
    for clients in [int(c) for c in args.conc.split(",")]:
        runs = [("read_mix", "read_mix.json", shop, "shared")]
        if not args.read_only:
            runs += [("write_mix", "write_mix.json", stocked, "shared"),
                     ("write_mix", "write_mix.json", stocked, "isolated")]
        for label, scenario, spec, mode in runs:
            log(f"{label} ({mode} sessions), {clients} clients")
            run = (shared_load if mode == "shared" else isolated_load)(args, spec, scenario, clients, f"{label}-{mode}")
            results["load"].append({"scenario": label, "sessions": mode, "clients": clients, **run})
        if args.native:
            log(f"read_mix (native binary), {clients} clients")
            run = shared_load(args, shop, "read_mix.json", clients, "read_mix-native", binary=args.native)
            results["load"].append({"scenario": "read_mix (native)", "sessions": "shared", "clients": clients, **run})
    if args.read_only:
        with open(os.path.join(OUT, "results.json"), "w") as f:
            json.dump(results, f, indent=2)
        print_load(results["load"])
        return
    results["mock"] = []
    for clients in [int(c) for c in args.conc.split(",")]:
        log(f"load generator ceiling, {clients} clients")
        results["mock"].append({"clients": clients, **mock_ceiling(args, clients)})
    log(f"{args.sessions} sessions")
    results["memory"] = sessions_memory(args, shop, args.sessions)
    log("cold start")
    results["startup"] = cold_start(args, shop, 10)
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print_load(results["load"])
    for r in results["mock"]:
        print(f"| mock (loadgen ceiling) | - | {r['clients']} | {r['calls_per_s']} | {r['ok_calls_per_s']} | "
              f"{r['p50_ms']} | {r['p99_ms']} | {r['errors']} | - |")
    print()
    print("memory:", json.dumps(results["memory"]))
    print("startup:", json.dumps({k: v for k, v in results["startup"].items() if not isinstance(v, list)}))
    if python:
        print("python:", json.dumps(python.get("load", python)[:12] if isinstance(python.get("load"), list) else python.get("load"))[:3000])


if __name__ == "__main__":
    main()
