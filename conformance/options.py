"""The run's options, declared once: the CLI (`--name`) and the pytest plugin
(`--batch-name`) are both built from `OPTIONS`, and both turn what was given into one
`RunOptions` through `run_options`."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.calls import DEFAULT_THROTTLE_RETRIES
from conformance.errors import UsageError
from conformance.provision import FargateNetwork
from conformance.roles import ROLE_ARN, GivenRoles
from conformance.scopes import DEFAULT, SCOPE_NAMES, Scope, scope_named
from conformance.targets import TARGET_NAMES, TargetOptions, workers_for

DEFAULT_EXAMPLES = 10
DEFAULT_CONSISTENCY_WAIT_S = 20.0
PLUGIN_PREFIX = "batch-"


@dataclass
class RunOptions:
    """Everything that shapes a run."""

    target: TargetOptions
    report_dir: Path | None = None
    job_queue: str | None = None
    fargate: FargateNetwork | None = None  # --subnets/--security-groups
    roles: GivenRoles = field(default_factory=GivenRoles)  # --*-role-arn: used, never made
    seed: int = 0
    examples: int = DEFAULT_EXAMPLES
    baseline: Path | None = None
    strict_baseline: bool = False
    strict: bool = False
    workers: int = 1
    workers_given: bool = False  # --workers was given (else `workers` is the target's default)
    consistency_wait_s: float = DEFAULT_CONSISTENCY_WAIT_S
    throttle_retries: int = DEFAULT_THROTTLE_RETRIES
    step_summary: bool = True  # append report.md to $GITHUB_STEP_SUMMARY when set
    scope: Scope = DEFAULT  # SEED: the 2018 operations; CURRENT: every operation of today


@dataclass(frozen=True)
class Option:
    """One option of `run`: `--name` on the CLI, `--batch-name` in the plugin.

    `cli_only`: options of the CLI's own run (workers, -k, -v), which plugin users have
    pytest's own for.
    """

    name: str
    help: str
    default: Any = None
    type: Callable[[str], Any] | None = None
    action: str | None = None
    choices: tuple[str, ...] | None = None
    metavar: str | None = None
    cli_only: bool = False
    short: str | None = None

    @property
    def dest(self) -> str:
        """`consistency_wait` for `consistency-wait`."""
        return self.name.replace("-", "_")

    def flag(self, prefix: str = "") -> str:
        """`--consistency-wait`, or `--batch-consistency-wait` with the plugin's prefix."""
        return f"--{prefix}{self.name}"

    def add_to(self, parser: Any, prefix: str = "") -> None:
        """Declare this option on an argparse parser or a pytest option group."""
        kwargs: dict[str, Any] = {"dest": f"{prefix}{self.dest}".replace("-", "_")}
        kwargs["help"] = self.help
        if self.action:
            kwargs["action"] = self.action
        if self.action != "store_true":
            kwargs["default"] = [] if self.action == "append" else self.default
        if self.type is not None:
            kwargs["type"] = self.type
        if self.choices is not None:
            kwargs["choices"] = self.choices
        if self.metavar is not None:
            kwargs["metavar"] = self.metavar
        names = [self.flag(prefix)]
        if self.short and not prefix:
            names.insert(0, self.short)
        parser.addoption(*names, **kwargs) if prefix else parser.add_argument(*names, **kwargs)


OPTIONS: tuple[Option, ...] = (
    Option(
        "target", f"the endpoint to test: {', '.join(TARGET_NAMES)}", "moto", choices=TARGET_NAMES
    ),
    Option("endpoint-url", "an emulator's URL (implies the endpoint target)"),
    Option("region", "the region of the target (default %(default)s)", "us-east-1"),
    Option(
        "scope",
        "seed (default): the four operations of the 2018 change, judged on their 2018 shapes;"
        " current: every operation of today's API (newest botocore model)",
        DEFAULT.name,
        choices=SCOPE_NAMES,
    ),
    Option(
        "report-dir",
        "where to write report.json/.md/.html and junit.xml (default: a new folder in"
        " reports/runs/)",
        type=Path,
    ),
    Option("job-queue", "reuse this job queue instead of creating one"),
    Option(
        "subnets",
        "comma-separated subnet IDs: provision a Fargate compute environment (with"
        " --security-groups) whose jobs run",
    ),
    Option("security-groups", "comma-separated security group IDs (Fargate, with --subnets)"),
    Option(
        "service-role-arn",
        "the Batch service role of the run's compute environment: used as it is, no IAM role"
        " is made (an endpoint without IAM needs it, unless it takes none)",
        metavar="ARN",
    ),
    Option(
        "job-role-arn",
        "the role the cases pass as jobRoleArn: used as it is, no IAM role is made",
        metavar="ARN",
    ),
    Option(
        "execution-role-arn",
        "the execution role of the Fargate job definition (with --subnets): used as it is",
        metavar="ARN",
    ),
    Option("seed", "seed of the generated cases (same seed, same cases)", 0, type=int),
    Option(
        "examples",
        f"examples per generated case (default {DEFAULT_EXAMPLES})",
        DEFAULT_EXAMPLES,
        type=int,
    ),
    Option(
        "case",
        "run only this case id, or the cases of this rule id or finding id (repeatable;"
        " `batch-conformance cases` lists them)",
        action="append",
    ),
    Option("baseline", "known deviations: listed failures do not fail the run", type=Path),
    Option("strict-baseline", "also fail on baseline entries that now pass", action="store_true"),
    Option(
        "strict", "fail on `should` rules too (otherwise they are warnings)", action="store_true"
    ),
    Option(
        "consistency-wait",
        "how long a read waits for what the run just made or changed to show"
        f" (default {DEFAULT_CONSISTENCY_WAIT_S:.0f})",
        DEFAULT_CONSISTENCY_WAIT_S,
        type=float,
        metavar="SECONDS",
    ),
    Option(
        "throttle-retries",
        "retries of a throttled call, with exponential backoff and jitter"
        f" (default {DEFAULT_THROTTLE_RETRIES})",
        DEFAULT_THROTTLE_RETRIES,
        type=int,
        metavar="N",
    ),
    Option(
        "allow-real-aws",
        "opt in to the aws target (creates and deletes real resources)",
        action="store_true",
    ),
    Option(
        "workers",
        "processes running cases at once (default: 1 for an emulator on this machine, 4 for"
        " a remote endpoint, 8 for aws)",
        type=int,
        cli_only=True,
    ),
    Option("keyword", "pytest -k expression", short="-k", cli_only=True),
    Option("verbose", "one progress line per case", action="store_true", short="-v", cli_only=True),
)


