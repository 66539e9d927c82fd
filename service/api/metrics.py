"""Prometheus metrics of one app: requests, latency, edits per kind, stage failures.

Every label takes a bounded set of values, whatever a client sends: the method is one
that HTTP defines (any other is ``OTHER``), the route is a route's template
(``/v1/jobs/{job_id}``, never the path) or ``unmatched``, the status a number.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from copydesk.models import RepairResult

METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"}
)


class ServiceMetrics:
    """Metrics in a registry of their own, so two apps in one process do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "copydesk_requests",
            "HTTP requests.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "copydesk_request_seconds",
            "HTTP request latency.",
            ["route"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.edits = Counter(
            "copydesk_edits",
            "Edits proposed, by kind and whether applied.",
            ["kind", "applied"],
            registry=self.registry,
        )
        self.stage_problems = Counter(
            "copydesk_stage_problems",
            "Stages that failed or were skipped.",
            ["stage", "status"],
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request; ``route`` is its route's template or ``unmatched``."""
        method = method if method in METHODS else "OTHER"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def observe_result(self, result: RepairResult) -> None:
        for edit in result.edits:
            self.edits.labels(edit.kind.value, str(edit.applied).lower()).inc()
        for stage in result.stages:
            if stage.status.value != "ok":
                self.stage_problems.labels(stage.name, stage.status.value).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
