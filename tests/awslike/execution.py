"""Jobs that run as their command says, as AWS runs them (issue 18 §4), for the AWS-like
endpoint. moto completes every job at submission; this model gives each job the timeline AWS
would, and rewrites the answers that show jobs to the model's clock:

- what a job runs, from SubmitJob (and the definition it names, remembered from
  RegisterJobDefinition): `sleep N` in its command is how long it runs, `exit N` its exit code
  (0 otherwise); its timeout (SubmitJob's, else the definition's); its attempts; its plain
  dependencies; its array children (`<id>:<index>`, each running the parent's command);
- its timeline: SUBMITTED, PENDING (until every dependency SUCCEEDED; FAILED as soon as one
  fails), RUNNABLE, STARTING, RUNNING from `startedAt` for as long as the command says, then
  SUCCEEDED (exit 0) or another attempt (a non-zero exit, attempts left) or FAILED. A timeout
  counts from the attempt's `startedAt`: the job fails then, "Job attempt duration exceeded
  timeout", and is not retried. TerminateJob stops a job at once (FAILED, with its reason),
  CancelJob one that has not started;
- DescribeJobs and ListJobs show the model's status, `startedAt`, `stoppedAt`, attempts,
  exit code and log stream; ListJobs by status lists what the model says is in that status.

`fault` breaks one behaviour (`FAULTS`); tests/test_detection_execution.py shows each is
caught by its own rule.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]
TIMED_OUT = "Job attempt duration exceeded timeout"
EXITED = "Essential container in task exited"
DEPENDENCY_FAILED = "Dependent Job failed"
FAULTS = {
    "timeout-not-enforced": "a job runs past its timeout as long as its command says",
    "timed-out-retried": "a job that timed out is retried, as a failed attempt is",
    "dependency-ignored": "a job runs at once, whatever it depends on",
    "exit-code-lost": "a non-zero exit code is not shown (in the job nor its attempts)",
}
SETTLED = ("SUCCEEDED", "FAILED")
STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", *SETTLED)


@dataclass(frozen=True)
class Spec:
    """What a job runs: how long, with which exit code, timeout, attempts and dependencies."""

    created: float
    run_s: float = 0.0
    exit_code: int = 0
    timeout_s: int | None = None
    attempts: int = 1
    depends: tuple[str, ...] = ()
    stream: str = "model/default"


@dataclass(frozen=True)
class Attempt:
    """One attempt: RUNNABLE from `queued`, RUNNING from `started` to `stopped`."""

    queued: float
    started: float
    stopped: float
    exit_code: int | None
    reason: str


@dataclass
class Timeline:
    """A job's whole run as the model computes it (its end may lie ahead of now)."""

    ready: float  # when it may run (its dependencies met): PENDING before
    attempts: list[Attempt] = field(default_factory=list)
    status: str = "SUCCEEDED"
    reason: str = ""
    ended: float = 0.0


def parse_command(command: Any) -> tuple[float, int]:
    """(seconds it runs, exit code) of a command: every `sleep N` adds up, the last `exit N`
    is its code; anything else runs at once and exits 0."""
    text = " ".join(str(part) for part in command) if isinstance(command, list) else ""
    run_s = sum(float(n) for n in re.findall(r"\bsleep\s+(\d+(?:\.\d+)?)", text))
    codes = re.findall(r"\bexit\s+(\d+)", text)
    return run_s, int(codes[-1]) if codes else 0


