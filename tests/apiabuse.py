"""API abuse shared by tests/test_api_abuse.py and benchmarks/api_abuse.py: schemathesis against the app's own
OpenAPI schema, and search strings in the syntax of the full-text engines underneath."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# FTS5 and tsquery syntax, and what breaks query parsers: a search must give results or a 400, never a 500
HOSTILE_QUERIES = ['NEAR(', 'NEAR(حفتر كامل, 2)', '"', '"حفتر', 'حفتر"', '""', '"" ""', "*", "حفتر*", "-", "-حفتر",
                   "OR", "OR OR", "AND", "NOT", "حفتر OR", "OR حفتر", "حفتر AND NOT كامل", "^حفتر", "title:حفتر",
                   "body: حفتر", "{حفتر}", "(حفتر", "حفتر)", "((((", ")))", "حفتر & كامل", "حفتر | كامل", "!حفتر",
                   "حفتر <-> كامل", "حفتر:*", "'", "''", "\\", "\\'", "%", "_", ";", "--", "/*", "*/",
                   "' OR 1=1 --", '"; DROP TABLE articles; --', "\x00", "حفتر\x00كامل", "\x01\x02\x1f", "\u202e",
                   "\ufeff", "حفتر\n\nكامل", "\t", "ـ", "ال", "و", "١٢٣", "2020", "a" * 600, "حفتر " * 2000,
                   "NEAR(" * 500, '"' * 1001, "🙂", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]


@dataclass
class OperationResult:
    label: str
    cases: int = 0
    failures: list[str] = field(default_factory=list)


def api_schema(db: str) -> Any:
    """The app over ``db`` and its OpenAPI schema, loaded the way schemathesis loads it from a live server."""
    import schemathesis

    from marsad.web.app import create_app

    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


def operation_labels() -> list[str]:
    """``GET /api/v1/...`` of every operation the schema documents (the app is not asked for data)."""
    return sorted(op.ok().label for op in api_schema(":memory:").get_all_operations())


def run_operation(schema: Any, label: str, examples: int) -> OperationResult:
    """Up to ``examples`` valid and ``examples`` invalid requests of one operation, each checked by every
    schemathesis check but positive_data_acceptance: a free-text filter with no word to search for is a
    documented 400 the schema cannot express."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import positive_data_acceptance

    (operation,) = [op.ok() for op in schema.get_all_operations() if op.ok().label == label]
    result = OperationResult(label)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            result.cases += 1
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            run()
        except Unsatisfiable:  # no request can break the schema (one free-text path parameter): nothing to send
            continue
        except Exception as exc:  # schemathesis' FailureGroup, or an error the app raised
            result.failures.append(f"{mode.value}: {str(exc)[:3000]}")
    return result
