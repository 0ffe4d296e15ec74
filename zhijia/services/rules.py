"""Pure rules of module services (no Django import, tested without a database).

The activities' draw (抽签): fair and reproducible from a published seed. Anyone holding the
seed and the list of applicants can redo it: the applicant ids are sorted (the stable key),
shuffled by a `random.Random` seeded with the SHA-256 digest of the seed, and the first
`capacity` of the shuffled order win; the others keep their drawn order on the waiting list.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

SEED_BYTES = 8


def new_seed() -> str:
    """A fresh seed to publish before the draw (16 hex digits)."""
    return secrets.token_hex(SEED_BYTES)


@dataclass(frozen=True)
class DrawResult:
    winners: tuple[int, ...]
    waiting: tuple[int, ...]  # in draw order: the first here is offered the first freed place


def draw_order(seed: str, applicant_ids: Iterable[int]) -> list[int]:
    """Every applicant in drawn order, determined by the seed and the set of ids alone."""
    ordered = sorted(set(applicant_ids))
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    rng = random.Random(int.from_bytes(digest, "big"))  # noqa: S311 (reproducible by design)
    rng.shuffle(ordered)
    return ordered


def draw(seed: str, applicant_ids: Iterable[int], capacity: int) -> DrawResult:
    if capacity < 0:
        raise ValueError("capacity must be 0 or more")
    order = draw_order(seed, applicant_ids)
    return DrawResult(winners=tuple(order[:capacity]), waiting=tuple(order[capacity:]))
