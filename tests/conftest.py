"""What the project's tests share: moto servers, the reference endpoint in front of one, and
the whole-suite runs that several tests read.

The CLI runner these use is `tests/cli.py` (module- and session-scoped fixtures call it too).

pytest-xdist runs session fixtures once per worker: the tests reading one whole-suite run are
marked `xdist_group(<the run's group>)`, and `--dist loadgroup` (pyproject.toml) sends a
group to one worker, so each run is made once per session (on pytest >= 9.2 with the help of
`pytest_collection_modifyitems` below).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from conformance.targets.base import dummy_session
from conformance.targets.moto_server import MotoServer
from tests.cli import cli
from tests.faulty.proxy import FaultyProxy
from tests.suite_runs import REFERENCE_ARGS, WHOLE_RUN_TIMEOUT_S, DefaultRun, Run, run_suite

REGION = "us-east-1"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker with `--dist loadgroup`, give each item of an `xdist_group` the
    node id xdist gives it (`<id>@<group>`), by which the scheduler sends a group to one
    worker. xdist renames `item._nodeid`, which pytest >= 9.2 no longer reads (it reads
    `item._id`: pytest-dev/pytest-xdist#1386); without this every group's shared runs are
    made on both workers. Where xdist's rename took, nothing is done."""
    if not config.getoption("loadgroup", False):
        return
    from _pytest.nodeid import NodeId  # pytest >= 9.2, the versions that need this

    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


@contextmanager
def moto_server(*, managed_policies: bool = False) -> Iterator[str]:
    """A real moto server (batch without Docker), warmed up: its URL, stopped afterwards.

    `managed_policies` loads AWS's managed IAM policies into it, as a real account has them.
    """
    env = {"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"} if managed_policies else {}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)  # read by the server process, at start
        server = MotoServer(REGION)
        server.start()
    try:
        url = server.endpoint_url
        assert url is not None
        dummy_session(REGION).client("batch", endpoint_url=url).describe_job_queues()  # warm up
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """One moto server for this worker's tests that do not count what is on it."""
    with moto_server() as url:
        yield url


@pytest.fixture
def fresh_moto_url() -> Iterator[str]:
    """A moto server of this test's own, empty at the start."""
    with moto_server() as url:
        yield url


@pytest.fixture(scope="session")
def aws_moto_url() -> Iterator[str]:
    """A moto server that knows AWS's managed IAM policies, as a real account has them
    (its tests are `xdist_group(AWS_ACCOUNT)`: one such server a session)."""
    with moto_server(managed_policies=True) as url:
        yield url


@pytest.fixture
def faulty(moto_url: str) -> Iterator[FaultyProxy]:
    """The reference endpoint (tests/faulty) in front of the shared moto server; a test
    switches its fault on and the next test gets a fresh one."""
    with FaultyProxy(moto_url) as proxy:
        yield proxy


# ---------------------------------------------------------------------------------------
# Whole-suite runs read by several tests


@pytest.fixture(scope="session")
def seed_reference(moto_url: str, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The whole seed suite (--strict, 4 workers) against the reference endpoint, which
    provisions through it: what detection and the AWS-like acceptance compare against."""
    with FaultyProxy(moto_url) as reference:
        return run_suite(
            reference.url,
            None,
            tmp_path_factory.mktemp("seed-reference"),
            extra_args=REFERENCE_ARGS,
            timeout_s=WHOLE_RUN_TIMEOUT_S,
        )


@pytest.fixture(scope="session")
def moto_default_run(tmp_path_factory: pytest.TempPathFactory) -> DefaultRun:
    """The whole seed suite on embedded moto as a user first runs it: no option."""
    cwd = tmp_path_factory.mktemp("default-run")
    return DefaultRun(cli("run", cwd=cwd, timeout=WHOLE_RUN_TIMEOUT_S), cwd)
