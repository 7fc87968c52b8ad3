"""A student's gradients as they paste them: CSV blocks, each headed by the parameter's name (or an
intermediate's: dz2, da1, dz1; at any depth W1 ... W7, b1 ... b7, dz1 ... dz7, da1 ... da6).

    W1
    0.12, -0.03, 0.5
    0.07, 0.2, -0.1
    b1
    0.01 0.02 0.03

Numbers are separated by commas or spaces; a header may be written '# W1' (np.savetxt's header)
or 'W1:'; a bias may be one row or one column. JSON uploads need no parsing beyond the schema.
"""

from __future__ import annotations

import re

import numpy as np

from app.core.network import PARAM_NAMES

MAX_CSV_CHARS = 2_000_000
INTERMEDIATE_NAMES = ("dz2", "da1", "dz1")
_HEADER = re.compile(r"^\s*#?\s*(d?[Wb][1-7]|dz[1-7]|da[1-6])\s*:?\s*$")


def parse_gradients_csv(text: str) -> dict[str, np.ndarray]:
    """{name: array} from CSV blocks; ValueError naming the line that is wrong."""
    if len(text) > MAX_CSV_CHARS:
        raise ValueError(f"csv must be at most {MAX_CSV_CHARS} characters, got {len(text)}")
    blocks: dict[str, list[list[float]]] = {}
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        header = _HEADER.match(line)
        if header:
            name = header.group(1)
            current = name if name[:2] in ("dz", "da") else name.removeprefix("d")
            if current in blocks:
                raise ValueError(f"csv line {number}: {current} is given twice")
            blocks[current] = []
            continue
        if current is None:
            raise ValueError(
                f"csv line {number}: expected a parameter name ({', '.join(PARAM_NAMES)}) "
                f"or an intermediate's ({', '.join(INTERMEDIATE_NAMES)}) before numbers"
            )
        try:
            row = [float(v) for v in re.split(r"[,\s;]+", line.strip()) if v]
        except ValueError:
            raise ValueError(f"csv line {number}: {line.strip()[:40]!r} is not a row of numbers") from None
        blocks[current].append(row)
    arrays = {}
    for name, rows in blocks.items():
        if not rows:
            raise ValueError(f"csv: {name} has no numbers")
        if len({len(r) for r in rows}) != 1:
            raise ValueError(f"csv: the rows of {name} have different lengths")
        array = np.array(rows, dtype=np.float64)
        arrays[name] = array.ravel() if name.startswith("b") else array
    if not arrays:
        raise ValueError("csv holds no gradients: start each block with its name, e.g. a line 'W1'")
    return arrays
