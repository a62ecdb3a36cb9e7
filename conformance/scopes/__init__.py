"""The two scopes of the suite, as values: `SEED` and `CURRENT`, which extends it.

A scope carries what it judges: its specs (a folder of schemas generated from a vendored
botocore model and an overlay), its operations, its package of cases, its behaviour files,
and the tables its requests and round trips read (`Tables`). Code takes a scope and asks
it; nothing compares scope names. `SEED` is the four operations of the 2018 change on
their 2018 shapes; `CURRENT` is every operation of the newest vendored model, on today's
shapes, with the seed's tables and more.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from conformance.scopes._current import CURRENT_TABLES
from conformance.scopes._seed import SEED_TABLES
from conformance.scopes._tables import Tables


def _specs_dir() -> Path:
    """The installed wheel ships `specs/` as `conformance/_specs`; a checkout has `specs/`."""
    packaged = Path(__file__).parent.parent / "_specs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent.parent / "specs"


SPECS_DIR: Path = _specs_dir()
PACKAGE_DIR: Path = Path(__file__).parent.parent
BEHAVIOURS_FILE = "behaviours.json"
SEED_OPERATIONS = ("RegisterJobDefinition", "DescribeJobDefinitions", "SubmitJob", "DescribeJobs")


@dataclass(frozen=True, eq=False)
class Scope:
    """What one scope judges, and where it all lives.

    `folder`: the scope's folder of `specs/` ("" for the seed), also the prefix of its
    schema names (`current/SubmitJob.request`). `model_glob`: its vendored botocore model in
    `<folder>/source/`. `fixed_operations`: the operations it judges (empty: every one of
    the model). `judges_implemented`: whether an operation the endpoint lacks is judged
    once, by the scope's probe of each operation, and the other cases that need it are
    skipped (the seed's operations are assumed: a missing one is an error of each case).
    """

    name: str
    about: str
    folder: str
    model_glob: str
    cases_package: str
    tables: Tables
    fixed_operations: tuple[str, ...] = ()
    judges_implemented: bool = False
    extends: Scope | None = field(default=None, repr=False)

    def __str__(self) -> str:
        """The scope's name, as reports and baselines spell it."""
        return self.name

    @property
    def title(self) -> str:
        """`seed: the four operations of the 2018 change, ...`: what the scope judges."""
        return f"{self.name}: {self.about}"

    @property
    def specs(self) -> Path:
        """The folder of the scope's schemas, overlay and behaviours."""
        return SPECS_DIR / self.folder if self.folder else SPECS_DIR

    @property
    def model(self) -> Path:
        """The one vendored botocore model of the scope."""
        found = sorted((self.specs / "source").glob(self.model_glob))
        if len(found) != 1:
            raise FileNotFoundError(
                f"{self.specs / 'source'}: expected one {self.model_glob}, found {len(found)}"
            )
        return found[0]

    @property
    def overlay(self) -> Path:
        """The scope's overlay: the documented limits its schemas carry."""
        return self.specs / "overlay.json"

    @cached_property
    def operations(self) -> tuple[str, ...]:
        """The operations the scope judges."""
        if self.fixed_operations:
            return self.fixed_operations
        model = json.loads(self.model.read_text(encoding="utf-8"))
        return tuple(sorted(model["operations"]))

    @property
    def prefix(self) -> str:
        """`current/` before the scope's schema names ("" for the seed)."""
        return f"{self.folder}/" if self.folder else ""

    def schema_name(self, operation: str, direction: str) -> str:
        """`SubmitJob.request` (seed) or `current/SubmitJob.request` (current)."""
        return f"{self.prefix}{operation}.{direction}"

    def behaviour_files(self) -> list[Path]:
        """Every file of the scope's behaviours: `behaviours.json`, and where the scope
        keeps them by family (`generated.json`, ...), every JSON file of its folder but the
        overlay and the generated schemas."""
        if not self.folder:
            return [self.specs / BEHAVIOURS_FILE]
        return sorted(
            path
            for path in self.specs.glob("*.json")
            if path.name != "overlay.json" and not path.name.endswith(".schema.json")
        )

    @property
    def cases_dir(self) -> Path:
        """The folder of the scope's pytest cases."""
        return PACKAGE_DIR / self.cases_package.rpartition(".")[2]


SEED = Scope(
    name="seed",
    about="the four operations of the 2018 change, on their 2018 shapes",
    folder="",
    model_glob="batch-2016-08-10.service-2.botocore-1.10.2.json",
    cases_package="conformance.cases",
    tables=SEED_TABLES,
    fixed_operations=SEED_OPERATIONS,
)
CURRENT = Scope(
    name="current",
    about="every operation of today's API (newest botocore model)",
    folder="current",
    model_glob="batch-2016-08-10.service-2.botocore-*.json",
    cases_package="conformance.current_cases",
    tables=SEED_TABLES.extended(CURRENT_TABLES),
    judges_implemented=True,
    extends=SEED,
)
SCOPES: tuple[Scope, ...] = (SEED, CURRENT)
SCOPE_NAMES: tuple[str, ...] = tuple(scope.name for scope in SCOPES)
DEFAULT = SEED


def scope_named(name: str) -> Scope:
    """The scope called `name` (`seed` or `current`); ValueError naming both otherwise."""
    for scope in SCOPES:
        if scope.name == name:
            return scope
    raise ValueError(f"unknown scope {name!r}: one of {', '.join(SCOPE_NAMES)}")


def scope_of_package(package: str) -> Scope | None:
    """The scope whose cases `package` holds (None: not one of the suite's)."""
    return next((scope for scope in SCOPES if scope.cases_package == package), None)
