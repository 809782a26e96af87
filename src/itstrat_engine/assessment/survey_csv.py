"""Survey answers from a CSV file: one row per stakeholder and service.

This is the shape forms and spreadsheets export::

    stakeholder,department,role,weight,service,importance,satisfaction,comment
    Ann Lee,Finance,Controller,1.5,pms,9,4,Month-end is manual
    Ann Lee,Finance,Controller,1.5,email,6,8,
    Bob Ray,Clinical,Dentist,,pms,8,,

Columns (the header row names them; case, spaces and hyphens do not matter, order is free):

- ``stakeholder`` and ``service`` are required; at least one of ``importance`` and
  ``satisfaction`` must be a column;
- ``department``, ``role``, ``weight`` (default 1) and ``comment`` are optional, and
  ``timestamp`` (as form tools add it) is accepted and ignored.

Rows of the same stakeholder become one `Response`, in order of first appearance. A blank
score is a skipped answer (missing, never zero). A stakeholder's department, role and
weight may be given on every row or only on the first; two different non-blank values are
an error. The service cell holds a service id or, when an engagement is given, the
service's name (case does not matter). The delimiter is a comma, or a semicolon or tab when
the header has more of those (spreadsheets in many locales export semicolons). A UTF-8 byte
order mark is ignored.

Given the engagement, every service must be declared and every score must lie on the
survey scale; without it, only the shape and the numbers are checked (`aggregate_survey`
checks the rest later, without line numbers). Every problem is reported at once, located as
``file: line N, column C: message``, inside one `InvalidEngagementError`.
"""

import csv
import io
import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from itstrat_engine.errors import InvalidEngagementError, ProblemLog, did_you_mean
from itstrat_engine.io import read_text
from itstrat_engine.model import Engagement, Response

__all__ = ["COLUMNS", "parse_survey_csv", "read_survey_csv"]

COLUMNS = (
    "stakeholder",
    "department",
    "role",
    "weight",
    "service",
    "importance",
    "satisfaction",
    "comment",
)
"""The columns a survey CSV may have (``timestamp`` is also accepted and ignored)."""

_REQUIRED = ("stakeholder", "service")
_SCORES = ("importance", "satisfaction")
_IGNORED = ("timestamp",)
_DELIMITERS = (",", ";", "\t")
_HEADER_HINT = "a header row such as: " + ",".join(COLUMNS)


def read_survey_csv(path: str | Path, engagement: Engagement | None = None) -> tuple[Response, ...]:
    """Read survey responses from a CSV file with one row per stakeholder and service.

    Raises `UnreadableFileError` when the file cannot be read and `InvalidEngagementError`
    with every malformed row located by line and column. See `parse_survey_csv`.
    """
    path = Path(path)
    return parse_survey_csv(read_text(path), engagement, source=str(path))


def parse_survey_csv(
    text: str, engagement: Engagement | None = None, *, source: str | None = None
) -> tuple[Response, ...]:
    r"""Parse survey responses from CSV text; `source` names the file in problems.

    >>> lines = ["stakeholder,department,service,importance,satisfaction",
    ...          "Ann,Finance,pms,9,4", "Ann,Finance,email,6,", "Bob,Clinic,pms,8,5"]
    >>> text = "\n".join(lines)
    >>> [(r.stakeholder, r.importance, r.satisfaction) for r in parse_survey_csv(text)]
    [('Ann', {'pms': 9.0, 'email': 6.0}, {'pms': 4.0}), ('Bob', {'pms': 8.0}, {'pms': 5.0})]
    """
    reader = _Reader(text.removeprefix("\ufeff"), engagement)
    responses = reader.read()
    if reader.problems:
        raise InvalidEngagementError([attrs.evolve(p, file=source) for p in reader.problems])
    return responses


def _normalize(header: str) -> str:
    return header.strip().lower().replace(" ", "_").replace("-", "_")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties keep the comma (listed first)
    return best if counts[best] > counts[","] else ","


