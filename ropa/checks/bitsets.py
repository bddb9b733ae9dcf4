"""Integer codes and bitsets, in numpy: the arithmetic under the consistency classification.

Sets of statements packed into ``uint64`` words (one bit per statement, in policy order),
dense ids of distinct keys, and group ids of the distinct rows of several integer columns
(hashed once, checked exactly).

Example:
    >>> import numpy as np
    >>> from ropa.checks.bitsets import first_bit, pack_bits, unpack_bits
    >>> bits = pack_bits(np.array([[False, True, True], [False, False, False]]), 1)
    >>> first_bit(bits).tolist(), unpack_bits(bits, 3)[0].tolist()
    ([1, -1], [False, True, True])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["first_bit", "first_rows", "group_ids", "pack_bits", "pair_ids", "unpack_bits"]


def pack_bits(mask: np.ndarray, words: int) -> np.ndarray:
    """Boolean rows (n × S) as bitsets: n × words uint64, bit s of row i = mask[i, s]."""
    packed = np.packbits(mask, axis=1, bitorder="little")
    full = np.zeros((mask.shape[0], words * 8), dtype=np.uint8)
    full[:, : packed.shape[1]] = packed
    return full.view("<u8")


def unpack_bits(bits: np.ndarray, n: int) -> np.ndarray:
    """Bitsets back to boolean rows of ``n`` columns."""
    return np.unpackbits(np.ascontiguousarray(bits).view(np.uint8), axis=1, bitorder="little")[:, :n].astype(bool)


def first_bit(bits: np.ndarray) -> np.ndarray:
    """Per row, the lowest set bit (the first statement in policy order), or -1."""
    nz = bits != 0
    has = nz.any(axis=1)
    w = nz.argmax(axis=1)
    x = bits[np.arange(len(bits)), w]
    low = x & (~x + np.uint64(1))
    with np.errstate(divide="ignore"):
        bit = np.log2(np.where(has, low, 1).astype(np.float64)).astype(np.int64)
    return np.where(has, w * 64 + bit, -1)


def pair_ids(key: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense ids of the distinct keys in [0, size): a look-up table when it is small enough."""
    if size > 20_000_000:
        inv, uniq = pd.factorize(key)
        return inv.astype(np.int32), np.asarray(uniq, dtype=np.int64)
    seen = np.zeros(size, dtype=bool)
    seen[key] = True
    uniq = np.flatnonzero(seen)
    ids = np.zeros(size, dtype=np.int32)
    ids[uniq] = np.arange(len(uniq), dtype=np.int32)
    return ids[key], uniq


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a well-spread 64-bit hash of each value."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX[1]
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX[2]
    return x ^ (x >> np.uint64(31))


def group_ids(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct rows of several integer columns, and each group's first row.

    The columns are hashed into one 64-bit value per row and factorized once; the result is
    then checked exactly (every row equals its group's first row), and on a hash collision
    the columns are factorized one by one instead.
    """
    n = len(columns[0]) if len(columns) else 0
    if not n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in columns:
            h = _mix(h * _MIX[0] + np.asarray(col).astype(np.uint64))
    codes, first = first_rows(pd.factorize(h)[0])
    if all(np.array_equal(col, np.asarray(col)[first][codes]) for col in columns):
        return codes, first
    codes = np.zeros(n, dtype=np.int64)
    for col in columns:
        c, u = pd.factorize(col)
        codes = pd.factorize(codes * len(u) + c)[0].astype(np.int64)
    return first_rows(codes)


def first_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes numbered by first appearance (as factorize numbers them), and each one's first row:
    a new code raises the running maximum."""
    codes = codes.astype(np.int64)
    if not len(codes):
        return codes, np.zeros(0, np.int64)
    high = np.maximum.accumulate(codes)
    return codes, np.flatnonzero(np.r_[True, high[1:] > high[:-1]])
