"""`batch-conformance`: run the suite, list its cases, check SDK drift, gate on baselines,
compare runs.

Exit codes: 0 nothing failed; 1 a case failed or errored; 2 usage or configuration error;
3 the target could not be reached or provisioned; 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from conformance.errors import TargetError, UsageError
from conformance.options import add_options, run_options
from conformance.run_finish import EXIT_TARGET, EXIT_USAGE
from conformance.runner import run_suite
from conformance.scopes import DEFAULT, SCOPE_NAMES, scope_named
from conformance.targets import TARGET_NAMES


class ArgumentParser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, not the whole usage text."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print one line and exit 2."""
        self.exit(EXIT_USAGE, f"batch-conformance: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = ArgumentParser(prog="batch-conformance", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    add_options(sub.add_parser("run", help="run the suite against a target"))

    drift = sub.add_parser(
        "drift",
        help="compare botocore's model with the seed schemas, or two SDKs (--from A --to B)",
    )
    drift.add_argument(
        "--model",
        type=Path,
        default=None,
        help="a batch service-2.json or a botocore wheel (default: installed)",
    )
    drift.add_argument(
        "--from",
        dest="drift_from",
        default=None,
        metavar="SIDE",
        help="with --to: the older SDK: a botocore version (1.20.88), 'installed', a botocore"
        " wheel or a service-2.json[.gz]; lists what changed and what the suite covers",
    )
    drift.add_argument("--to", dest="drift_to", default=None, metavar="SIDE", help="the newer SDK")
    drift.add_argument(
        "--format",
        dest="drift_format",
        choices=("text", "md", "json"),
        default=None,
        help="with --from/--to: text (default), md or json",
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

    cases = sub.add_parser("cases", help="list every case id with its rule and strength")
    cases.add_argument(
        "--scope",
        default=DEFAULT.name,
        choices=SCOPE_NAMES,
        help=f"whose cases (default {DEFAULT.name})",
    )
    cases.add_argument(
        "--rule",
        action="append",
        default=[],
        help="only the cases of this rule id or finding id (repeatable)",
    )
    cases.add_argument("--format", dest="fmt", default="text", choices=("text", "json"))

    rules = sub.add_parser("rules", help="list every rule with its strength and evidence")
    rules.add_argument("--format", dest="fmt", default="table", choices=("table", "json"))
    rules.add_argument(
        "--scope",
        default=DEFAULT.name,
        choices=SCOPE_NAMES,
        help=f"whose rules (default {DEFAULT.name})",
    )
    return parser


def run_command(args: argparse.Namespace) -> int:
    """`batch-conformance run`."""
    options = run_options(vars(args))
    status, _ = run_suite(options, args.keyword, args.case, args.verbose)
    return status


def drift_command(args: argparse.Namespace) -> int:
    """`drift [--model PATH]` against the seed, or `drift --from A --to B [--format F]`."""
    from conformance.drift import run_drift, run_model_drift

    sides = (args.drift_from, args.drift_to)
    problem = None
    if (sides[0] is None) != (sides[1] is None):
        problem = "drift: --from and --to go together"
    elif sides[0] is not None and args.model is not None:
        problem = "drift: --model compares with the seed; --from/--to compare two SDKs: not both"
    elif sides[0] is None and args.drift_format is not None:
        problem = "drift: --format goes with --from and --to"
    if problem:
        print(f"batch-conformance: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if sides[0] is None:
        return run_drift(args.model, sys.stdout)
    fmt = args.drift_format or "text"
    return run_model_drift(sides[0], sides[1], fmt, sys.stdout, sys.stderr)


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
            return drift_command(args)
        if args.command == "specs":
            from conformance.specgen import regenerate

            return regenerate(args.check, sys.stdout)
        if args.command == "baseline":
            from conformance.baseline_writer import baseline_main

            return int(baseline_main(args.report, args.existing, sys.stdout, args.observed))
        if args.command == "compare":
            from conformance.compare_command import compare_main

            if args.out_dir is None:
                raise UsageError("compare: --out-dir DIR is required (where matrix.md/.html go)")
            return int(compare_main(args.reports, args.out_dir, args.label))
        if args.command == "replay":
            from conformance.replay import replay_main

            return replay_main(args.report, args.case, args.target, args.endpoint_url)
        if args.command == "cases":
            from conformance.cases_command import cases_main

            return cases_main(scope_named(args.scope), args.rule, args.fmt)
        if args.command == "rules":
            from conformance.rules_command import rules_main

            return rules_main(args.fmt, sys.stdout, scope_named(args.scope))
    except UsageError as exc:
        print(f"batch-conformance: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TargetError as exc:
        print(f"batch-conformance: {exc}", file=sys.stderr)
        return EXIT_TARGET
    return EXIT_USAGE  # pragma: no cover - argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
