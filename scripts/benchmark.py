"""Where does a run's time go? Each measurement side by side, in one run of this script.

    python scripts/benchmark.py [--repeat N] [--latency-ms 80] [--settle-s 3]
                                [--only bare,latency,settle] [--detail] [-- RUN ARGS]

- bare: for each scope, `batch-conformance run --target moto` beside its bare calls: the
  same Batch and IAM calls made with boto3 on embedded moto and nothing else
  (`scripts/bare_calls.py`, from the log of one more run: BATCH_CONFORMANCE_CALL_LOG),
  alternating suite and bare `--repeat` times; the ratio of their CPU times (user + system
  of the process and what it waited for) is what the suite's own work costs (budget 1.5x).
- latency: a moto server, then the same kind of server behind a proxy that adds
  `--latency-ms` to every call (what real AWS costs a CI runner far from its region), run
  with the workers a run on real AWS gets (`--latency-workers`); wall-time ratio (budget
  2.5x).
- settle: `--scope current` on the AWS-like endpoint (a moto server behind
  `tests/awslike`'s proxy) whose compute environments and job queues stay CREATING,
  UPDATING, DELETING for `--settle-s`, beside the same endpoint where they settle at once,
  both with `--settle-workers`; wall-time ratio (budget 3x) and whether the verdicts agree.

Pairs run in turn (A B A B ...) so that a machine whose speed drifts moves both; medians
are quoted. Every run is a child process, as a user would start it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.awslike: the proxy the tests use too

from conformance.call_log import CALL_LOG_ENV  # noqa: E402 - after the path is set
from conformance.targets import DEFAULT_WORKERS  # noqa: E402

BUDGETS = {"bare": 1.5, "latency": 2.5, "settle": 3.0}
SECTIONS = tuple(BUDGETS)
BARE_CALLS = ROOT / "scripts" / "bare_calls.py"


@dataclass
class Timed:
    """One child process: wall and CPU seconds, and the run's report (None: not a run)."""

    wall: float
    cpu: float
    report: dict[str, Any] | None = None


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[Timed, str]:
    """Run `command`; its times (CPU: user + system of it and what it waited for) and what it
    printed on stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if child.returncode not in (0, 1):
        what = " ".join(command[:6])
        sys.exit(f"benchmark: {what} ... exited {child.returncode}: {stderr[-400:]}")
    return Timed(wall, usage.ru_utime + usage.ru_stime), stderr


def one_run(run_args: list[str], extra: list[str], env: dict[str, str] | None = None) -> Timed:
    """Run the suite once; its times and report."""
    with tempfile.TemporaryDirectory(prefix="bc-bench-") as tmp:
        command = [sys.executable, "-m", "conformance", "run", *run_args]
        done, _ = timed([*command, "--report-dir", tmp, *extra], env)
        done.report = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))
    return done


@contextmanager
def proxied_moto_server(**proxy: Any) -> Iterator[str]:
    """A moto server behind the AWS-like proxy with `proxy`'s switches; yields its URL."""
    from conformance.targets.moto_server import MotoServer
    from tests.awslike.proxy import AwsLikeProxy

    server = MotoServer("us-east-1")
    server.start()
    try:
        assert server.endpoint_url
        front = AwsLikeProxy(server.endpoint_url, **proxy)  # one request at a time upstream
        front.start()
        try:
            yield front.url
        finally:
            front.stop()
    finally:
        server.stop()


def verdicts(report: dict[str, Any] | None) -> dict[str, str]:
    """Case id -> outcome."""
    return {r["id"]: r["outcome"] for r in (report or {}).get("results", [])}


def pair_ratio(a: list[Timed], b: list[Timed], what: str) -> float:
    """The median of the pairwise ratios A/B of `what` (wall or cpu)."""
    return float(
        statistics.median(getattr(x, what) / getattr(y, what) for x, y in zip(a, b, strict=True))
    )