def add_options(parser: argparse.ArgumentParser) -> None:
    """The `run` subcommand's options."""
    for option in OPTIONS:
        option.add_to(parser)


def add_plugin_options(group: Any) -> None:
    """The plugin's `--batch-*` options (pytest has its own -k, -v and -n)."""
    for option in OPTIONS:
        if not option.cli_only:
            option.add_to(group, PLUGIN_PREFIX)


def check_tuning(consistency_wait_s: float, throttle_retries: int) -> None:
    """UsageError for a wait or a retry budget that makes no sense."""
    if not 0 <= consistency_wait_s <= 600:
        raise UsageError("--consistency-wait must be between 0 and 600 seconds")
    if not 0 <= throttle_retries <= 20:
        raise UsageError("--throttle-retries must be between 0 and 20")


def fargate_network(
    subnets: str | None,
    security_groups: str | None,
    job_queue: str | None,
    flags: tuple[str, str, str] = ("--subnets", "--security-groups", "--job-queue"),
) -> FargateNetwork | None:
    """The Fargate network from the comma-separated options (UsageError: one line)."""
    if subnets is None and security_groups is None:
        return None
    subnet_flag, group_flag, queue_flag = flags

    def ids(value: str | None, flag: str) -> tuple[str, ...]:
        found = tuple(part.strip() for part in (value or "").split(",") if part.strip())
        if not found:
            raise UsageError(
                f"{subnet_flag} and {group_flag} go together (a Fargate compute environment"
                f" needs both): {flag} is missing or empty"
            )
        return found

    network = FargateNetwork(ids(subnets, subnet_flag), ids(security_groups, group_flag))
    if job_queue:
        raise UsageError(
            f"{subnet_flag}/{group_flag} provision a Fargate compute environment:"
            f" not with {queue_flag}, which reuses yours"
        )
    return network


def given_roles(values: Mapping[str, Any], prefix: str = "") -> GivenRoles:
    """The role ARNs given (UsageError, one line, for one that is not an IAM role ARN)."""
    for name in ("service-role-arn", "job-role-arn", "execution-role-arn"):
        arn = values.get(name.replace("-", "_"))
        if arn is not None and not ROLE_ARN.match(arn):
            raise UsageError(
                f"--{prefix}{name} {arn!r}: not an IAM role ARN"
                " (arn:aws:iam::<account>:role/<name>)"
            )
    return GivenRoles(
        service=values.get("service_role_arn"),
        job=values.get("job_role_arn"),
        execution=values.get("execution_role_arn"),
    )


def run_options(values: Mapping[str, Any], prefix: str = "") -> RunOptions:
    """The RunOptions of what was given (values by `Option.dest`); UsageError, one line,
    naming the option as it was given (`--batch-...` in the plugin)."""

    def flag(name: str) -> str:
        return f"--{prefix}{name}"

    if values["examples"] < 1:
        raise UsageError(f"{flag('examples')} must be at least 1")
    url = values["endpoint_url"]
    if url and values["target"] not in {"moto", "endpoint"}:
        raise UsageError(
            f"{flag('endpoint-url')} cannot be used with {flag('target')} {values['target']}"
        )
    baseline = Path(values["baseline"]) if values["baseline"] else None
    if baseline is not None and not baseline.is_file():
        raise UsageError(f"{flag('baseline')} {baseline}: no such file")
    check_tuning(values["consistency_wait"], values["throttle_retries"])
    target = "endpoint" if url else values["target"]
    flags = (flag("subnets"), flag("security-groups"), flag("job-queue"))
    return RunOptions(
        target=TargetOptions(
            name=target,
            endpoint_url=url,
            region=values["region"],
            allow_real_aws=values["allow_real_aws"],
        ),
        report_dir=Path(values["report_dir"]) if values["report_dir"] else None,
        job_queue=values["job_queue"],
        fargate=fargate_network(
            values["subnets"], values["security_groups"], values["job_queue"], flags
        ),
        roles=given_roles(values, prefix),
        seed=values["seed"],
        examples=values["examples"],
        scope=scope_named(values["scope"]),
        baseline=baseline,
        strict_baseline=values["strict_baseline"],
        strict=values["strict"],
        workers=workers_for(target, values.get("workers"), url),
        workers_given=values.get("workers") is not None,
        consistency_wait_s=values["consistency_wait"],
        throttle_retries=values["throttle_retries"],
    )
