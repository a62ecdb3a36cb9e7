"""Where does a run's time go? Wall time, time inside endpoint calls, outside, per case.

    python scripts/benchmark.py [--target moto|moto-server|ministack] [--repeat N] [-- ARGS]

Runs `batch-conformance run` as a child process (as a user would), then reads its
report.json: every case records its duration and the time spent in endpoint calls.
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
from pathlib import Path


def one_run(target: str, extra: list[str]) -> tuple[float, dict[str, object]]:
    """Run the suite once; its wall time and report."""
    with tempfile.TemporaryDirectory(prefix="bc-bench-") as tmp:
        command = [
            sys.executable,
            "-m",
            "conformance",
            "run",
            "--target",
            target,
            "--report-dir",
            tmp,
            *extra,
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        if done.returncode not in (0, 1):
            sys.exit(f"benchmark: the run exited {done.returncode}: {done.stderr.strip()[-300:]}")
        report = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))
    return wall, report


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
    parser.add_argument("--target", default="moto")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("extra", nargs="*", help="more `run` options, after --")
    args = parser.parse_args()
    walls = []
    for index in range(args.repeat):
        wall, report = one_run(args.target, args.extra)
        walls.append(wall)
        print(f"== run {index + 1}/{args.repeat} on {args.target}")
        print("\n".join(describe(wall, report)))
    if args.repeat > 1:
        print(
            f"== wall time over {args.repeat} runs: min {min(walls):.2f} s,"
            f" median {statistics.median(walls):.2f} s, max {max(walls):.2f} s"
        )


if __name__ == "__main__":
    main()