def show(name: str, runs: list[Timed]) -> str:
    """`name  median wall, median cpu (each run)`."""
    walls = " / ".join(f"{r.wall:.1f}" for r in runs)
    cpus = " / ".join(f"{r.cpu:.1f}" for r in runs)
    return (
        f"  {name:40} wall {statistics.median(r.wall for r in runs):7.2f} s ({walls})"
        f"   cpu {statistics.median(r.cpu for r in runs):7.2f} s ({cpus})"
    )


def bare_section(args: argparse.Namespace, lines: list[str]) -> None:
    """Each scope on embedded moto beside its bare calls; then the scopes side by side."""
    suites: dict[str, list[Timed]] = {}
    for scope in ("seed", "current"):
        run_args = ["--target", "moto", "--scope", scope]
        with tempfile.TemporaryDirectory(prefix="bc-calls-") as tmp:
            log = str(Path(tmp) / "calls.jsonl")
            logged = one_run(run_args, args.extra, {CALL_LOG_ENV: log})
            calls = sum(1 for line in Path(log).read_text().splitlines() if '"operation"' in line)
            suite: list[Timed] = []
            bare: list[Timed] = []
            for index in range(args.repeat):
                suite.append(one_run(run_args, args.extra))
                bare.append(timed([sys.executable, str(BARE_CALLS), log])[0])
                _progress(f"bare {scope}", index, args, suite[-1], bare[-1])
        same = all(verdicts(r.report) == verdicts(logged.report) for r in suite)
        name = f"--scope {scope} (moto)"
        lines += [
            f"{name}: {len(verdicts(logged.report))} cases, {calls} calls"
            f" (verdicts the same in every run: {same})",
            show("suite", suite),
            show("its bare calls", bare),
            f"  suite / bare calls   cpu {pair_ratio(suite, bare, 'cpu'):5.2f} x"
            f"   wall {pair_ratio(suite, bare, 'wall'):5.2f} x"
            + (f"   (budget {BUDGETS['bare']} x cpu)" if scope == "seed" else ""),
        ]
        if args.detail:
            lines += describe(suite[-1])
        suites[scope] = suite
    wall, cpu = (pair_ratio(suites["current"], suites["seed"], what) for what in ("wall", "cpu"))
    lines.append(
        f"--scope current / seed (moto)   wall {wall:5.2f} x   cpu {cpu:5.2f} x   (budget 3 x wall)"
    )


def latency_section(args: argparse.Namespace, lines: list[str]) -> None:
    """A moto server, and one behind a proxy that adds latency to every call."""
    plain: list[Timed] = []
    slow: list[Timed] = []
    workers = ["--workers", str(args.latency_workers)]
    for index in range(args.repeat):
        plain.append(one_run(["--target", "moto-server"], args.extra))
        with proxied_moto_server(latency_s=args.latency_ms / 1000) as url:
            slow.append(one_run(["--endpoint-url", url, *workers], args.extra))
        _progress("latency", index, args, slow[-1], plain[-1])
    lines += [
        f"latency: moto server, and behind +{args.latency_ms:.0f} ms per call"
        f" with {args.latency_workers} workers",
        show("moto-server", plain),
        show(f"+{args.latency_ms:.0f} ms/call, {args.latency_workers} workers", slow),
        f"  latency / plain      wall {pair_ratio(slow, plain, 'wall'):5.2f} x"
        f"   (budget {BUDGETS['latency']} x)",
    ]
    if args.detail:
        lines += describe(slow[-1])


def settle_section(args: argparse.Namespace, lines: list[str]) -> None:
    """`--scope current` where resources take `--settle-s` to settle, and where they do not."""
    plain: list[Timed] = []
    slow: list[Timed] = []
    run_args = ["--scope", "current", "--workers", str(args.settle_workers)]
    for index in range(args.repeat):
        for settle_s, into in ((0.0, plain), (args.settle_s, slow)):
            with proxied_moto_server(settle_s=settle_s, scope=_current()) as url:
                into.append(one_run(["--endpoint-url", url, *run_args], args.extra))
        _progress("settle", index, args, slow[-1], plain[-1])
    same = all(verdicts(r.report) == verdicts(plain[0].report) for r in plain + slow)
    lines += [
        f"settle: --scope current on the AWS-like endpoint, {args.settle_workers} workers"
        f" (verdicts the same in every run: {same})",
        show("resources settle at once", plain),
        show(f"each state lasts {args.settle_s:.0f} s", slow),
        f"  settling / at once   wall {pair_ratio(slow, plain, 'wall'):5.2f} x"
        f"   (budget {BUDGETS['settle']} x)",
    ]
    lines += differing(plain + slow)
    if args.detail:
        lines += describe(slow[-1])


