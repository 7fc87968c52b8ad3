"""The binary frame: a length-prefixed JSON header, then 4-byte aligned arrays read in place.

    bytes 0..3          uint32, little-endian: L, the length of the header that follows
    bytes 4..4+L        UTF-8 JSON header, padded with spaces so that 4 + L is a multiple of 4
    then                each array's raw little-endian bytes at header.arrays[i].offset (from the
                        start of the message, a multiple of 4), row-major, padded to 4 bytes

A browser reads a float32 array as new Float32Array(buffer, offset, length) with no copy: that
reader is decodeFrame in static/lib/protocol.js. docs/protocol.md is the full description; this
module is the only code that writes the layout.

A float array can also go as "float16" with a power-of-two `exponent` of its own (`scaled16`):
value = stored * 2**exponent, the exponent chosen so that the array's largest |entry| is stored in
[2**14, 2**15). Every entry down to 2**-29 of the array's largest keeps float16's 11 significant
bits (relative error at most 2**-11, about 3 significant digits) whatever its own size: a layer's
vanishing gradient of 1e-7 is sent as well as an exploding one of 1e5, where plain float16 would
flush the first to 0 and overflow the second. Half the bytes of float32.
"""

from __future__ import annotations

import json
import struct

import numpy as np

ALIGN = 4
DTYPES = {"float32": np.dtype("<f4"), "uint8": np.dtype("u1"), "float16": np.dtype("<f2")}
# The scaled float16 form stores the array's largest |entry| in [2**14, 2**15): under float16's
# largest finite value (65504) after rounding, with 2**29 of normal range below it.
SCALED16_TOP = 15


class Scaled16:
    """A float array as float16 `stored` and a power of two: stored * 2**exponent."""

    __slots__ = ("stored", "exponent", "shape")

    def __init__(self, stored: np.ndarray, exponent: int):
        self.stored, self.exponent, self.shape = stored, exponent, stored.shape


def scaled16(array: np.ndarray) -> Scaled16:
    """`array` as float16 with its own power-of-two scale (a non-finite entry stays nan or inf)."""
    values = np.asarray(array, dtype=np.float32)
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    if not np.isfinite(largest):  # a diverged run's nan or inf: scale by the finite entries
        finite = np.abs(values[np.isfinite(values)])
        largest = float(finite.max()) if finite.size else 0.0
    # largest / 2**exponent in [2**14, 2**15)
    exponent = int(np.frexp(largest)[1]) - SCALED16_TOP if largest > 0 else 0
    stored = np.ldexp(values, -exponent).astype("<f2")  # a power of two: exact until float16's rounding
    return Scaled16(stored, exponent)


def _pad(n: int) -> int:
    return (-n) % ALIGN


OFFSET_WIDTH = 10  # each array's offset is written right-aligned in 10 characters (JSON allows the spaces)
_JSON = json.JSONEncoder(separators=(",", ":"), allow_nan=False)  # ASCII out: characters are bytes
_PADDING = [b"\0" * n for n in range(ALIGN)]


def _json_string(name: str) -> str:
    return f'"{name}"' if name.isidentifier() and name.isascii() else json.dumps(name)


def encode_frame(header: dict, arrays: list[tuple[str, np.ndarray | Scaled16]]) -> bytes:
    """The frame for `header` (JSON-able, finite numbers only) and named arrays: uint8, float32
    (any other float array is sent as float32), or Scaled16 (float16 with its exponent)."""
    specs, blobs = [], []
    for name, array in arrays:
        if isinstance(array, Scaled16):
            dtype, scale, array = "float16", f',"exponent":{array.exponent}', array.stored
        else:
            dtype, scale = ("uint8" if array.dtype == np.uint8 else "float32"), ""
        blobs.append(np.ascontiguousarray(array, dtype=DTYPES[dtype]))  # joined below as it is: no copy here
        shape = ",".join([str(n) for n in array.shape])
        specs.append(
            f'{{"name":{_json_string(name)},"dtype":"{dtype}"{scale},"shape":[{shape}],'
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
    """(header, {name: array}) of a frame: what a Python client does, and what the tests check.
    A scaled float16 array comes back as float32, its exponent applied (as the page reads it)."""
    (length,) = struct.unpack_from("<I", data, 0)
    header = json.loads(data[4 : 4 + length])
    arrays = {}
    for spec in header["arrays"]:
        if spec["offset"] % ALIGN:
            raise ValueError(f"array {spec['name']} is not {ALIGN}-byte aligned")
        dtype = DTYPES[spec["dtype"]]
        flat = np.frombuffer(data, dtype=dtype, count=spec["length"], offset=spec["offset"])
        if spec["dtype"] == "float16":
            flat = np.ldexp(flat.astype(np.float32), spec["exponent"]).astype(np.float32)
        arrays[spec["name"]] = flat.reshape(spec["shape"])
    return header, arrays


def quantize_probabilities(y_hat: np.ndarray) -> np.ndarray:
    """Probabilities in [0, 1] as uint8 0..255 (a non-finite one, from a diverged run, as 0)."""
    return np.round(np.nan_to_num(y_hat, nan=0.0, posinf=1.0, neginf=0.0) * 255).astype(np.uint8)
