#!/usr/bin/env python3
"""Generate tests/fixtures/fsrs/reference.json from py-fsrs 6.3.2.

The fixture holds random review histories replayed through the reference
scheduler, py-fsrs (`fsrs==6.3.2`, `Scheduler.review_card`), with the card's
state after every review. `tests/schedule_reference.rs` replays them through
`recall::schedule::review` and needs no Python.

Rerun from the repository root (output is deterministic; the file must come
out byte-identical unless this script or the fsrs version changed):

    python3 -m venv /tmp/fsrs-venv
    /tmp/fsrs-venv/bin/pip install -r scripts/requirements-fsrs.txt
    /tmp/fsrs-venv/bin/python scripts/fsrs_reference.py

What the histories cover:
- random ratings with several rating profiles (typical, struggling, easy);
- gaps from seconds to years: at the due time, minutes to months after it,
  years after it, long before it, the same day, just around whole-day
  boundaries, and a few reviews *earlier* than the previous one;
- default, perturbed and random (in-bounds) parameters;
- desired retention 0.8, 0.9 and 0.95 (and occasionally 0.7, 0.85, 0.99);
- default, custom (including odd-second steps, where Hard at step 0 lands on
  half seconds, and steps longer than a day) and empty learning and
  relearning steps; maximum intervals from 1 to 36500 days;
- histories whose settings change between reviews, so cards sit at a step
  past the end of the new step list;
- review times with microseconds;
- initial stabilities of x.5 days at retention 0.9, where the interval is
  exactly x.5 days and must round half to even.

Most histories run with fuzz off. The others run with fuzz on, with py-fsrs's
`random()` replaced by recall's deterministic fuzz RNG (FNV-1a seed of the
card key, SplitMix64 output number `reviews + 1`, reimplemented below), so
they check recall's fuzz ranges and rounding against py-fsrs exactly.
"""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import datetime, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

import fsrs.scheduler
from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

FSRS_VERSION = "6.3.2"
SEED = 20240101
FUZZ_OFF_HISTORIES = 560
FUZZ_ON_HISTORIES = 140
OUTPUT = Path(__file__).resolve().parent.parent / "tests/fixtures/fsrs/reference.json"

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
DAY = 86_400

# ---------------------------------------------------------------------------
# recall's fuzz RNG (src/schedule/fuzz.rs), bit for bit.
MASK = (1 << 64) - 1


def fuzz_seed(key: str) -> int:
    """64-bit FNV-1a of the key's UTF-8 bytes."""
    h = 0xCBF29CE484222325
    for byte in key.encode():
        h = ((h ^ byte) * 0x100000001B3) & MASK
    return h


def uniform(seed: int, reviews: int) -> float:
    """SplitMix64 output number reviews + 1 from `seed`, as a float in [0, 1)."""
    z = (seed + (reviews + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    z ^= z >> 31
    return (z >> 11) / float(1 << 53)


class FuzzSource:
    """Stands in for py-fsrs's `random()`: returns the value set for this review."""

    def __init__(self) -> None:
        self.value: float | None = None

    def __call__(self) -> float:
        if self.value is None:
            raise RuntimeError("py-fsrs drew fuzz with fuzz off")
        return self.value


FUZZ = FuzzSource()
fsrs.scheduler.random = FUZZ  # py-fsrs does `from random import random`


# ---------------------------------------------------------------------------
# Random settings.
LEARNING_STEPS = [
    ([60, 600], 8),
    ([], 2),
    ([60], 1),
    ([1], 1),
    ([7], 1),
    ([30, 120, 900], 1),
    ([60, 600, 3600, DAY], 1),
    ([300, 1201], 1),
    ([2 * DAY], 1),
    ([90, 7, 45], 1),
]
RELEARNING_STEPS = [
    ([600], 8),
    ([], 3),
    ([60], 1),
    ([5], 1),
    ([300, 1801], 1),
    ([3600, DAY], 1),
    ([3 * DAY], 1),
]
RETENTIONS = [(0.9, 4), (0.8, 3), (0.95, 3), (0.7, 1), (0.85, 1), (0.99, 1)]
MAXIMUM_INTERVALS = [(36500, 10), (365, 1), (100, 1), (30, 1), (7, 1), (3, 1), (1, 1)]
RATING_PROFILES = [
    [0.1, 0.1, 0.7, 0.1],  # typical
    [0.4, 0.2, 0.3, 0.1],  # struggling
    [0.02, 0.05, 0.5, 0.43],  # easy
    [0.25, 0.25, 0.25, 0.25],  # uniform
]


def pick(rng: random.Random, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights=weights)[0]


def random_parameters(rng: random.Random) -> list[float]:
    kind = rng.random()
    if kind < 0.4:
        return list(DEFAULT_PARAMETERS)
    if kind < 0.75:
        # Near the defaults, as a fitted user's parameters would be.
        return [
            min(max(w * rng.uniform(0.6, 1.4), lo), hi)
            for w, lo, hi in zip(
                DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
            )
        ]
    # Anywhere in bounds, including the bounds themselves.
    out = []
    for lo, hi in zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS):
        roll = rng.random()
        out.append(lo if roll < 0.05 else hi if roll < 0.1 else rng.uniform(lo, hi))
    return out


# Initial stabilities whose interval at retention 0.9 is exactly x.5 days, so
# the first graduation hits a rounding tie (Python rounds half to even).
HALF_DAYS = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 10.5, 20.5]


