"""A class's own data as a CSV of x, y, label: read line by line into points a 'points' run takes,
or refused with every bad line named (its number and what is wrong with it, a few of them).

What a spreadsheet writes is accepted: a header row or none, a byte-order mark, CRLF or CR line
ends, fields in double quotes, spaces around fields, blank lines, whole-number labels written as
1.0. Anything else is an error naming its line: a wrong number of columns, a field that is not a
plain decimal number (Python's float() would take "1_000", "١٢" and "nan"; this does not), a
value that is not finite or out of the range a point may have, a label that is not a class, a
line longer than any real row, more rows than the server's limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.core.bounds import MAX_CLASSES

from .config import Point
from .limits import RunLimits

MAX_ERRORS = 20  # errors listed; the rest are counted
MAX_LINE_CHARS = 200  # far more than "-123456.789012, -123456.789012, 7" needs
COORDINATE_LIMIT = 1e6  # as Point's bounds
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
LINE_ENDS = re.compile(r"\r\n|\r|\n")
COLUMNS = ("x", "y", "label")


@dataclass
class CsvPoints:
    points: list[Point]
    classes: int  # the largest label + 1, at least 2
    header: bool  # the first line was a header, not a point


@dataclass
class CsvRefused(ValueError):
    """What is wrong, line by line: the first MAX_ERRORS messages and how many more there are."""

    errors: list[str] = field(default_factory=list)
    more: int = 0

    def add(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)
        else:
            self.more += 1

    def __str__(self) -> str:
        return "; ".join(self.errors) + (f" and {self.more} more" if self.more else "")


def _shown(text: str) -> str:
    """A field as a message quotes it: clipped, since a line may be long."""
    return repr(text if len(text) <= 20 else text[:20] + "…")


def _fields(line: str) -> list[str]:
    """A line's comma-separated fields, each without surrounding spaces and one pair of quotes."""
    out = []
    for raw in line.split(","):
        text = raw.strip()
        if len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1].strip()
        out.append(text)
    return out


def _number(name: str, text: str) -> float:
    """A field as a finite number within a point's range; ValueError saying what is wrong."""
    if NOT_FINITE.fullmatch(text):
        raise ValueError(f"{name} {_shown(text)} is not a finite number")
    if not NUMBER.fullmatch(text):
        raise ValueError(f"{name} {_shown(text)} is not a number" if text else f"{name} is empty")
    value = float(text)  # the pattern allows no inf or nan, but 1e999 overflows to inf
    if not abs(value) <= COORDINATE_LIMIT:
        limit = f"{COORDINATE_LIMIT:g}"
        raise ValueError(f"{name} {_shown(text)} is out of range (from -{limit} to {limit})")
    return value


def _label(text: str) -> int:
    value = _number("label", text)
    if value != int(value) or not 0 <= value < MAX_CLASSES:
        raise ValueError(f"label {_shown(text)} is not a class (a whole number from 0 to {MAX_CLASSES - 1})")
    return int(value)


def _is_header(fields: list[str]) -> bool:
    """A first line none of whose fields is a number (x,y,label; "X","Y","class") is a header."""
    return not any(NUMBER.fullmatch(f) or NOT_FINITE.fullmatch(f) for f in fields)


def parse_points_csv(text: str, limits: RunLimits) -> CsvPoints:
    """The points of a CSV of x, y, label; CsvRefused naming each bad line otherwise."""
    refused = CsvRefused()
    points: list[Point] = []
    header = False
    first = True
    rows = 0
    for number, line in enumerate(LINE_ENDS.split(text.removeprefix("\ufeff")), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            refused.add(f"line {number}: longer than {MAX_LINE_CHARS} characters; a row is x, y, label")
            first = False
            continue
        fields = _fields(line)
        if first and _is_header(fields):
            header, first = True, False
            continue
        first = False
        rows += 1
        if rows > limits.max_points:
            continue  # counted, and said once below
        if len(fields) != len(COLUMNS):
            refused.add(f"line {number}: {len(fields)} columns, expected 3 (x, y, label)")
            continue
        try:
            x, y = _number("x", fields[0]), _number("y", fields[1])
            points.append(Point(x=x, y=y, label=_label(fields[2])))
        except ValueError as e:
            refused.add(f"line {number}: {e}")
    if rows > limits.max_points:
        refused.add(f"too many rows: this server allows at most {limits.max_points} points, got {rows}")
    if refused.errors:
        raise refused
    if not points:
        raise CsvRefused(["no rows: write one point a line, x, y, label (a header line is optional)"])
    labels = {p.label for p in points}
    if len(labels) < 2:
        raise CsvRefused(
            [f"every point has label {labels.pop()}: a classifier needs points of two classes at least"]
        )
    return CsvPoints(points=points, classes=max(2, max(labels) + 1), header=header)
