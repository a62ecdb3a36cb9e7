"""Where does a run's time go? Several targets side by side, in one run of this script.

    python scripts/benchmark.py [--latency-ms 80] [--repeat N] [--detail] [-- RUN ARGS]

Runs `batch-conformance run` as a child process (as a user would) on embedded moto, on a
moto server, and on the same kind of moto server behind a proxy that adds `--latency-ms`
to every call (what real AWS costs a CI runner far from its region), then reads each
report.json: every case records its duration and the time spent in endpoint calls. Embedded
moto also runs `--scope current` (every operation of today's API), whose budget is 3x the
seed run's wall time. The
latency proxy is on this machine, so the latency run asks for the workers a run on real
AWS gets (`--latency-workers`); moto's server sees one request at a time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.awslike: the latency proxy the tests use too

from conformance.targets import DEFAULT_WORKERS  # noqa: E402 - after the path is set


def one_run(target_args: list[str], extra: list[str]) -> tuple[float, dict[str, object]]:
    """Run the suite once; its wall time and report."""
    with tempfile.TemporaryDirectory(prefix="bc-bench-") as tmp:
        command = [sys.executable, "-m", "conformance", "run", *target_args]
        command += ["--report-dir", tmp, *extra]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        if done.returncode not in (0, 1):
            sys.exit(f"benchmark: the run exited {done.returncode}: {done.stderr.strip()[-300:]}")
        report = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))
    return wall, report


@contextmanager
def slow_moto_server(latency_s: float) -> Iterator[str]:
    """A moto server behind a proxy that adds `latency_s` to every call; yields its URL."""
    from conformance.targets.moto_server import MotoServer
    from tests.awslike.proxy import AwsLikeProxy

    server = MotoServer("us-east-1")
    server.start()
    try:
        assert server.endpoint_url
        proxy = AwsLikeProxy(server.endpoint_url, latency_s=latency_s)  # serial upstream
        proxy.start()
        try:
            yield proxy.url
        finally:
            proxy.stop()
    finally:
        server.stop()


def describe(wall: float, report: dict[str, object]) -> list[str]:
    """Lines that show where the time went."""
    results = report["results"]
    assert isinstance(results, list)
    in_cases = sum(r["duration_s"] for r in results)
    in_calls = sum(r["call_s"] for r in results)
    calls = sum(len(r["exchanges"]) for r in results)
    suite = float(report["duration_s"])  # type: ignore[arg-type]
    lines = [
        f"wall time (process start to exit)   {wall:7.2f} s",
        f"suite time (target up to reports)   {suite:7.2f} s",
        f"  start-up outside the suite        {wall - suite:7.2f} s (imports, pytest collection)",
        f"  inside cases                      {in_cases:7.2f} s over {len(results)} cases",
        f"    inside endpoint calls           {in_calls:7.2f} s",
        f"    outside calls (suite's own)     {in_cases - in_calls:7.2f} s",
        f"  provisioning, cleanup, reports    {suite - in_cases:7.2f} s",
        f"time per case                       {1000 * in_cases / max(len(results), 1):7.1f} ms"
        f" (median {1000 * statistics.median(r['duration_s'] for r in results):.1f} ms)",
        f"kept exchanges (last {6} per case)   {calls}",
    ]
    by_module: dict[str, list[float]] = defaultdict(list)
    for result in results:
        by_module[result["id"].split("::")[0]].append(result["duration_s"])
    lines.append("per case family:")
    for module, times in sorted(by_module.items(), key=lambda kv: -sum(kv[1])):
        lines.append(f"  {module:30} {sum(times):6.2f} s  {len(times):4} cases")
    lines.append("slowest cases:")
    for result in sorted(results, key=lambda r: -r["duration_s"])[:8]:
        lines.append(
            f"  {result['duration_s']:6.2f} s (calls {result['call_s']:5.2f} s)  {result['id']}"
        )
    return lines


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument(
        "--latency-workers",
        type=int,
        default=DEFAULT_WORKERS["aws"],
        help="workers of the latency run (default: what a run on aws gets)",
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--detail", action="store_true", help="where each run's time went")
    parser.add_argument("extra", nargs="*", help="more `run` options, after --")
    args = parser.parse_args()
    latency = f"moto-server +{args.latency_ms:.0f} ms/call"
    walls: dict[str, list[float]] = defaultdict(list)
    for index in range(args.repeat):
        runs = [
            ("moto", ["--target", "moto"]),
            ("moto --scope current", ["--target", "moto", "--scope", "current"]),
            ("moto-server", ["--target", "moto-server"]),
        ]
        for name, target_args in runs:
            wall, report = one_run(target_args, args.extra)
            walls[name].append(wall)
            _show(name, index, args, wall, report)
        with slow_moto_server(args.latency_ms / 1000) as url:
            workers = ["--workers", str(args.latency_workers)]
            wall, report = one_run(["--endpoint-url", url, *workers], args.extra)
        walls[latency].append(wall)
        _show(latency, index, args, wall, report)
    plain = statistics.median(walls["moto-server"])
    print(f"== side by side (median wall time over {args.repeat} run(s))")
    for name, times in walls.items():
        each = " / ".join(f"{t:.1f}" for t in times)
        print(f"  {name:28} {statistics.median(times):7.2f} s  (each run: {each} s)")
    print(f"  latency run / moto-server    {statistics.median(walls[latency]) / plain:7.2f} x")
    seed, current = (
        statistics.median(walls["moto"]),
        statistics.median(walls["moto --scope current"]),
    )
    print(f"  scope current / seed (moto)  {current / seed:7.2f} x  (budget: 3 x)")


def _show(
    name: str, index: int, args: argparse.Namespace, wall: float, report: dict[str, object]
) -> None:
    workers = report.get("workers", 1)
    counts = report.get("summary", {})
    assert isinstance(counts, dict)
    outcomes = ", ".join(f"{counts.get(o, 0)} {o}" for o in ("passed", "failed", "error"))
    print(
        f"== {name}, run {index + 1}/{args.repeat}: {wall:.2f} s wall,"
        f" {workers} worker(s), {outcomes}"
    )
    if args.detail:
        print("\n".join(describe(wall, report)))


if __name__ == "__main__":
    main()
