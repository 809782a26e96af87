"""Engagements as spreadsheets: an Excel workbook, or CSV files in a folder or a zip.

One sheet per table, derived from the model so nothing is lost: ``engagement``,
``objectives``, ``pairwise``, ``services``, ``survey``, ``responses``, ``issues``,
``initiatives``, ``groups``, ``capacity``, ``skills``, ``contractors``, ``pools`` and
``plan``. Row 1 holds the file's keys; each further row is one item (the one-row tables,
such as ``engagement``, have one). A table of ids to numbers is a column per id, headed by a
dotted key (``effort.security``); a list is a comma-separated cell (``a, b``; ``"a, b"`` in
double quotes is one item; a one-item list where a number would also do ends with a comma,
``5,``). A blank cell is a key left out (in a required text column, the empty text). In a
column that takes a number or a text (``earliest``, ``deadline``, pairwise entries), a text
that looks like a number is written in double quotes: ``"2027"`` is a year's label, ``2027``
an index.

Cells are read by the type of their column, so CSV text and typed Excel cells go through
the same rules: ``10`` is a number in a number column and text in a text column; ``ten`` in
a number column stays text, and the one strict converter of `itstrat_engine.io` reports it.
Every problem is moved back to where it is in the workbook: ``plan.xlsx: sheet initiatives,
row 7, column cost: wrong type: got 'ten', expected a number``.

Reading uses openpyxl (read-only, cached values, the ``excel`` extra); writing uses
XlsxWriter, which writes fixed zip timestamps and, given a creation date, the same bytes
for the same engagement. Numbers XlsxWriter cannot write exactly (it keeps 16 significant
digits) are written as text, which the number column reads back exactly.
"""

import csv
import datetime as dt
import io as bytes_io
import math
import re
import shutil
import tempfile
import types
import typing
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from itstrat_engine.errors import (
    InvalidEngagementError,
    ItstratError,
    MissingExtraError,
    Problem,
    UnreadableFileError,
    UnwritableFileError,
    did_you_mean,
)
from itstrat_engine.io import MAX_INPUT_BYTES, _describe, _segments, from_dict, to_dict
from itstrat_engine.model import (
    Capacity,
    Contractor,
    Engagement,
    Group,
    Initiative,
    Issue,
    Objective,
    PlanSettings,
    Pool,
    Response,
    Scope,
    Service,
    Survey,
)
from itstrat_engine.workbook_notes import KEY_NOTES