def random_settings(rng: random.Random, fuzz: bool) -> dict:
    w = random_parameters(rng)
    retention = pick(rng, RETENTIONS)
    if rng.random() < 0.08:
        w[:4] = [rng.choice(HALF_DAYS) for _ in range(4)]
        retention = 0.9
    return {
        "w": w,
        "retention": retention,
        "learning_steps": pick(rng, LEARNING_STEPS),
        "relearning_steps": pick(rng, RELEARNING_STEPS),
        "maximum_interval": pick(rng, MAXIMUM_INTERVALS),
        "fuzz": fuzz,
    }


def scheduler(settings: dict) -> Scheduler:
    return Scheduler(
        parameters=settings["w"],
        desired_retention=settings["retention"],
        learning_steps=[timedelta(seconds=s) for s in settings["learning_steps"]],
        relearning_steps=[timedelta(seconds=s) for s in settings["relearning_steps"]],
        maximum_interval=settings["maximum_interval"],
        enable_fuzzing=settings["fuzz"],
    )


# ---------------------------------------------------------------------------
# Random review times.
def next_review_time(rng: random.Random, card: Card, micros: bool) -> datetime:
    last, due = card.last_review, card.due
    assert last is not None
    roll = rng.random()
    if roll < 0.33:
        t = due  # on time
    elif roll < 0.48:
        t = due + timedelta(seconds=rng.randint(1, 3600))  # a little late
    elif roll < 0.58:
        t = due + timedelta(days=rng.randint(1, 60), seconds=rng.randint(0, DAY - 1))
    elif roll < 0.63:
        t = due + timedelta(days=rng.randint(365, 3650))  # years late
    elif roll < 0.73:
        t = last + (due - last) * rng.random()  # early, possibly long before due
        t = t.replace(microsecond=0)
    elif roll < 0.83:
        t = last + timedelta(seconds=rng.randint(1, 23 * 3600))  # same day
    elif roll < 0.88:
        t = last + timedelta(seconds=rng.randint(1, 59))  # seconds later
    elif roll < 0.96:
        # Around a whole-day boundary: elapsed days flips here.
        t = last + timedelta(days=rng.randint(1, 5), seconds=rng.choice([-1, 0, 1]))
    else:
        t = last - timedelta(seconds=rng.randint(1, 3 * DAY))  # before the last review
    if micros:
        t = t.replace(microsecond=rng.randint(0, 999_999))
    return t


def first_review_time(rng: random.Random) -> datetime:
    start = datetime(2015, 1, 1, tzinfo=timezone.utc)
    return start + timedelta(seconds=rng.randint(0, 15 * 365 * DAY))


def micros(t: datetime) -> int:
    delta = t - EPOCH
    return (delta.days * DAY + delta.seconds) * 1_000_000 + delta.microseconds


def finite(x: float) -> float:
    if not math.isfinite(x):
        raise ValueError(f"non-finite value {x} would not survive JSON")
    return x


# ---------------------------------------------------------------------------
def history(rng: random.Random, index: int, fuzz: bool) -> dict:
    settings = [random_settings(rng, fuzz)]
    switching = rng.random() < 0.06
    if switching:
        settings.append(random_settings(rng, fuzz))
    schedulers = [scheduler(s) for s in settings]
    key = f"deck-{index % 7}/card-{index}"
    seed = fuzz_seed(key)
    profile = rng.choice(RATING_PROFILES)
    with_micros = rng.random() < 0.1
    length = rng.randint(1, 30)

    t = first_review_time(rng)
    if with_micros:
        t = t.replace(microsecond=rng.randint(0, 999_999))
    card = Card(card_id=index + 1, due=t)
    reviews = []
    for n in range(length):
        if n > 0:
            t = next_review_time(rng, card, with_micros)
        which = rng.randrange(len(schedulers)) if switching else 0
        rating = Rating(rng.choices([1, 2, 3, 4], weights=profile)[0])
        FUZZ.value = uniform(seed, n) if fuzz else None
        card, _ = schedulers[which].review_card(card, rating, t)
        assert card.last_review == t
        reviews.append(
            {
                "t": micros(t),
                "rating": int(rating),
                "settings": which,
                "state": State(card.state).name,
                "step": card.step,
                "s": finite(card.stability),
                "d": finite(card.difficulty),
                "due": micros(card.due),
                "last": micros(card.last_review),
            }
        )
    return {"id": index, "key": key, "settings": settings, "reviews": reviews}


def main() -> None:
    if version("fsrs") != FSRS_VERSION:
        sys.exit(f"need fsrs=={FSRS_VERSION}, found {version('fsrs')}")
    rng = random.Random(SEED)
    histories = [history(rng, i, fuzz=False) for i in range(FUZZ_OFF_HISTORIES)]
    histories += [
        history(rng, FUZZ_OFF_HISTORIES + i, fuzz=True) for i in range(FUZZ_ON_HISTORIES)
    ]
    header = {
        "generator": "scripts/fsrs_reference.py",
        "fsrs": FSRS_VERSION,
        "seed": SEED,
        "units": "times are microseconds since the Unix epoch (UTC); steps are seconds",
    }
    lines = [json.dumps(h, separators=(",", ":")) for h in histories]
    text = (
        json.dumps(header, separators=(",", ":"))[:-1]
        + ',"histories":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text)
    total = sum(len(h["reviews"]) for h in histories)
    print(f"wrote {len(histories)} histories, {total} reviews to {OUTPUT}")


if __name__ == "__main__":
    main()
