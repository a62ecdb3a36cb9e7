"""A conformant AWS Batch endpoint that behaves as real AWS does (issue 9): nulls for absent
optional members, throttling, latency, jobs that show in DescribeJobs a moment late.

One door: `AwsLikeProxy` (`tests/awslike/proxy.py`).
"""

from tests.awslike.proxy import AwsLikeProxy

__all__ = ["AwsLikeProxy"]