__all__ = [
    "FIXED_DATE",
    "SHEETS",
    "Sheet",
    "column_note",
    "is_spreadsheet",
    "locate",
    "read_spreadsheet",
    "to_csv_files",
    "to_csv_zip",
    "to_xlsx",
    "write_csv_folder",
]

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The creation and modification date written into every workbook, so equal engagements
give equal bytes (XlsxWriter fixes the zip members' dates to 1980-01-01 itself)."""

_TEXT_SUFFIXES = {".toml", ".json", ".yaml", ".yml"}  # a folder named so is a mistake, not CSVs
_MAX_CELL_TEXT = 32767  # Excel's limit on the characters in one cell


@attrs.frozen
class Sheet:
    """One table of the workbook: its name, where it sits in the file and its row type.

    `path` is where the table is in the engagement file (``("capacity", "pools")``); `row`
    the attrs class of one row; `many` whether it has many rows; `key` names the column
    holding the mapping key of a keyed table (``skill`` for ``[capacity.skills]``), whose
    value is the `value` column, or the row's other columns when `value` is empty.
    """

    name: str
    path: tuple[str, ...]
    row: type
    many: bool = True
    key: str = ""
    value: str = ""
    skip: tuple[str, ...] = ()


SHEETS: tuple[Sheet, ...] = (
    Sheet("engagement", ("engagement",), Scope, many=False),
    Sheet("objectives", ("objective",), Objective),
    Sheet("pairwise", ("pairwise",), object),  # one row per compared objective
    Sheet("services", ("service",), Service),
    Sheet("survey", ("survey",), Survey, many=False),
    Sheet("responses", ("response",), Response),
    Sheet("issues", ("issue",), Issue),
    Sheet("initiatives", ("initiative",), Initiative),
    Sheet("groups", ("group",), Group),
    Sheet(
        "capacity",
        ("capacity",),
        Capacity,
        many=False,
        skip=("pools", "skills", "contractors"),
    ),
    Sheet("skills", ("capacity", "skills"), float, key="skill", value="hours"),
    Sheet("contractors", ("capacity", "contractors"), Contractor, key="skill"),
    Sheet("pools", ("capacity", "pools"), Pool),
    Sheet("plan", ("plan",), PlanSettings, many=False),
)
"""Every table of a workbook, in sheet order."""

_PAIRWISE_TYPES: dict[str, Any] = {"objectives": str, "matrix": tuple[float | str, ...]}
_PER_PERIOD_HOURS: Any = float | tuple[float, ...]

# --------------------------------------------------------------------------- column types


def _fields(sheet: Sheet) -> dict[str, Any]:
    """File key -> type of each column a sheet's rows hold (dict types are dotted columns)."""
    if sheet.name == "pairwise":
        return dict(_PAIRWISE_TYPES)
    if sheet.value:
        return {sheet.key: str, sheet.value: _PER_PERIOD_HOURS}
    hints = typing.get_type_hints(sheet.row)
    columns = {sheet.key: str} if sheet.key else {}
    for field in attrs.fields(sheet.row):
        if field.name not in sheet.skip and field.name != "source":
            columns[field.name] = hints[field.name]
    return columns


def _required(sheet: Sheet) -> set[str]:
    if sheet.name == "pairwise":
        return {"objectives", "matrix"}
    if sheet.value:
        return {sheet.key, sheet.value}
    found = {f.name for f in attrs.fields(sheet.row) if f.default is attrs.NOTHING}
    return found | ({sheet.key} if sheet.key else set())


def _is_mapping(type_: Any) -> bool:
    return typing.get_origin(type_) is dict


def _options(type_: Any) -> tuple[Any, ...]:
    if typing.get_origin(type_) in (typing.Union, types.UnionType):
        return tuple(a for a in typing.get_args(type_) if a is not type(None))
    return (type_,)


def _is_list(type_: Any) -> bool:
    return typing.get_origin(type_) is tuple


def _list_item(type_: Any) -> Any | None:
    """The item type when the column may hold a list, else None."""
    for option in _options(type_):
        if _is_list(option):
            return typing.get_args(option)[0]
    return None


def _may_be_scalar(type_: Any) -> bool:
    return any(not _is_list(option) for option in _options(type_))


# --------------------------------------------------------------------------- cell text

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# Characters XML cannot hold: XlsxWriter (like Excel) writes them as ``_xHHHH_``, which
# openpyxl hands back as written, so the reader turns these escapes (and only these) back.
_UNWRITABLE = {*range(0x09), *range(0x0B, 0x20), 0xFFFE, 0xFFFF}
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class _BadCellError(ValueError):
    """A list cell that cannot be split (an unclosed quote, an empty item)."""


def _number(text: str) -> int | float | None:
    stripped = text.strip()
    if _INTEGER.fullmatch(stripped):
        return int(stripped)
    if _NUMBER.fullmatch(stripped):
        return float(stripped)
    return None


def _scalar(value: object, type_: Any) -> object:
    """A cell's value as the column's type takes it; anything else is left for the converter."""
    options = _options(type_)
    if isinstance(value, str):
        if _text_or_number(type_) and value.lstrip().startswith('"'):
            try:
                items = _split(value)
            except _BadCellError:
                return value
            if len(items) == 1 and items[0][1]:
                return items[0][0]  # "2027" in quotes: the text, not the number
        if bool in options and value.strip().lower() in {"true", "false"}:
            return value.strip().lower() == "true"
        if int in options or float in options:
            number = _number(value)
            if number is not None and (float in options or isinstance(number, int)):
                return number
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and str in options and not {int, float} & set(options):
        return _number_text(value)  # Excel keeps "2027" typed in a text column as a number
    return value


def _text_or_number(type_: Any) -> bool:
    """Whether a column takes a number or a text (a period index or label)."""
    options = set(_options(type_))
    return str in options and bool({int, float} & options)


def _split(text: str) -> list[tuple[str, bool]]:
    """The items of a list cell, each with whether it was quoted."""
    items: list[tuple[str, bool]] = []
    position, length = 0, len(text)
    while True:
        while position < length and text[position] in " \t":
            position += 1
        if position < length and text[position] == '"':
            chunk, position = _quoted(text, position + 1)
            items.append((chunk, True))
            while position < length and text[position] in " \t":
                position += 1
            if position < length and text[position] != ",":
                raise _BadCellError("text after a closing quote")
        else:
            end = text.find(",", position)
            end = length if end < 0 else end
            bare = text[position:end].strip()
            if not bare and (end < length or items):
                if end == length and text.rstrip().endswith(","):
                    return items  # a trailing comma: a one-item list
                raise _BadCellError("an empty item")
            if bare:
                items.append((bare, False))
            position = end
        if position >= length:
            return items
        position += 1  # the comma


def _quoted(text: str, position: int) -> tuple[str, int]:
    chunk: list[str] = []
    while position < len(text):
        char = text[position]
        if char == '"':
            if text[position + 1 : position + 2] == '"':
                chunk.append('"')
                position += 2
                continue
            return "".join(chunk), position + 1
        chunk.append(char)
        position += 1
    raise _BadCellError("an unclosed quote")


def _cell(value: object, type_: Any) -> object:
    """Plain data for one cell of a column of type `type_` (lists are split)."""
    item = _list_item(type_)
    if item is None:
        return _scalar(value, type_)
    if not isinstance(value, str):
        return _scalar(value, type_) if _may_be_scalar(type_) else [_scalar(value, item)]
    if _may_be_scalar(type_) and "," not in value and '"' not in value:
        return _scalar(value, type_)
    return [text if quoted else _scalar(text, item) for text, quoted in _split(value)]


def _number_text(number: float) -> str:
    if isinstance(number, int):
        return str(number)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _item_text(item: object) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return _number_text(item)
    text = str(item)
    if not text or text != text.strip() or any(c in text for c in ',"\n\r') or _number(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _list_text(items: Sequence[object], type_: Any) -> str:
    text = ", ".join(_item_text(item) for item in items)
    return text + "," if len(items) == 1 and _may_be_scalar(type_) else text


# --------------------------------------------------------------------------- tables


@attrs.frozen
class _Table:
    """The raw rows of one sheet: the header, then (row number, cells) for each data row."""

    header: tuple[object, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]


@attrs.frozen
class _Location:
    sheet: str
    row: int | None = None
    column: str | None = None

    def text(self, rest: Sequence[str | int]) -> str:
        parts = [f"sheet {self.sheet}"]
        rest = list(rest)
        if self.row is not None:
            parts.append(f"row {self.row}")
        column = self.column
        if column is None and rest and isinstance(rest[0], str) and self.row is not None:
            column = str(rest.pop(0))
        if column is not None:
            parts.append(f"column {column}")
        parts += [f"item {p + 1}" if isinstance(p, int) else str(p) for p in rest]
        return ", ".join(parts)


class _Reader:
    """Builds the engagement's plain data from tables, noting where each value came from."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.where: dict[tuple[str | int, ...], _Location] = {}

    def problem(
        self,
        code: str,
        where: str,
        message: str,
        *,
        value: str | None = None,
        expected: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.problems.append(
            Problem(
                code=code,
                path=where,
                message=message,
                value=value,
                expected=expected,
                suggestion=suggestion,
                file=self.source,
            )
        )

    def document(self, tables: Mapping[str, _Table]) -> dict[str, Any]:
        known = {sheet.name: sheet for sheet in SHEETS}
        for name in tables:
            if name not in known and not name.startswith("_"):  # _notes: the user's own
                self.problem(
                    "unknown-sheet",
                    f"sheet {name}",
                    "unknown sheet",
                    value=repr(name),
                    expected="one of " + ", ".join(known),
                    suggestion=did_you_mean(name, known)
                    or "rename or remove it; a sheet named with a leading _ is ignored",
                )
        if "engagement" not in tables:
            self.problem(
                "missing-sheet",
                "sheet engagement",
                "missing sheet",
                expected="a sheet named engagement with columns client, start, periods",
                suggestion="itstrat template -o engagement.xlsx writes a workbook to fill in",
            )
        data: dict[str, Any] = {}
        for sheet in SHEETS:
            if sheet.name in tables:
                self.sheet(sheet, tables[sheet.name], data)
        return data

    def columns(self, sheet: Sheet, header: tuple[object, ...]) -> list[tuple[str, Any] | None]:
        """Each column's (key, type), or None for a column to ignore or refuse."""
        types_ = _fields(sheet)
        mappings = [key for key, type_ in types_.items() if _is_mapping(type_)]
        plain = [key for key, type_ in types_.items() if not _is_mapping(type_)]
        seen: set[str] = set()
        columns: list[tuple[str, Any] | None] = []
        for number, title in enumerate(header, start=1):
            name = "" if title is None else str(title).strip()
            head, dot, _rest = name.partition(".")
            if not name:
                columns.append(None)
                continue
            if name in seen:
                self.problem(
                    "duplicate-column",
                    f"sheet {sheet.name}, column {name}",
                    "the column appears twice",
                    suggestion="keep one of them",
                )
                columns.append(None)
                continue
            seen.add(name)
            if dot and head in mappings:
                columns.append((name, typing.get_args(types_[head])[1]))
                continue
            if not dot and name in plain:
                columns.append((name, types_[name]))
                continue
            dotted = [f"{key}.<id>" for key in mappings]
            hint = did_you_mean(name, plain + [f"{key}.{_rest}" for key in mappings])
            self.problem(
                "unknown-column",
                f"sheet {sheet.name}, column {name}",
                "unknown column",
                value=repr(name),
                expected="one of " + ", ".join(plain + dotted),
                suggestion=hint or f"remove column {number} or check its header",
            )
            columns.append(None)
        for key in sorted(_required(sheet) - seen):
            self.problem(
                "missing-column",
                f"sheet {sheet.name}, column {key}",
                "missing required column",
                suggestion=f"add a column headed {key}",
            )
        return columns

    def sheet(self, sheet: Sheet, table: _Table, data: dict[str, Any]) -> None:
        columns = self.columns(sheet, table.header)
        records: list[tuple[int, dict[str, Any]]] = []
        for row_number, cells in table.rows:
            record = self.record(sheet, columns, row_number, cells)
            if record is not None:
                records.append((row_number, record))
        if not sheet.many and len(records) > 1:
            self.problem(
                "extra-row",
                f"sheet {sheet.name}, row {records[1][0]}",
                "this sheet holds one row",
                suggestion="keep the values in row 2 and remove the other rows",
            )
        if sheet.name == "engagement" and not records:
            self.problem(
                "empty-sheet",
                "sheet engagement, row 2",
                "no engagement row",
                suggestion="fill in row 2: client, start and periods",
            )
        if records:
            self.place(sheet, records, data)

    def record(
        self,
        sheet: Sheet,
        columns: Sequence[tuple[str, Any] | None],
        row_number: int,
        cells: tuple[object, ...],
    ) -> dict[str, Any] | None:
        """One row as plain data; None for a blank row."""
        if all(_blank(value) for value in cells):
            return None
        record: dict[str, Any] = {}
        required = _required(sheet)
        for column, value in zip(columns, cells, strict=False):
            if column is None:
                continue
            name, type_ = column
            if _blank(value):
                if name in required and str in _options(type_):
                    record[name] = ""  # a blank text cell is the empty text
                continue
            try:
                parsed = _cell(_unescape(value), type_)
            except _BadCellError as error:
                self.problem(
                    "bad-list",
                    f"sheet {sheet.name}, row {row_number}, column {name}",
                    f"cannot read the list: {error}",
                    value=repr(value),
                    expected="items separated by commas, text with commas in double quotes",
                )
                continue
            head, dot, key = name.partition(".")
            if dot:
                record.setdefault(head, {})[key] = parsed
            else:
                record[name] = parsed
        return record

    def place(
        self, sheet: Sheet, records: list[tuple[int, dict[str, Any]]], data: dict[str, Any]
    ) -> None:
        """Put a sheet's records at its path in the document, noting their locations."""
        target = data
        for part in sheet.path[:-1]:
            target = target.setdefault(part, {})
        last = sheet.path[-1]
        path = sheet.path
        if sheet.name == "pairwise":
            target[last] = {
                "objectives": [r.get("objectives", "") for _, r in records],
                "matrix": [r.get("matrix", []) for _, r in records],
            }
            self.where[path] = _Location(sheet.name)
            for index, (row, _) in enumerate(records):
                for key in ("objectives", "matrix"):
                    self.where[(*path, key, index)] = _Location(sheet.name, row, key)
            return
        if not sheet.many:
            row, record = records[0]
            target[last] = {**target.get(last, {}), **record}
            self.where[path] = _Location(sheet.name, row)
            self.note(path, sheet.name, row, record)
            return
        if sheet.key:
            table: dict[str, Any] = target.setdefault(last, {})
            self.where[path] = _Location(sheet.name)
            for row, record in records:
                key = record.pop(sheet.key, "")
                if key in table:
                    self.problem(
                        "duplicate-key",
                        f"sheet {sheet.name}, row {row}, column {sheet.key}",
                        f"{sheet.key} {key!r} has a row already",
                        suggestion="give each one row",
                    )
                    continue
                value = record.get(sheet.value) if sheet.value else record
                table[key] = value
                self.where[(*path, key)] = _Location(sheet.name, row, sheet.value or None)
                if not sheet.value:
                    self.note((*path, key), sheet.name, row, record)
            return
        target[last] = [record for _, record in records]
        self.where[path] = _Location(sheet.name)
        for index, (row, record) in enumerate(records):
            self.where[(*path, index)] = _Location(sheet.name, row)
            self.note((*path, index), sheet.name, row, record)

    def note(
        self, path: tuple[str | int, ...], sheet: str, row: int, record: Mapping[str, Any]
    ) -> None:
        for key, value in record.items():
            self.where[(*path, key)] = _Location(sheet, row, key)
            if isinstance(value, Mapping):
                for inner in value:
                    self.where[(*path, key, inner)] = _Location(sheet, row, f"{key}.{inner}")

    def locate(self, problem: Problem) -> Problem:
        """The problem with its path moved to the sheet, row and column it came from."""
        segments = _segments(problem.path)
        for length in range(len(segments), 0, -1):
            found = self.where.get(segments[:length])
            if found is not None:
                return attrs.evolve(problem, path=found.text(segments[length:]), file=self.source)
        return attrs.evolve(problem, file=self.source)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _escaped(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code in _UNWRITABLE else match.group(0)


def _unescape(value: object) -> object:
    if isinstance(value, str) and "_x" in value:
        return _ESCAPE.sub(_escaped, value)
    return value


def _ambiguous(text: str) -> bool:
    """Whether the text holds a literal ``_xHHHH_`` that reads back as a control character."""
    return any(int(m.group(1), 16) in _UNWRITABLE for m in _ESCAPE.finditer(text))


def _engagement(tables: Mapping[str, _Table], source: str) -> Engagement:
    reader = _Reader(source)
    data = reader.document(tables)
    if reader.problems:
        raise InvalidEngagementError(reader.problems)
    try:
        return from_dict(data, source)
    except InvalidEngagementError as error:
        raise InvalidEngagementError([reader.locate(p) for p in error.problems]) from None


# --------------------------------------------------------------------------- reading


def is_spreadsheet(path: Path) -> bool:
    """Whether `load` reads `path` as a spreadsheet: ``.xlsx``, ``.zip``, or a folder."""
    suffix = path.suffix.lower()
    return suffix in {".xlsx", ".zip"} or (path.is_dir() and suffix not in _TEXT_SUFFIXES)


def read_spreadsheet(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> Engagement:
    """Read an engagement from a workbook (``.xlsx``) or CSV files (a folder or a ``.zip``).

    Raises `UnreadableFileError` when the file cannot be read, `MissingExtraError` when a
    workbook is read without openpyxl, and `InvalidEngagementError` with every problem
    located by sheet, row and column.
    """
    path = Path(path)
    return _engagement(_tables(path, max_bytes), str(path))


def _tables(path: Path, max_bytes: int) -> dict[str, _Table]:
    name = str(path)
    if path.is_dir():
        return _csv_tables(_folder_files(path, max_bytes), name)
    raw = _read_bytes(path, max_bytes)
    if path.suffix.lower() == ".zip":
        return _csv_tables(_zip_files(raw, name, max_bytes), name)
    return _xlsx_tables(raw, name, max_bytes)


def locate(
    problems: Sequence[Problem], path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES
) -> tuple[Problem, ...]:
    """Problems of an engagement read from a spreadsheet, moved to its sheets, rows and columns.

    For what is found after loading (`itstrat_engine.validate`'s unknown ids, cycles,
    windows): ``initiative[4].requires`` becomes ``sheet initiatives, row 6, column
    requires``. Problems of other files, and paths the workbook does not hold, are kept.
    """
    path = Path(path)
    reader = _Reader(str(path))
    try:
        reader.document(_tables(path, max_bytes))
    except ItstratError:  # unreadable: its problems already say so, where they can
        return tuple(problems)
    return tuple(
        reader.locate(p) if p.file in {None, str(path)} and p.path else p for p in problems
    )


def _unreadable(name: str, code: str, message: str, suggestion: str) -> UnreadableFileError:
    return UnreadableFileError(
        Problem(code=code, path="", message=message, suggestion=suggestion, file=name)
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    if not path.is_file():
        hint = (
            did_you_mean(path.name, [p.name for p in path.parent.glob("*")])
            if path.parent.is_dir()
            else None
        )
        raise _unreadable(name, "missing-file", "no such file", hint or "check the path")
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise _unreadable(
            name, "unreadable", f"cannot read the file ({error.strerror})", "check its permissions"
        ) from None
    if len(raw) > max_bytes:
        raise _unreadable(
            name,
            "too-large",
            f"the file is larger than the limit of {max_bytes:,} bytes",
            "split it, or raise the limit (max_bytes=...) if it really is one input",
        )
    return raw


def _open_zip(raw: bytes, name: str, max_bytes: int) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(bytes_io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise _unreadable(
            name,
            "not-a-workbook",
            "not a zip archive (an .xlsx workbook is one)",
            "save it from Excel or LibreOffice as .xlsx, or zip the CSV files",
        ) from None
    # A small archive can unpack to gigabytes: refuse what would exceed the input limit.
    if sum(info.file_size for info in archive.infolist()) > 8 * max_bytes:
        raise _unreadable(
            name,
            "too-large",
            "the archive unpacks to more than the input limit allows",
            "check the file; a workbook of an engagement is a few megabytes",
        )
    return archive


def _xlsx_tables(raw: bytes, name: str, max_bytes: int) -> dict[str, _Table]:
    try:
        import openpyxl  # noqa: PLC0415 - optional extra, imported only to read a workbook
    except ImportError:
        raise MissingExtraError("reading a workbook", "excel") from None
    _open_zip(raw, name, max_bytes)  # refuses what is not a zip, or unpacks too large
    try:
        book = openpyxl.load_workbook(bytes_io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise _unreadable(
            name,
            "not-a-workbook",
            f"not a readable .xlsx workbook ({type(error).__name__}: {error})",
            "open it in Excel or LibreOffice and save it again as .xlsx",
        ) from None
    tables: dict[str, _Table] = {}
    try:
        for worksheet in book.worksheets:
            # Some writers record a wrong used range; read what the sheet really holds.
            worksheet.reset_dimensions()
            rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
            tables[worksheet.title] = _table(rows)
    finally:
        book.close()
    return tables


def _table(rows: Sequence[tuple[object, ...]]) -> _Table:
    if not rows:
        return _Table((), ())
    return _Table(rows[0], tuple((number, row) for number, row in enumerate(rows[1:], start=2)))


def _folder_files(folder: Path, max_bytes: int) -> dict[str, bytes]:
    files = sorted(p for p in folder.glob("*.csv") if p.is_file())
    if not files:
        raise _unreadable(
            str(folder),
            "is-directory",
            "is a directory, not a file, and holds no CSV tables",
            f"name an engagement file, or put one CSV file per table in it ({folder}/engagement.csv, ...)",
        )
    return {p.stem: _read_bytes(p, max_bytes) for p in files}


def _zip_files(raw: bytes, name: str, max_bytes: int) -> dict[str, bytes]:
    archive = _open_zip(raw, name, max_bytes)
    return {
        Path(info.filename).stem: archive.read(info)
        for info in archive.infolist()
        if info.filename.lower().endswith(".csv") and not info.is_dir()
    }


def _csv_tables(files: Mapping[str, bytes], name: str) -> dict[str, _Table]:
    tables: dict[str, _Table] = {}
    for stem, raw in files.items():
        where = f"{name}/{stem}.csv" if not name.endswith(".zip") else f"{name}:{stem}.csv"
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise _unreadable(where, "not-utf8", "not UTF-8 text", "save it as UTF-8 CSV") from None
        try:
            rows = [tuple(row) for row in csv.reader(bytes_io.StringIO(text, newline=""))]
        except csv.Error as error:
            raise _unreadable(
                where, "syntax", f"CSV syntax error: {error}", "check the quoting"
            ) from None
        tables[stem] = _table(rows)
    return tables


# --------------------------------------------------------------------------- writing


def _layout(engagement: Engagement) -> list[tuple[Sheet, list[str], list[list[object]]]]:
    """Every sheet's header and rows of plain values (lists still as lists)."""
    data = to_dict(engagement)
    laid: list[tuple[Sheet, list[str], list[list[object]]]] = []
    for sheet in SHEETS:
        records = _records(sheet, data)
        types_ = _fields(sheet)
        header: list[str] = []
        for key, type_ in types_.items():  # in the model's order, tables as dotted columns
            if _is_mapping(type_):
                inner = dict.fromkeys(k for r in records for k in r.get(key, {}))
                header += [f"{key}.{k}" for k in inner]
            else:
                header.append(key)
        rows = []
        for record in records:
            row: list[object] = []
            for column in header:
                head, dot, key = column.partition(".")
                value = record.get(head, {}).get(key) if dot else record.get(column)
                row.append(value)
            rows.append(row)
        laid.append((sheet, header, rows))
    return laid


def _records(sheet: Sheet, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    node: Any = data
    for part in sheet.path:
        node = node.get(part) if isinstance(node, Mapping) else None
    if node is None:
        return []
    if sheet.name == "pairwise":
        return [
            {"objectives": o, "matrix": m}
            for o, m in zip(node["objectives"], node["matrix"], strict=False)
        ]
    if not sheet.many:
        return [{k: v for k, v in node.items() if k not in sheet.skip}]
    if sheet.key:
        return [
            {sheet.key: key, **({sheet.value: value} if sheet.value else value)}
            for key, value in node.items()
        ]
    return list(node)


def _column_types(sheet: Sheet, header: Sequence[str]) -> list[Any]:
    types_ = _fields(sheet)
    found = []
    for column in header:
        head, dot, _ = column.partition(".")
        type_ = types_[head]
        found.append(typing.get_args(type_)[1] if dot else type_)
    return found


def _text_rows(sheet: Sheet, header: list[str], rows: list[list[object]]) -> list[list[str]]:
    """The rows as CSV text: every value in the form `read_spreadsheet` reads back."""
    types_ = _column_types(sheet, header)
    return [
        [_csv_text(value, type_) for value, type_ in zip(row, types_, strict=True)] for row in rows
    ]


def _csv_text(value: object, type_: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return _list_text(value, type_)
    if isinstance(value, str):
        if _text_or_number(type_) and (
            value.lstrip().startswith('"') or _number(value) is not None
        ):
            return '"' + value.replace('"', '""') + '"'  # read back as the text, not a number
        return value
    return _item_text(value)


def to_csv_files(engagement: Engagement) -> dict[str, str]:
    """The engagement as CSV text, one file name (``initiatives.csv``) per table, in order.

    >>> from itstrat_engine import generate
    >>> list(to_csv_files(generate(3, seed=1)))[:3]
    ['engagement.csv', 'objectives.csv', 'pairwise.csv']
    """
    files: dict[str, str] = {}
    for sheet, header, rows in _layout(engagement):
        out = bytes_io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(_text_rows(sheet, header, rows))
        files[f"{sheet.name}.csv"] = out.getvalue()
    return files


def to_csv_zip(engagement: Engagement) -> bytes:
    """The CSV files of `to_csv_files` in one zip archive with fixed dates (same bytes)."""
    buffer = bytes_io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, text in to_csv_files(engagement).items():
            info = zipfile.ZipInfo(file_name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# Sheet -> the table of docs/engagement-file.md that explains its columns.
_DOC_TABLES = {
    "engagement": "engagement",
    "objectives": "objective",
    "pairwise": "pairwise",
    "services": "service",
    "survey": "survey",
    "responses": "response",
    "issues": "issue",
    "initiatives": "initiative",
    "groups": "group",
    "capacity": "capacity",
    "contractors": "contractor",
    "pools": "pool",
    "plan": "plan",
}
_SKILL_NOTE = "The skill id that effort.<skill> columns of the initiatives sheet refer to."
_EXTRA_NOTES = {
    "skills": {"skill": _SKILL_NOTE, "hours": KEY_NOTES["capacity"]["skills"]},
    "contractors": {"skill": _SKILL_NOTE},
    "pairwise": {
        "objectives": "One row per compared objective, in matrix order: its objective id.",
        "matrix": "This objective's row of judgments, comma-separated (1/3 for a fraction). "
        + KEY_NOTES["pairwise"]["matrix"],
    },
}


def column_note(sheet: str, column: str) -> str:
    """The note explaining a column (from docs/engagement-file.md), or "" for none.

    >>> column_note("initiatives", "effort.infra")[:23]
    'Total hours per skill, '
    """
    head, dot, key = column.partition(".")
    found = _EXTRA_NOTES.get(sheet, {}).get(column)
    if found is None:
        found = KEY_NOTES.get(_DOC_TABLES.get(sheet, ""), {}).get(head, "")
    if not found:  # a key the reference does not describe yet: at least say its type
        by_name = {s.name: s for s in SHEETS}
        type_ = _fields(by_name[sheet]).get(head) if sheet in by_name else None
        found = f"Type: {_describe(type_)}." if type_ is not None else ""
    if dot and found:
        return f"{found} This column: {key}."
    return found


def to_xlsx(engagement: Engagement) -> bytes:
    """The engagement as an Excel workbook, one sheet per table, same bytes for equal input.

    Every header carries a note saying what its key means. Raises `MissingExtraError`
    without XlsxWriter, and `InvalidEngagementError` for a text longer than a cell holds.
    """
    try:
        import xlsxwriter  # noqa: PLC0415 - optional extra, imported only to write a workbook
    except ImportError:
        raise MissingExtraError("writing a workbook", "excel") from None
    buffer = bytes_io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {"title": engagement.scope.client, "created": FIXED_DATE.replace(tzinfo=None)}
    )
    bold = book.add_format({"bold": True})
    problems: list[Problem] = []
    for sheet, header, rows in _layout(engagement):
        worksheet = book.add_worksheet(sheet.name)
        worksheet.freeze_panes(1, 0)
        types_ = _column_types(sheet, header)
        for column, title in enumerate(header):
            worksheet.write_string(0, column, title, bold)
            worksheet.set_column(column, column, max(10, min(40, len(title) + 2)))
            note = column_note(sheet.name, title)
            if note:
                worksheet.write_comment(0, column, note, {"x_scale": 2.5, "y_scale": 2})
        for row_index, row in enumerate(rows, start=1):
            for column, (value, type_) in enumerate(zip(row, types_, strict=True)):
                refused = _write(worksheet, row_index, column, value, type_)
                if refused:
                    problems.append(
                        Problem(
                            code="not-in-excel",
                            path=f"sheet {sheet.name}, row {row_index + 1}, column {header[column]}",
                            message=refused,
                            suggestion="change the text, or keep this engagement in TOML or CSV",
                        )
                    )
    if problems:
        raise InvalidEngagementError(problems)
    book.close()
    return buffer.getvalue()


def _write(worksheet: Any, row: int, column: int, value: object, type_: Any) -> str:
    """Write one cell in the form it reads back as; why not when it cannot be ("" if written)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
        return ""
    if isinstance(value, int | float) and _exact_in_excel(value):
        worksheet.write_number(row, column, value)
        return ""
    text = _csv_text(value, type_)
    if len(text) > _MAX_CELL_TEXT:
        return f"more than {_MAX_CELL_TEXT:,} characters for one Excel cell"
    if _ambiguous(text):
        return "the text holds an Excel escape (_x0000_ and the like) that would read back changed"
    worksheet.write_string(row, column, text)
    return ""


def _exact_in_excel(number: float) -> bool:
    """Whether XlsxWriter's 16 significant digits give back exactly this number."""
    return math.isfinite(number) and float(f"{number:.16G}") == number and abs(number) < 2**53


def write_csv_folder(engagement: Engagement, folder: str | Path) -> None:
    """Write the CSV files into a new folder, all at once: a temporary folder, then a rename.

    Raises `UnwritableFileError` when the folder exists already or cannot be written; then
    nothing is left behind.
    """
    folder = Path(folder)
    files = to_csv_files(engagement)
    if folder.exists():
        raise _unwritable(folder, "the folder exists already", "name a new folder, or a .zip")
    temporary: Path | None = None
    try:
        parent = folder.parent if str(folder.parent) else Path()
        temporary = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.", suffix=".tmp"))
        for file_name, text in files.items():
            (temporary / file_name).write_text(text, encoding="utf-8", newline="")
        temporary.chmod(0o755)
        temporary.rename(folder)
    except OSError as error:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)  # our own temporary folder only
        raise _unwritable(
            folder,
            f"cannot write the folder ({error.strerror or error})",
            "check that its parent exists and is writable",
        ) from None


def _unwritable(path: Path, message: str, suggestion: str) -> UnwritableFileError:
    return UnwritableFileError(
        Problem(code="unwritable", path="", message=message, suggestion=suggestion, file=str(path))
    )