@attrs.define
class _Stakeholder:
    """A response being assembled from its rows."""

    name: str
    line: int
    department: tuple[str, int] | None = None
    role: tuple[str, int] | None = None
    weight: tuple[float, int] | None = None
    importance: dict[str, float] = attrs.field(factory=dict)
    satisfaction: dict[str, float] = attrs.field(factory=dict)
    answered: dict[str, int] = attrs.field(factory=dict)
    comments: list[str] = attrs.field(factory=list)

    def response(self) -> Response:
        return Response(
            stakeholder=self.name,
            department=self.department[0] if self.department else "",
            role=self.role[0] if self.role else "",
            weight=self.weight[0] if self.weight else 1.0,
            importance=self.importance,
            satisfaction=self.satisfaction,
            comment="; ".join(self.comments),
        )


class _Reader(ProblemLog):
    """Turns CSV text into responses, collecting located problems."""

    def __init__(self, text: str, engagement: Engagement | None) -> None:
        super().__init__()
        self.text = text
        self.engagement = engagement
        self.services: dict[str, str] = {}
        if engagement is not None:
            # Names first, ids last, so an id always wins over a service named like it.
            for service in engagement.services:
                self.services.setdefault(service.name.strip().casefold(), service.id)
            for service in engagement.services:
                self.services[service.id.casefold()] = service.id

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Each non-blank record with the line it starts on."""
        reader = csv.reader(
            io.StringIO(self.text, newline=""), delimiter=_delimiter(self.text), strict=True
        )
        line = 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.error(
                    "csv-syntax",
                    f"line {line}",
                    f"CSV syntax error: {error}",
                    suggestion="check the quotes on this line",
                )
                return
            if any(cell.strip() for cell in record):
                yield line, record
            line = reader.line_num + 1

    def header(self, line: int, record: list[str]) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        known = (*COLUMNS, *_IGNORED)
        ok = True
        for index, cell in enumerate(record):
            name = _normalize(cell)
            where = f"line {line}, column {index + 1}"
            if not name:
                self.error(
                    "csv-header",
                    where,
                    "empty column name in the header",
                    expected="one of " + ", ".join(COLUMNS),
                    suggestion="name the column or delete it",
                )
                ok = False
            elif name not in known:
                self.error(
                    "unknown-column",
                    where,
                    "unknown column",
                    value=repr(cell),
                    expected="one of " + ", ".join(COLUMNS),
                    suggestion=did_you_mean(name, known) or "rename or delete the column",
                )
                ok = False
            elif name in columns:
                self.error(
                    "duplicate-column",
                    where,
                    "column given twice",
                    value=repr(cell),
                    expected="each column once",
                    suggestion=f"column {columns[name] + 1} already is {name!r}",
                )
                ok = False
            else:
                columns[name] = index
        missing = [c for c in _REQUIRED if c not in columns]
        if not any(c in columns for c in _SCORES):
            missing.append("importance or satisfaction")
        if missing and ok:
            self.error(
                "missing-column",
                f"line {line}",
                "the header lacks required columns",
                value=repr(",".join(record)),
                expected=_HEADER_HINT,
                suggestion="add the column"
                + ("s " if len(missing) > 1 else " ")
                + ", ".join(missing),
            )
        return columns if ok and not missing else None

    def read(self) -> tuple[Response, ...]:
        records = self.records()
        first = next(records, None)
        if first is None:
            if not self.problems:
                self.error(
                    "empty-survey",
                    "line 1",
                    "the survey file has no header and no answers",
                    expected=_HEADER_HINT,
                )
            return ()
        columns = self.header(*first)
        if columns is None:
            return ()
        people: dict[str, _Stakeholder] = {}
        rows = 0
        for line, record in records:
            rows += 1
            self.row(line, record, columns, len(first[1]), people)
        if not rows and not self.problems:
            self.error(
                "empty-survey",
                f"line {first[0]}",
                "the survey file has a header but no answers",
                expected="one row per stakeholder and service after the header",
            )
        return tuple(person.response() for person in people.values())

    def row(
        self,
        line: int,
        record: list[str],
        columns: Mapping[str, int],
        width: int,
        people: dict[str, _Stakeholder],
    ) -> None:
        if len(record) != width:
            self.error(
                "field-count",
                f"line {line}",
                "wrong number of fields",
                value=f"{len(record)} fields",
                expected=f"{width}, one per header column",
                suggestion="quote cells that contain the delimiter",
            )
            return

        def cell(column: str) -> str:
            return record[columns[column]].strip() if column in columns else ""

        def where(column: str) -> str:
            return f"line {line}, column {column}"

        name = cell("stakeholder")
        service_text = cell("service")
        errors = len(self.problems)
        for column, text in (("stakeholder", name), ("service", service_text)):
            if not text:
                self.error(
                    "missing-value",
                    where(column),
                    f"no {column}",
                    expected=f"the {column}'s name"
                    if column == "stakeholder"
                    else "a service id or name",
                )
        service = self.service(where("service"), service_text) if service_text else None
        weight = self.number(where("weight"), cell("weight"), "weight") if cell("weight") else None
        scores = {
            field: self.score(
                where(field), cell(field), name or "?", field, service or service_text
            )
            for field in _SCORES
            if cell(field)
        }
        if len(self.problems) > errors or service is None:
            return
        person = people.get(name)
        if person is None:
            person = people[name] = _Stakeholder(name, line)
        if service in person.answered:
            self.error(
                "duplicate-answer",
                where("service"),
                f"{name} answered for {service!r} twice",
                value=repr(service_text),
                expected="one row per stakeholder and service",
                suggestion=f"line {person.answered[service]} has the first answer; keep one",
            )
            return
        person.answered[service] = line
        for field, value in (
            ("department", cell("department") or None),
            ("role", cell("role") or None),
            ("weight", weight),
        ):
            self.consistent(line, person, field, value)
        for field, value in scores.items():
            if value is not None:
                getattr(person, field)[service] = value
        comment = cell("comment")
        if comment and comment not in person.comments:
            person.comments.append(comment)

    def consistent(
        self, line: int, person: _Stakeholder, field: str, value: str | float | None
    ) -> None:
        """Record a stakeholder attribute, or report it if it differs from an earlier row."""
        if value is None:
            return
        earlier = getattr(person, field)
        if earlier is None:
            setattr(person, field, (value, line))
        elif earlier[0] != value:
            self.error(
                "conflicting-stakeholder",
                f"line {line}, column {field}",
                f"{person.name}'s {field} differs from an earlier row",
                value=repr(value),
                expected=f"{earlier[0]!r} as on line {earlier[1]}, or a blank cell",
                suggestion="use one value per stakeholder (or different stakeholder names)",
            )

    def service(self, path: str, text: str) -> str | None:
        if self.engagement is None:
            return text
        found = self.services.get(text.casefold())
        if found is None:
            names = [s.id for s in self.engagement.services]
            self.error(
                "unknown-reference",
                path,
                "unknown service",
                value=repr(text),
                expected="the id or name of a declared service",
                suggestion=did_you_mean(text.casefold(), [*names, *self.services])
                or "declare it in the engagement or fix the cell",
            )
        return found

    def number(self, path: str, text: str, what: str) -> float | None:
        try:
            value = float(text)
        except ValueError:
            self.error(
                "not-a-number",
                path,
                f"{what} is not a number",
                value=repr(text),
                expected="a number" + (", or blank" if what == "weight" else ""),
                suggestion="use a point as the decimal separator" if "," in text else None,
            )
            return None
        if not math.isfinite(value) or value < 0:
            self.error(
                "invalid-value",
                path,
                f"{what} must be a finite number >= 0",
                value=repr(text),
                expected="a number >= 0",
            )
            return None
        return value

    def score(
        self, path: str, text: str, stakeholder: str, field: str, service: str
    ) -> float | None:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.error(
                "not-a-number",
                path,
                f"{stakeholder}'s {field} for {service!r} is not a number",
                value=repr(text),
                expected="a number, or blank for a skipped answer",
                suggestion="use a point as the decimal separator" if "," in text else None,
            )
            return None
        if self.engagement is None:
            return value
        low, high = self.engagement.survey.scale_min, self.engagement.survey.scale_max
        if not low <= value <= high:
            self.error(
                "out-of-scale",
                path,
                f"{stakeholder}'s {field} for {service!r} is outside the scale",
                value=repr(text),
                expected=f"a score from {low:g} to {high:g}",
                suggestion="fix the answer or declare the scale in [survey]",
            )
            return None
        return value
