"""`batch-conformance`: run the suite, check SDK drift, gate on baselines, compare runs.

Exit codes: 0 nothing failed; 1 a case failed or errored; 2 usage or configuration error;
3 the target could not be reached or provisioned; 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from conformance.calls import DEFAULT_THROTTLE_RETRIES
from conformance.provision import fargate_network
from conformance.run_finish import EXIT_TARGET, EXIT_USAGE
from conformance.runner import run_suite
from conformance.schemas import SCOPES
from conformance.session import (
    DEFAULT_CONSISTENCY_WAIT_S,
    DEFAULT_EXAMPLES,
    RunOptions,
    check_tuning,
)
from conformance.targets import (
    TARGET_NAMES,
    TargetError,
    TargetOptions,
    UsageError,
    workers_for,
)


class ArgumentParser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, not the whole usage text."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print one line and exit 2."""
        self.exit(EXIT_USAGE, f"batch-conformance: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = ArgumentParser(prog="batch-conformance", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    run = sub.add_parser("run", help="run the suite against a target")
    run.add_argument("--target", default="moto", choices=TARGET_NAMES)
    run.add_argument("--endpoint-url", default=None, help="an emulator's URL (target endpoint)")
    run.add_argument("--region", default="us-east-1")
    run.add_argument(
        "--report-dir",
        type=Path,
        default=None,
        help="where to write the reports (default: a new folder in reports/runs/)",
    )
    run.add_argument(
        "--scope",
        default="seed",
        choices=SCOPES,
        help="seed (default): the four operations of the 2018 change, judged on their 2018"
        " shapes; current: every operation of today's API (newest botocore model)",
    )
    run.add_argument("--job-queue", default=None, help="reuse this job queue")
    run.add_argument(
        "--subnets",
        default=None,
        help="comma-separated subnet IDs: provision a Fargate compute environment"
        " (with --security-groups) whose jobs run",
    )
    run.add_argument(
        "--security-groups", default=None, help="comma-separated security group IDs (Fargate)"
    )
    run.add_argument("--seed", type=int, default=0, help="seed of the generated cases")
    run.add_argument(
        "--examples",
        type=int,
        default=DEFAULT_EXAMPLES,
        help=f"examples per generated case (default {DEFAULT_EXAMPLES})",
    )
    run.add_argument("-k", dest="keyword", default=None, help="pytest -k expression")
    run.add_argument("--case", action="append", default=[], help="run only this case id")
    run.add_argument("--baseline", type=Path, default=None, help="known deviations file")
    run.add_argument(
        "--strict-baseline", action="store_true", help="also fail on baseline entries that now pass"
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="fail on `should` rules too (otherwise their failures are warnings)",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes running cases at once (default: 1 for an emulator on this machine,"
        " 4 for a remote endpoint, 8 for aws)",
    )
    run.add_argument(
        "--consistency-wait",
        type=float,
        default=DEFAULT_CONSISTENCY_WAIT_S,
        metavar="SECONDS",
        help="how long a read waits for a job just submitted to show"
        f" (default {DEFAULT_CONSISTENCY_WAIT_S:.0f})",
    )
    run.add_argument(
        "--throttle-retries",
        type=int,
        default=DEFAULT_THROTTLE_RETRIES,
        metavar="N",
        help="retries of a throttled call, with exponential backoff and jitter"
        f" (default {DEFAULT_THROTTLE_RETRIES})",
    )
    run.add_argument(
        "--allow-real-aws",
        action="store_true",
        help="opt in to --target aws (creates and deletes real resources)",
    )
    run.add_argument("-v", "--verbose", action="store_true", help="one progress line per case")

    drift = sub.add_parser("drift", help="compare botocore's model with the seed schemas")
    drift.add_argument(
        "--model",
        type=Path,
        default=None,
        help="a batch service-2.json or a botocore wheel (default: installed)",
    )

    specs = sub.add_parser("specs", help="regenerate specs/ from the model and overlay")
    specs.add_argument("--check", action="store_true", help="only compare, exit 1 on change")

    base = sub.add_parser("baseline", help="write a baseline from a report.json to stdout")
    base.add_argument("report", type=Path)
    base.add_argument(
        "--existing", type=Path, default=None, help="a baseline whose reasons to keep"
    )
    base.add_argument(
        "--observed",
        action="store_true",
        help="a new entry's reason says what was seen ('observed on moto 5.2.5: ...')"
        " instead of a TODO",
    )

    compare = sub.add_parser("compare", help="side-by-side matrix of several report.json")
    compare.add_argument("reports", type=Path, nargs="+")
    compare.add_argument(
        "--out-dir", type=Path, default=None, help="where to write matrix.md and matrix.html"
    )
    compare.add_argument(
        "--label",
        action="append",
        default=None,
        help="column label per report, in order (default: target, version and botocore"
        " from each report.json, e.g. 'moto 5.2.5 (botocore 1.44.5)')",
    )

    replay = sub.add_parser("replay", help="re-run one case of a report and show its exchanges")
    replay.add_argument("report", type=Path)
    replay.add_argument("case")
    replay.add_argument("--endpoint-url", default=None)
    replay.add_argument("--target", default=None, choices=TARGET_NAMES)

    rules = sub.add_parser("rules", help="list every rule with its strength and evidence")
    rules.add_argument("--format", dest="fmt", default="table", choices=("table", "json"))
    rules.add_argument("--scope", default="seed", choices=SCOPES, help="whose rules (default seed)")
    return parser


def run_command(args: argparse.Namespace) -> int:
    """`batch-conformance run`."""
    if args.examples < 1:
        raise UsageError("--examples must be at least 1")
    if args.endpoint_url and args.target not in {"moto", "endpoint"}:
        raise UsageError(f"--endpoint-url cannot be used with --target {args.target}")
    if args.baseline is not None and not args.baseline.is_file():
        raise UsageError(f"--baseline {args.baseline}: no such file")
    check_tuning(args.consistency_wait, args.throttle_retries)
    target = "endpoint" if args.endpoint_url else args.target
    options = RunOptions(
        target=TargetOptions(
            name=target,
            endpoint_url=args.endpoint_url,
            region=args.region,
            allow_real_aws=args.allow_real_aws,
        ),
        report_dir=args.report_dir,
        job_queue=args.job_queue,
        fargate=fargate_network(args.subnets, args.security_groups, args.job_queue),
        seed=args.seed,
        examples=args.examples,
        scope=args.scope,
        baseline=args.baseline,
        strict_baseline=args.strict_baseline,
        strict=args.strict,
        workers=workers_for(target, args.workers, args.endpoint_url),
        consistency_wait_s=args.consistency_wait,
        throttle_retries=args.throttle_retries,
    )
    status, _ = run_suite(options, args.keyword, args.case, args.verbose)
    return status


def _hypothesis_storage() -> None:
    """Keep hypothesis's files in a cache folder, not in the user's working directory."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(cache / "batch-conformance"))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `batch-conformance` command."""
    _hypothesis_storage()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return run_command(args)
        if args.command == "drift":
            from conformance.drift import run_drift

            return run_drift(args.model, sys.stdout)
        if args.command == "specs":
            from conformance.specgen import regenerate

            return regenerate(args.check, sys.stdout)
        if args.command == "baseline":
            from conformance.baseline import baseline_main

            return int(baseline_main(args.report, args.existing, sys.stdout, args.observed))
        if args.command == "compare":
            from conformance.reports.compare import compare_main

            if args.out_dir is None:
                raise UsageError("compare: --out-dir DIR is required (where matrix.md/.html go)")
            return int(compare_main(args.reports, args.out_dir, args.label))
        if args.command == "replay":
            from conformance.replay import replay_main

            return replay_main(args.report, args.case, args.target, args.endpoint_url)
        if args.command == "rules":
            from conformance.rules_command import rules_main

            return rules_main(args.fmt, sys.stdout, args.scope)
    except UsageError as exc:
        print(f"batch-conformance: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TargetError as exc:
        print(f"batch-conformance: {exc}", file=sys.stderr)
        return EXIT_TARGET
    return EXIT_USAGE  # pragma: no cover - argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
