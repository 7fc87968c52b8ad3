"""The binary frame: a length-prefixed JSON header, then 4-byte aligned arrays read in place.

    bytes 0..3          uint32, little-endian: L, the length of the header that follows
    bytes 4..4+L        UTF-8 JSON header, padded with spaces so that 4 + L is a multiple of 4
    then                each array's raw little-endian bytes at header.arrays[i].offset (from the
                        start of the message, a multiple of 4), row-major, padded to 4 bytes

A browser reads a float32 array as new Float32Array(buffer, offset, length) with no copy.
docs/protocol.md is the full description; this module is the only code that writes the layout.
"""

from __future__ import annotations

import json
import struct

import numpy as np

ALIGN = 4
DTYPES = {"float32": np.dtype("<f4"), "uint8": np.dtype("u1")}


def _pad(n: int) -> int:
    return (-n) % ALIGN


def encode_frame(header: dict, arrays: list[tuple[str, np.ndarray]]) -> bytes:
    """The frame for `header` (JSON-able, finite numbers only) and named float32 or uint8 arrays."""
    specs, blobs = [], []
    for name, array in arrays:
        dtype = DTYPES["uint8"] if array.dtype == np.uint8 else DTYPES["float32"]
        blob = np.ascontiguousarray(array, dtype=dtype).tobytes()
        specs.append({"name": name, "dtype": dtype.name if dtype.kind == "u" else "float32",
                      "shape": list(array.shape), "length": int(array.size)})  # fmt: skip
        blobs.append(blob)
    # The offsets count from the start of the message, so they depend on the header's length,
    # which depends on the offsets' digits: grow the reserved header space until it fits.
    prefix = 4
    while True:
        offset = prefix
        for spec, blob in zip(specs, blobs):
            spec["offset"] = offset
            offset += len(blob) + _pad(len(blob))
        body = json.dumps({**header, "arrays": specs}, separators=(",", ":"), allow_nan=False).encode()
        needed = 4 + len(body) + _pad(4 + len(body))
        if needed <= prefix:
            break
        prefix = needed
    body += b" " * (prefix - 4 - len(body))
    parts = [struct.pack("<I", len(body)), body]
    for blob in blobs:
        parts += [blob, b"\0" * _pad(len(blob))]
    return b"".join(parts)


def decode_frame(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """(header, {name: array}) of a frame: what a Python client does, and what the tests check."""
    (length,) = struct.unpack_from("<I", data, 0)
    header = json.loads(data[4 : 4 + length])
    arrays = {}
    for spec in header["arrays"]:
        if spec["offset"] % ALIGN:
            raise ValueError(f"array {spec['name']} is not {ALIGN}-byte aligned")
        dtype = DTYPES[spec["dtype"]]
        flat = np.frombuffer(data, dtype=dtype, count=spec["length"], offset=spec["offset"])
        arrays[spec["name"]] = flat.reshape(spec["shape"])
    return header, arrays


def quantize_probabilities(y_hat: np.ndarray) -> np.ndarray:
    """Probabilities in [0, 1] as uint8 0..255 (a non-finite one, from a diverged run, as 0)."""
    return np.round(np.nan_to_num(y_hat, nan=0.0, posinf=1.0, neginf=0.0) * 255).astype(np.uint8)
