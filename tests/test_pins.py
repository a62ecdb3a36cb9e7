"""The test environments' pins (constraints/): whole, within the product's ranges, used by tox."""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
TEST_PINS = ROOT / "constraints" / "test.txt"
SDK_PINS = ROOT / "constraints" / "sdk.txt"
MOTO_OLDEST_PINS = ROOT / "constraints" / "moto-oldest.txt"
# What sdk-oldest pins itself (or botocore 1.20.88 caps) and sdk-newest upgrades.
SDK_OWNED = {"boto3", "botocore", "s3transfer", "jmespath", "urllib3"}
TOOLS = {"ruff", "mypy"}
# What moto-oldest pins itself: moto at the product's minimum, and what that moto pins exactly.
MOTO_OWNED = {"moto", "py-partiql-parser"}


def pins(path: Path) -> dict[str, Version]:
    """`name==version` lines of a constraints file, by canonical name."""
    found: dict[str, Version] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"{path.name}: not an exact pin: {line!r}"
        found[canonicalize_name(name)] = Version(version)
    return found


def product_requirements() -> list[Requirement]:
    """The product's dependencies and the ministack extra, from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["ministack"]]
    return [Requirement(text) for text in declared]


def tox_ini() -> configparser.ConfigParser:
    """tox.ini, read without interpolation."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "tox.ini", encoding="utf-8")
    return parser


def test_every_dependency_and_tool_is_pinned_within_its_range() -> None:
    """Each direct dependency (and ruff, mypy) has a pin that the product's range allows."""
    pinned = pins(TEST_PINS)
    for requirement in product_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not pinned in constraints/test.txt"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"constraints/test.txt pins {name}=={pinned[name]}, outside {requirement}:"
            " run `tox -e pins`"
        )
    assert set(pinned) >= TOOLS
    assert "batch-conformance" not in pinned


def test_sdk_pins_are_the_test_pins_without_the_sdk() -> None:
    """constraints/sdk.txt is constraints/test.txt minus the SDK and what it caps."""
    every, sdk = pins(TEST_PINS), pins(SDK_PINS)
    assert set(every) >= SDK_OWNED
    assert sdk == {name: v for name, v in every.items() if name not in SDK_OWNED}


def test_moto_oldest_pins_are_the_test_pins_without_moto() -> None:
    """constraints/moto-oldest.txt is constraints/test.txt minus moto and what it pins."""
    every, oldest = pins(TEST_PINS), pins(MOTO_OLDEST_PINS)
    assert "moto" in every
    assert oldest == {name: v for name, v in every.items() if name not in MOTO_OWNED}


def test_moto_oldest_runs_the_declared_minimum() -> None:
    """tox's moto-oldest installs exactly the lowest moto pyproject.toml allows, and gates
    it with its own baseline."""
    (moto,) = [r for r in product_requirements() if canonicalize_name(r.name) == "moto"]
    (lowest,) = [spec.version for spec in moto.specifier if spec.operator == ">="]
    config = tox_ini()
    deps = config.get("testenv:moto-oldest", "deps").split()
    assert deps == [f"moto[server]=={lowest}"]
    commands = config.get("testenv:moto-oldest", "commands")
    assert f"assert v == '{lowest}'" in commands
    assert commands.count("--baseline reports/baselines/moto-oldest.json") == 2


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("testenv", "constraints{/}test.txt"),
        ("testenv:moto-oldest", "constraints{/}moto-oldest.txt"),
        ("testenv:sdk-oldest", "constraints{/}sdk.txt"),
        ("testenv:sdk-newest", "constraints{/}sdk.txt"),
        ("testenv:newest", ""),
        ("testenv:pins", ""),
    ],
)
def test_tox_environments_use_their_pins(section: str, expected: str) -> None:
    """The default environments use the pins; sdk-* leave the SDK free; newest and pins none."""
    config = tox_ini()
    value = config.get(section, "constraints", fallback=None)
    assert value is not None, f"[{section}] sets no constraints"
    assert value.strip().endswith(expected) if expected else value.strip() == ""


def test_lint_and_target_environments_inherit_the_test_pins() -> None:
    """lint and the per-target environments set no constraints of their own."""
    config = tox_ini()
    for section in ("testenv:lint", "testenv:moto", "testenv:moto-server", "testenv:ministack"):
        assert config.has_section(section), section
        assert not config.has_option(section, "constraints"), section
