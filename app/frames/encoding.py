"""The binary frame: a length-prefixed JSON header, then 4-byte aligned arrays read in place.

    bytes 0..3          uint32, little-endian: L, the length of the header that follows
    bytes 4..4+L        UTF-8 JSON header, padded with spaces so that 4 + L is a multiple of 4
    then                each array's raw little-endian bytes at header.arrays[i].offset (from the
                        start of the message, a multiple of 4), row-major, padded to 4 bytes

A browser reads a float32 array as new Float32Array(buffer, offset, length) with no copy: that
reader is decodeFrame in static/protocol.js. docs/protocol.md is the full description; this module
is the only code that writes the layout.
"""

from __future__ import annotations

import json
import struct

import numpy as np

ALIGN = 4
DTYPES = {"float32": np.dtype("<f4"), "uint8": np.dtype("u1")}


def _pad(n: int) -> int:
    return (-n) % ALIGN


OFFSET_WIDTH = 10  # each array's offset is written right-aligned in 10 characters (JSON allows the spaces)
_JSON = json.JSONEncoder(separators=(",", ":"), allow_nan=False)  # ASCII out: characters are bytes
_PADDING = [b"\0" * n for n in range(ALIGN)]


def _json_string(name: str) -> str:
    return f'"{name}"' if name.isidentifier() and name.isascii() else json.dumps(name)


def encode_frame(header: dict, arrays: list[tuple[str, np.ndarray]]) -> bytes:
    """The frame for `header` (JSON-able, finite numbers only) and named float32 or uint8 arrays."""
    specs, blobs = [], []
    for name, array in arrays:
        dtype = "uint8" if array.dtype == np.uint8 else "float32"
        blobs.append(np.ascontiguousarray(array, dtype=DTYPES[dtype]))  # joined below as it is: no copy here
        shape = ",".join([str(n) for n in array.shape])
        specs.append(
            f'{{"name":{_json_string(name)},"dtype":"{dtype}","shape":[{shape}],'
            f'"length":{array.size},"offset":'
        )
    scalars = _JSON.encode(header)
    opening = f'{scalars[:-1]}{"," if header else ""}"arrays":['
    # The offsets count from the start of the message, so they depend on the header's length;
    # written at a fixed width they do not change it, so the length is known before they are.
    length = len(opening) + sum(len(spec) + OFFSET_WIDTH + 1 for spec in specs) + max(len(specs) - 1, 0) + 2
    prefix = 4 + length + _pad(4 + length)
    listed, offset = [], prefix
    for spec, blob in zip(specs, blobs):
        listed.append(f"{spec}{offset:>{OFFSET_WIDTH}}}}")
        offset += blob.nbytes + _pad(blob.nbytes)
    text = f"{opening}{','.join(listed)}]}}"
    parts = [struct.pack("<I", prefix - 4), text.ljust(prefix - 4).encode()]
    for blob in blobs:
        parts += [blob, _PADDING[_pad(blob.nbytes)]]
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
