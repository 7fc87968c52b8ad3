"""The pipe between the server and its frame process: one message is a 4-byte little-endian length
and a pickle (the server writes both ends, so it trusts what it reads), and the datasets each end
knows the other holds, so that a job carries its data only when the process does not have it."""

from __future__ import annotations

import pickle
import struct
from collections import OrderedDict

LENGTH = struct.Struct("<I")
DATA_KEPT = 64  # datasets the frame process keeps; a classroom has ~30 runs


def pack(payload) -> bytes:
    """One message: its length, then its pickle."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return LENGTH.pack(len(data)) + data


def write_message(stream, payload) -> None:
    stream.write(pack(payload))
    stream.flush()


def read_message(stream):
    """The next message, or None at the end of the stream."""
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    (length,) = LENGTH.unpack(head)
    body = stream.read(length)
    if len(body) < length:
        return None
    return pickle.loads(body)


class DataCache:
    """The datasets the frame process holds, the least recently used dropped past `size`. The
    server runs the same cache over the same keys (storing True for the data it sent), so it
    knows what the process holds and sends a dataset only when the process does not have it."""

    def __init__(self, size: int = DATA_KEPT):
        self.size = size
        self._kept: OrderedDict[tuple, object] = OrderedDict()

    def __contains__(self, key: tuple) -> bool:
        return key in self._kept

    def use(self, key: tuple, data=None):
        """The value kept for `key`, `data` being stored first when given; None, and nothing
        stored, for a key it does not hold and no data."""
        if data is not None:
            self._kept[key] = data
        elif key not in self._kept:
            return None
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return self._kept[key]