def differing(runs: list[Timed]) -> list[str]:
    """One line per case whose outcome is not the same in every run (its outcomes, in turn)."""
    seen = [verdicts(r.report) for r in runs]
    cases = sorted(set().union(*seen))
    return [
        f"    differs: {case}: {' / '.join(s.get(case, '-') for s in seen)}"
        for case in cases
        if len({s.get(case) for s in seen}) > 1
    ]


def _current() -> Any:
    from conformance.scopes import CURRENT

    return CURRENT


def describe(done: Timed) -> list[str]:
    """Lines that show where one run's time went."""
    report = done.report or {}
    results = report.get("results", [])
    in_cases = sum(r["duration_s"] for r in results)
    in_calls = sum(r["call_s"] for r in results)
    suite = float(report.get("duration_s", 0.0))
    outside = suite - in_cases / report.get("workers", 1)
    lines = [
        f"    wall time (process start to exit)   {done.wall:7.2f} s",
        f"    suite time (target up to reports)   {suite:7.2f} s",
        f"      start-up outside the suite        {done.wall - suite:7.2f} s",
        f"      inside cases (summed)             {in_cases:7.2f} s over {len(results)} cases",
        f"        inside endpoint calls           {in_calls:7.2f} s",
        f"      provisioning, cleanup, reports    {outside:7.2f} s"
        " (less the cases' time per worker)",
    ]
    by_module: dict[str, list[float]] = defaultdict(list)
    for result in results:
        by_module[result["id"].split("::")[0]].append(result["duration_s"])
    lines.append("    per case family:")
    for module, times in sorted(by_module.items(), key=lambda kv: -sum(kv[1])):
        lines.append(f"      {module:30} {sum(times):6.2f} s  {len(times):4} cases")
    lines.append("    slowest cases:")
    for result in sorted(results, key=lambda r: -r["duration_s"])[:8]:
        lines.append(
            f"      {result['duration_s']:6.2f} s (calls {result['call_s']:5.2f} s)  {result['id']}"
        )
    return lines


def _progress(what: str, index: int, args: argparse.Namespace, a: Timed, b: Timed) -> None:
    print(
        f"[{what} {index + 1}/{args.repeat}] {a.wall:.1f} s wall {a.cpu:.1f} s cpu"
        f" | {b.wall:.1f} s wall {b.cpu:.1f} s cpu",
        file=sys.stderr,
        flush=True,
    )


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="pairs per measurement")
    parser.add_argument("--only", default=",".join(SECTIONS), help="bare,latency,settle")
    parser.add_argument("--latency-ms", type=float, default=80.0)
    parser.add_argument(
        "--latency-workers",
        type=int,
        default=DEFAULT_WORKERS["aws"],
        help="workers of the latency run (default: what a run on aws gets)",
    )
    parser.add_argument("--settle-s", type=float, default=3.0)
    parser.add_argument(
        "--settle-workers",
        type=int,
        default=DEFAULT_WORKERS["endpoint"],
        help="workers of both settle runs (default: what a remote endpoint gets)",
    )
    parser.add_argument("--detail", action="store_true", help="where each run's time went")
    parser.add_argument("extra", nargs="*", help="more `run` options, after --")
    args = parser.parse_args()
    sections = {"bare": bare_section, "latency": latency_section, "settle": settle_section}
    lines: list[str] = [f"== side by side, {args.repeat} pair(s) each (medians)"]
    load = os.getloadavg()
    lines.append(f"machine: {os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    for name in args.only.split(","):
        sections[name.strip()](args, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
