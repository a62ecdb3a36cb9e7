"""An endpoint that says it does not serve a call is not implementing it (issue 19 §3).

ministack answers the GET of ListTagsForResource and the DELETE of UntagResource with
`400 ClientException "Unsupported method GET"`: a 4xx with an error code, which the probe
used to count as a Batch answer. The endpoint here does the same in front of a moto
server: both probes fail as not implemented (one finding each), and the UntagResource
outside cases and its generated refused case, which used to pass on that refusal, are
skipped naming the probe. TagResource (a POST with a body) still reaches moto.
"""

from __future__ import annotations

from pathlib import Path

from tests.hostile.servers import HostileProxy
from tests.suite_runs import run_suite

ARGS = ("--scope", "current", "--workers", "1", "--consistency-wait", "1")
PROBE = "operations::test_operation_implemented[{}]"
UNTAG_OUTSIDE = tuple(
    f"request_limits::test_limit[UntagResource.{rule}:outside:{label}]"
    for rule, label in (
        ("tagKeys.key.length", "0chars"),
        ("tagKeys.key.length", "129chars"),
        ("tagKeys.maxItems", "0items"),
        ("tagKeys.maxItems", "51items"),
    )
)
UNTAG_GENERATED = "generated::test_generated_request_with_one_broken_limit_refused[UntagResource]"


def _unsupported_method(path: str, body: bytes) -> bool:
    """ListTagsForResource (GET) and UntagResource (DELETE): the bodiless calls on /v1/tags/."""
    return path.startswith("/v1/tags/") and not body


def test_unsupported_method_counts_as_not_implemented(moto_url: str, tmp_path: Path) -> None:
    """Both probes fail as not implemented, one finding each; nothing passes on the refusal."""
    probes = [PROBE.format(op) for op in ("ListTagsForResource", "UntagResource", "TagResource")]
    cases = [*probes, *UNTAG_OUTSIDE, UNTAG_GENERATED]
    with HostileProxy(
        moto_url,
        message=lambda _headers: "Unsupported method",
        refuse=_unsupported_method,
        rewrite=False,
    ) as proxy:
        run = run_suite(proxy.url, None, tmp_path, cases, extra_args=ARGS)
    results = run.results
    assert proxy.refused >= 2, run.explain()
    for operation in ("ListTagsForResource", "UntagResource"):
        probe = results[PROBE.format(operation)]
        assert probe["outcome"] == "failed", run.explain()
        assert probe["findings"] == [f"{operation}.implemented#not-implemented"], probe
    assert results[PROBE.format("TagResource")]["outcome"] == "passed", run.explain()
    for case in (*UNTAG_OUTSIDE, UNTAG_GENERATED):
        assert results[case]["outcome"] == "skipped", f"{case}\n{run.explain()}"
        assert results[case]["message"].startswith("not implemented: UntagResource"), case
    found = sorted(f["id"] for f in run.report["findings"])
    assert found == [
        "ListTagsForResource.implemented#not-implemented",
        "UntagResource.implemented#not-implemented",
    ], found