class Execution:
    """The model: `request` rewrites what needs it before it goes upstream (ListJobs by
    status), `answered` records what an answer made and reshapes what it shows."""

    def __init__(
        self,
        fault: str | None = None,
        clock: Callable[[], float] = time.time,
        submitted_s: float = 0.2,
        runnable_s: float = 0.5,
        starting_s: float = 0.5,
    ) -> None:
        if fault is not None and fault not in FAULTS:
            raise KeyError(f"unknown execution fault {fault!r}: {', '.join(FAULTS)}")
        self.fault = fault
        self._clock = clock
        self._submitted_s = submitted_s
        self._runnable_s = runnable_s
        self._starting_s = starting_s
        self._definitions: dict[str, Json] = {}  # ARN, name:revision and name -> definition
        self._jobs: dict[str, Spec] = {}
        self._stops: dict[str, tuple[float, str, bool]] = {}  # id -> (when, reason, cancel)
        self._lock = threading.Lock()
        self.modelled = 0  # jobs the model runs

    # ---- what the requests say -------------------------------------------------------

    def request(self, operation: str, body: bytes) -> bytes:
        """ListJobs by status (no filters) goes upstream without it: the model decides."""
        if operation != "ListJobs":
            return body
        request = _json(body)
        if request.get("jobStatus") and not request.get("filters"):
            request.pop("jobStatus")
            return json.dumps(request).encode()
        return body

    def answered(self, operation: str, sent: bytes, answer: Json) -> Json:
        """Record what the call made or changed (`sent`: the request as the client sent it);
        the answer as the model shows it."""
        request = _json(sent)
        now = self._clock()
        with self._lock:
            if operation == "RegisterJobDefinition":
                self._register(request, answer)
            elif operation == "SubmitJob":
                self._submit(request, answer, now)
            elif operation in ("TerminateJob", "CancelJob"):
                self._stop(str(request.get("jobId")), str(request.get("reason")), now, operation)
            elif operation == "DescribeJobs":
                for job in answer.get("jobs") or []:
                    self._shape(job, now, summary=False)
            elif operation == "ListJobs":
                return self._listed(request, answer, now)
        return answer

    def _register(self, request: Json, answer: Json) -> None:
        arn, revision = answer.get("jobDefinitionArn"), answer.get("revision")
        name = request.get("jobDefinitionName")
        for key in (arn, f"{name}:{revision}", name):
            if key:
                self._definitions[str(key)] = request

    def _submit(self, request: Json, answer: Json, now: float) -> None:
        job_id = answer.get("jobId")
        if not isinstance(job_id, str):
            return
        definition = self._definitions.get(str(request.get("jobDefinition")), {})
        container = definition.get("containerProperties") or {}
        overrides = request.get("containerOverrides") or {}
        run_s, code = parse_command(overrides.get("command") or container.get("command"))
        timeout = (request.get("timeout") or definition.get("timeout") or {}).get(
            "attemptDurationSeconds"
        )
        retry = request.get("retryStrategy") or definition.get("retryStrategy") or {}
        depends = tuple(
            str(d["jobId"])
            for d in request.get("dependsOn") or []
            if isinstance(d, dict) and d.get("jobId")
        )
        name = str(definition.get("jobDefinitionName") or "model")
        attempts = int(retry.get("attempts") or 1)
        spec = Spec(now, run_s, code, timeout, attempts, depends, f"{name}/default")
        self._jobs[job_id] = spec
        self.modelled += 1
        size = (request.get("arrayProperties") or {}).get("size")
        for index in range(int(size or 0)):
            self._jobs[f"{job_id}:{index}"] = spec

    def _stop(self, job_id: str, reason: str, now: float, operation: str) -> None:
        if job_id in self._jobs and job_id not in self._stops:
            self._stops[job_id] = (now, reason, operation == "CancelJob")

    # ---- the timeline ----------------------------------------------------------------

    def timeline(self, job_id: str) -> Timeline:
        """The job's whole run (deterministic: what the model knows now of stops)."""
        spec = self._jobs[job_id]
        ready = spec.created + self._submitted_s
        if self.fault != "dependency-ignored":
            for dependency in spec.depends:
                if dependency not in self._jobs:
                    continue
                other = self.timeline(dependency)
                ready = max(ready, other.ended)
                if other.status == "FAILED":
                    return Timeline(ready, [], "FAILED", DEPENDENCY_FAILED, ready)
        line = Timeline(ready)
        queued = ready
        for number in range(spec.attempts):
            started = queued + self._runnable_s + self._starting_s
            timed_out = spec.timeout_s is not None and spec.run_s > spec.timeout_s
            if timed_out and self.fault != "timeout-not-enforced":
                stopped = started + float(spec.timeout_s or 0)
                attempt = Attempt(queued, started, stopped, None, TIMED_OUT)
            else:
                attempt = Attempt(queued, started, started + spec.run_s, spec.exit_code, EXITED)
            line.attempts.append(attempt)
            failed = attempt.exit_code != 0
            retried = attempt.reason != TIMED_OUT or self.fault == "timed-out-retried"
            if failed and retried and number < spec.attempts - 1:
                queued = attempt.stopped
                continue
            line.status = "FAILED" if failed else "SUCCEEDED"
            line.reason, line.ended = attempt.reason, attempt.stopped
            break
        return self._stopped(job_id, line)

    def _stopped(self, job_id: str, line: Timeline) -> Timeline:
        """The timeline cut where TerminateJob (or CancelJob, before the job started) stopped it."""
        if job_id not in self._stops:
            return line
        when, reason, cancel = self._stops[job_id]
        if when >= line.ended:
            return line
        kept = [a for a in line.attempts if a.stopped <= when]
        running = next((a for a in line.attempts if a.started <= when < a.stopped), None)
        if running is not None:
            if cancel:  # CancelJob does not stop a job that has started
                return line
            kept.append(Attempt(running.queued, running.started, when, None, reason))
        return Timeline(line.ready, kept, "FAILED", reason, when)

    # ---- what the answers show -------------------------------------------------------

    def _state(
        self, job_id: str, now: float
    ) -> tuple[str, Timeline, list[Attempt], Attempt | None]:
        """(status now, the timeline, the attempts over, the attempt running or the last)."""
        line = self.timeline(job_id)
        if now >= line.ended and (line.attempts or line.status == "FAILED"):
            return line.status, line, line.attempts, line.attempts[-1] if line.attempts else None
        if now < self._jobs[job_id].created + self._submitted_s:
            return "SUBMITTED", line, [], None
        if now < line.ready:
            return "PENDING", line, [], None
        for number, attempt in enumerate(line.attempts):
            if now >= attempt.stopped:
                continue
            over = line.attempts[:number]
            if now < attempt.queued + self._runnable_s:
                return "RUNNABLE", line, over, None
            if now < attempt.started:
                return "STARTING", line, over, None
            return "RUNNING", line, over, attempt
        return line.status, line, line.attempts, line.attempts[-1] if line.attempts else None

    def _shape(self, job: Json, now: float, *, summary: bool) -> None:
        """`job` (moto's: SUCCEEDED at once) as the model shows it now."""
        job_id = str(job.get("jobId"))
        if f"{job_id}:0" in self._jobs:
            self._shape_parent(job, job_id, now)
            return
        if job_id not in self._jobs:
            return
        status, line, over, current = self._state(job_id, now)
        settled = status in SETTLED
        job["status"] = status
        _put(job, "statusReason", line.reason if settled else None)
        _put(job, "startedAt", _ms(current.started) if current else None)
        _put(job, "stoppedAt", _ms(line.ended) if settled else None)
        code = self._code(line.attempts[-1].exit_code if settled and line.attempts else None)
        found = job.get("container")
        container: Json = found if isinstance(found, dict) else {}
        _put(container, "exitCode", code)
        if summary:
            _put(job, "container", container or None)
            return
        stream = f"{self._jobs[job_id].stream}/{job_id.replace(':', '-')}"
        job["attempts"] = [self._attempt(a, stream) for a in over]
        _put(container, "logStreamName", stream if current or over else None)
        job["container"] = container

    def _code(self, code: int | None) -> int | None:
        return None if code and self.fault == "exit-code-lost" else code

    def _attempt(self, attempt: Attempt, stream: str) -> Json:
        container: Json = {"logStreamName": stream}
        _put(container, "exitCode", self._code(attempt.exit_code))
        return {
            "container": container,
            "startedAt": _ms(attempt.started),
            "stoppedAt": _ms(attempt.stopped),
            "statusReason": attempt.reason,
        }

    def _shape_parent(self, job: Json, job_id: str, now: float) -> None:
        """An array parent: its children's statuses summed up; no attempts, times or code."""
        children = [self._state(c, now)[0] for c in self._jobs if c.startswith(f"{job_id}:")]
        summary = {status: children.count(status) for status in STATUSES}
        if all(s in SETTLED for s in children):
            status = "FAILED" if "FAILED" in children else "SUCCEEDED"
        else:
            status = "RUNNING" if any(s in ("STARTING", "RUNNING") for s in children) else "PENDING"
        job["status"] = status
        _put(job, "statusReason", "Array Child Job failed" if status == "FAILED" else None)
        for member in ("startedAt", "stoppedAt"):
            job.pop(member, None)
        job["attempts"] = []
        container = job.get("container")
        if isinstance(container, dict):
            container.pop("exitCode", None)
            container.pop("logStreamName", None)
        job.setdefault("arrayProperties", {})["statusSummary"] = summary

    def _listed(self, request: Json, answer: Json, now: float) -> Json:
        """ListJobs: each summary as the model shows it, and by status what is in it now."""
        found = [j for j in answer.get("jobSummaryList") or [] if isinstance(j, dict)]
        for job in found:
            self._shape(job, now, summary=True)
        wanted = request.get("jobStatus")
        if wanted and not request.get("filters"):
            found = [j for j in found if j.get("status") == wanted]
        return {**answer, "jobSummaryList": found}


def _put(target: Json, key: str, value: Any) -> None:
    """Set `key`, or leave it out when `value` is None."""
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


def _json(body: bytes) -> Json:
    try:
        found = json.loads(body or b"{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
