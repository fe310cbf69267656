"""The features the learned models see; training and inference both call ``hashed``.

Word unigrams, word bigrams and byte 3-, 4- and 5-grams of the normalised text, hashed into
2**BITS buckets, counted, and scaled by 1 / sqrt(feature count). The hashing is vectorised
over a whole batch with numpy (a polynomial hash over prefix sums, mod 2**32), so a batch costs
a handful of array operations rather than a Python loop per n-gram: that is what makes the
engine fast. The hash is fixed (not Python's salted ``hash``), so weights are reproducible.
"""

from __future__ import annotations

import numpy as np

BITS = 20
CHAR_NGRAMS = (3, 4, 5)
MAX_WORDS = 200  # past this, features come from the first 200 words only
_P = np.uint32(0x01000193)  # odd, so invertible mod 2**32
_P_INV = np.uint32(pow(0x01000193, -1, 2**32))
_MIX = np.uint32(0x9E3779B1)
_SALT = {"w": 0x1234567, "b": 0x7654321, 3: 0x0ABCDEF, 4: 0x0FEDCBA, 5: 0x5A5A5A5}
_SPACE, _SEP = 32, 0
_tables: tuple[np.ndarray, np.ndarray] = (np.ones(0, np.uint32), np.ones(0, np.uint32))


def _pow_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i mod 2**32 for i < n, grown on demand. Replaced as one tuple, so a thread
    never sees one table grown and the other not."""
    global _tables
    tables = _tables
    if len(tables[0]) < n:
        size = max(n, 2 * len(tables[0]), 4096)
        grown = []
        for base in (_P, _P_INV):
            x = np.full(size, base, np.uint32)
            x[0] = 1
            with np.errstate(over="ignore"):
                grown.append(np.cumprod(x, dtype=np.uint32))
        tables = _tables = (grown[0], grown[1])
    return tables


def _bucket(h: np.ndarray, salt: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        return ((h + np.uint32(salt)) * _MIX) >> np.uint32(32 - BITS)


def hashed(docs: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For a batch of normalised word lists: (document index, bucket) of every feature
    occurrence, and the number of feature occurrences per document."""
    encoded = [(" " + " ".join(words[:MAX_WORDS]) + " ").encode("utf-8") for words in docs]
    lengths = np.fromiter(map(len, encoded), np.int64, len(encoded))
    buf = np.frombuffer(b"\x00".join(encoded), np.uint8).astype(np.uint32)
    n = len(buf)
    p, q = _pow_tables(n + 1)
    with np.errstate(over="ignore"):
        # prefix[i] = sum_{j<i} buf[j] * P**j; span [a, b) hashes to (prefix[b]-prefix[a]) / P**a
        prefix = np.zeros(n + 1, np.uint32)
        np.cumsum(buf * p[:n], dtype=np.uint32, out=prefix[1:])
    doc_of_byte = np.repeat(np.arange(len(docs)), lengths + 1)[:n]
    is_sep = buf == _SEP
    seps = np.concatenate(([0], np.cumsum(is_sep, dtype=np.int64)))

    doc_parts: list[np.ndarray] = []
    bucket_parts: list[np.ndarray] = []

    def spans(a: np.ndarray, b: np.ndarray, salt: int) -> None:
        with np.errstate(over="ignore"):
            h = (prefix[b] - prefix[a]) * q[a]
        bucket_parts.append(_bucket(h, salt))
        doc_parts.append(doc_of_byte[a])

    for k in CHAR_NGRAMS:
        if n < k:
            continue
        a = np.arange(n - k + 1)
        a = a[seps[a + k] == seps[a]]  # no n-gram crosses from one document to the next
        spans(a, a + k, _SALT[k])
    # Words lie between consecutive boundaries (spaces, document separators); every document
    # starts and ends with a space next to its separator, so no word or bigram spans two.
    bounds = np.flatnonzero((buf == _SPACE) | is_sep)
    if len(bounds) > 1:
        left, right = bounds[:-1], bounds[1:]
        keep = right - left > 1
        spans(left[keep] + 1, right[keep], _SALT["w"])
        if len(bounds) > 2:
            l2, mid, r2 = bounds[:-2], bounds[1:-1], bounds[2:]
            ok = (mid - l2 > 1) & (r2 - mid > 1) & ~is_sep[mid]
            spans(l2[ok] + 1, r2[ok], _SALT["b"])
    if not bucket_parts:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(len(docs), np.int64)
    doc_idx = np.concatenate(doc_parts)
    buckets = np.concatenate(bucket_parts).astype(np.int64)
    counts = np.bincount(doc_idx, minlength=len(docs))
    return doc_idx, buckets, counts
