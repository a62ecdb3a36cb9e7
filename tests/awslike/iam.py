"""IAM checks as AWS makes them when a job definition names a role to pass.

AWS refuses a `jobRoleArn` that is not an IAM role ARN (400 ClientException, e.g.
"executionRoleArn XYZ is not an iam role arn", kestra-io/plugin-aws#432) and a role the
caller cannot pass, such as one the account never created (403 AccessDeniedException on
iam:PassRole, snakemake/snakemake-executor-plugin-aws-batch#33). The roles that exist are
the ones created through this endpoint (IAM CreateRole, query protocol).
"""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qs

from tests.proxy_core import Answer, error_answer

ROLE_ARN = re.compile(r"^arn:aws:iam::\d{12}:role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$")


class IamChecks:
    """Remembers the roles created; judges the roles a RegisterJobDefinition passes."""

    def __init__(self) -> None:
        self._roles: set[str] = set()
        self._lock = threading.Lock()
        self.refused = 0

    def note_iam_call(self, body: bytes) -> None:
        """Remember the role an IAM CreateRole call creates."""
        form = parse_qs(body.decode("utf-8", errors="replace"))
        if form.get("Action") == ["CreateRole"] and form.get("RoleName"):
            with self._lock:
                self._roles.add(form["RoleName"][0])

    def judge(self, request: dict[str, object]) -> Answer | None:
        """The refusal AWS gives a RegisterJobDefinition request, or None to let it through."""
        container = request.get("containerProperties")
        role = container.get("jobRoleArn") if isinstance(container, dict) else None
        if role is None:
            return None
        match = ROLE_ARN.match(str(role))
        with self._lock:
            if match is None:
                self.refused += 1
                return error_answer(
                    400, "ClientException", f"jobRoleArn {role} is not an iam role arn"
                )
            if match.group(1) not in self._roles:
                self.refused += 1
                return error_answer(
                    403,
                    "AccessDeniedException",
                    f"User is not authorized to perform: iam:PassRole on resource: {role}",
                )
        return None
