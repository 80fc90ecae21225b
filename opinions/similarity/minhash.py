"""MinHash-LSH over character shingles, for short Chinese text.

A text is folded the way screening folds it (traditional → simplified, width, case, punctuation
and spaces deleted: ``bureau.normalise.fold``), cut into overlapping character
shingles, and summarised by a MinHash signature (``datasketch``) of ``NUM_PERM`` values. Two
signatures estimate the Jaccard similarity of the shingle sets. For the lookup the signature is
cut into ``BANDS`` bands of ``ROWS`` values; each band is hashed with its number into one 63-bit
key. Texts sharing a key are candidates, verified by their estimated similarity.

With 32 bands of 4 rows, a pair at Jaccard 0.6 shares a band with probability 0.99, at 0.5 0.87,
at 0.3 0.23, at 0.2 0.05: thresholds from about 0.5 up keep their recall, and unrelated texts
rarely become candidates at all. The bands are fixed (stored keys stay valid); the threshold is
applied only when verifying, so admins can change it freely.

Three-character shingles: a changed character changes at most three of them, so a complaint
retyped with a few words changed keeps a Jaccard similarity around 0.65–0.85, while unrelated posts
on the same topic (sharing two-character words such as 施工, 噪音, 有关部门) share few
three-character pieces and become candidates ten to forty times less often than with bigrams
(measured in ``tests/benchmarks/bench_similarity.py``), which keeps the lookup short at a million
posts. Texts shorter than ``MIN_LENGTH`` folded characters are not
compared (a few words match too much by chance)."""

import hashlib
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash  # type: ignore[import-untyped]  # ships no type information

from bureau.normalise import fold

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
MIN_LENGTH = 8
SEED = 20260312
# datasketch 2.0's default; stored signatures are only comparable within one scheme.
SCHEME = "affine32"
_KEY_MASK = (1 << 63) - 1  # stored in a signed 64-bit column
_BAND_BYTES = ROWS * 4  # a band's values as unsigned 32-bit little-endian bytes
_BAND_SALTS = tuple(bytes([band]) for band in range(BANDS))


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """Drawn once per process from the fixed seed, so every worker computes the same signatures."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def shingles(folded: str) -> set[bytes]:
    """The overlapping ``SHINGLE``-character pieces of an already folded text."""
    return {folded[i : i + SHINGLE].encode() for i in range(len(folded) - SHINGLE + 1)}


@dataclass(frozen=True)
class Signature:
    """A MinHash signature: ``NUM_PERM`` unsigned 32-bit values."""

    values: np.ndarray

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Signature":
        return cls(np.frombuffer(bytes(data), dtype="<u4"))

    def similarity(self, other: "Signature") -> float:
        """The estimated Jaccard similarity of the two texts' shingle sets (share of equal values)."""
        return float(np.count_nonzero(self.values == other.values)) / NUM_PERM

    def band_keys(self) -> list[int]:
        """One key per band: the band's number and values hashed together (so equal values in
        different bands never collide). The bytes are sliced from one buffer and the salts made
        once: the keys are those of one blake2b per band as before, a third cheaper per post."""
        raw = self.values.astype("<u4").tobytes()
        return [
            int.from_bytes(
                hashlib.blake2b(raw[start : start + _BAND_BYTES], digest_size=8, salt=salt).digest(), "little"
            )
            & _KEY_MASK
            for start, salt in zip(range(0, BANDS * _BAND_BYTES, _BAND_BYTES), _BAND_SALTS, strict=True)
        ]


def signature(text: str) -> Signature | None:
    """The signature of ``text`` after folding, or None when it is too short to compare."""
    folded = fold(text)
    if len(folded) < MIN_LENGTH:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations())
    minhash.update_batch(list(shingles(folded)))
    return Signature(minhash.hashvalues.astype(np.uint32))
