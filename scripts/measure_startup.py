#!/usr/bin/env python3
"""Measures recall's start-up at every size, cold (no cache) and warm.

For each collection (the bundled deck alone with an empty log; generated
decks of 1,000, 10,000 and 100,000 cards; the 100,000-card deck with a
1,000,000-review log over its cards) this starts the release binary in a
pseudo-terminal (the terminal of `scripts/measure_latency.py`) and times
from spawning it to the home screen's first complete frame (the home screen
kept from the last run, drawn while the decks and logs load behind it, or
the loaded one; the "Loading" screen does not count), and to the loaded
app's first frame:

- cold: the cache dir is emptied before every run (every deck parsed, the
  whole log read and replayed, the cache written);
- warm: the cache dir is kept (after one warm-up start that fills it).

Each is the median of RUNS runs (interleaved cold/warm), with the peak RSS
(`wait4`'s ru_maxrss, the process being stopped only once it has loaded
everything) and the per-phase breakdown that recall writes when
`RECALL_PHASES` names a file: process start to the fingerprint of the files
taken (home only), to the terminal set up, to the first frame drawn, to
the decks loaded, to the log read and replayed and the counts done, to the
loaded app's first frame. It also times `recall study generated`'s first
question with the big log, and the grade latency (key to next card, fsync
included) in the 100,000-card deck.

Generated data lives in a temporary directory under the repository's
`target/` (the same disk as a real data dir) and is removed afterwards.

Usage (from the repository root):

    pip install pyte==0.8.2
    cargo build --release
    python3 scripts/measure_startup.py target/release/recall [RUNS]
"""

import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_latency  # noqa: E402  (the pty terminal and its emulator)

RUNS = 10


def deck_toml(cards):
    """The deck of benches/support/generate.rs: about 150 bytes a card."""
    parts = ['[deck]\nid = "generated"\nname = "Generated"\n']
    for i in range(cards):
        parts.append(
            f'\n[[cards]]\nid = "card-{i:06}"\nfront = "What does service {i} do?"\n'
            f'back = """\n**Service {i}**\n- handles requests of kind {i}\n- see `api/{i}`\n"""\n'
            f'tags = ["t{i % 97}"]\n'
        )
    return "".join(parts)


def review_log(reviews, cards):
    """The log of benches/support/generate.rs: time order, mostly Good."""
    start = datetime.datetime(2024, 1, 1, 8, 0, 0)
    lines = ["reviewed_at,deck,card,rating,duration_ms\n"]
    ratings = (3, 3, 3, 3, 3, 3, 3, 1, 2, 4)
    for i in range(reviews):
        at = start + datetime.timedelta(milliseconds=i * 2345)
        stamp = at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03}Z"
        lines.append(f"{stamp},generated,card-{(i * 7919) % cards:06},{ratings[i % 10]},{1000 + i % 9000}\n")
    return "".join(lines)


def start_once(binary, data_dir, cache_dir, phases_file, args=(), wait_text="study all"):
    """One start: (ms to the first frame, peak RSS in MB, phases in ms).

    The first frame is the first one showing `wait_text`: home's footer
    (the home screen kept from the last run, or the loaded one; not the
    "Loading" screen), or the study screen's. The process is stopped only
    once it has loaded everything (it writes the phases file at its first
    frame of the loaded app), so the peak RSS is that of the whole load.
    """
    os.environ["RECALL_CACHE_DIR"] = cache_dir
    os.environ["RECALL_PHASES"] = phases_file
    if os.path.exists(phases_file):
        os.remove(phases_file)
    began = time.perf_counter()
    terminal = measure_latency.Terminal(binary, list(args), data_dir)
    shown = terminal.wait_for(wait_text, timeout=60.0)
    ms = (shown - began) * 1000
    waited = time.perf_counter()
    while not os.path.exists(phases_file) and time.perf_counter() - waited < 60.0:
        time.sleep(0.005)
    os.kill(terminal.pid, 15)
    _, _, usage = os.wait4(terminal.pid, 0)
    os.close(terminal.fd)
    phases = {}
    if os.path.exists(phases_file):
        for line in open(phases_file):
            name, value = line.rsplit(" ", 1)
            phases[name] = float(value)
    return ms, usage.ru_maxrss / 1024, phases


def summary(results):
    times = sorted(r[0] for r in results)
    rss = max(r[1] for r in results)
    names = list(results[0][2].keys())
    phases = {name: statistics.median(r[2].get(name, 0.0) for r in results) for name in names}
    return statistics.median(times), times[0], times[-1], rss, phases


def phase_text(phases):
    """Each phase's own duration (the marks are times since start)."""
    parts, previous = [], 0.0
    for name, at in phases.items():
        if name == "start":
            continue
        parts.append(f"{name} {at - previous:.1f}")
        previous = at
    return ", ".join(parts)


def measure(binary, label, data_dir, runs, args=(), wait_text="study all"):
    cache_dir = os.path.join(data_dir, "..", os.path.basename(data_dir) + "-cache")
    phases_file = os.path.join(data_dir, "..", os.path.basename(data_dir) + "-phases")
    start_once(binary, data_dir, cache_dir, phases_file, args, wait_text)  # page cache, cache dir
    cold, warm = [], []
    for _ in range(runs):
        shutil.rmtree(cache_dir, ignore_errors=True)
        cold.append(start_once(binary, data_dir, cache_dir, phases_file, args, wait_text))
        warm.append(start_once(binary, data_dir, cache_dir, phases_file, args, wait_text))
    for kind, results in (("cold", cold), ("warm", warm)):
        median, low, high, rss, phases = summary(results)
        loaded = phases.get("app frame", 0.0)
        print(
            f"| {label} | {kind} | {median:.1f} ({low:.1f}-{high:.1f}) | {loaded:.1f} | {rss:.0f} "
            f"| {phase_text(phases)} |",
            flush=True,
        )


def grade_latency(binary, data_dir, cache_dir):
    """Grades new cards of the generated deck Easy, one after another."""
    os.environ["RECALL_CACHE_DIR"] = cache_dir
    os.environ.pop("RECALL_PHASES", None)
    terminal = measure_latency.Terminal(binary, ["study", "generated"], data_dir)
    terminal.wait_for("What does service 0 do?", timeout=60.0)
    times = []
    for i in range(1, 20):
        terminal.send(b" ")
        terminal.wait_for("4 Easy")
        began = time.perf_counter()
        terminal.send(b"4")
        shown = terminal.wait_for(f"What does service {i} do?")
        times.append((shown - began) * 1000)
    terminal.stop()
    return times


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/recall")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else RUNS
    target = os.path.dirname(os.path.dirname(binary))
    print(f"load average before: {os.getloadavg()}", flush=True)
    print(
        "| collection | start | first frame, median (min-max) ms | loaded (app's first frame), median ms "
        "| peak RSS MB | phases, median ms |"
    )
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(dir=target) as root:
        def data_dir(name, cards=0, reviews=0):
            path = os.path.join(root, name)
            os.makedirs(os.path.join(path, "decks"))
            if cards:
                with open(os.path.join(path, "decks", "generated.toml"), "w") as f:
                    f.write(deck_toml(cards))
            if reviews:
                with open(os.path.join(path, "reviews.csv"), "w") as f:
                    f.write(review_log(reviews, cards))
            return path

        measure(binary, "bundled deck, empty log", data_dir("bundled"), runs)
        for cards in (1_000, 10_000, 100_000):
            measure(binary, f"{cards:,} cards", data_dir(f"c{cards}", cards), runs)
        big = data_dir("big", 100_000, 1_000_000)
        measure(binary, "100,000 cards, 1,000,000 reviews", big, runs)
        measure(
            binary,
            "100,000 cards, 1,000,000 reviews: `recall study generated`",
            big,
            runs,
            args=("study", "generated"),
            wait_text="show answer",
        )
        grades = []
        for session in range(3):
            fresh = data_dir(f"grade{session}", 100_000)
            grades += grade_latency(binary, fresh, os.path.join(root, f"grade{session}-cache"))
        grades.sort()
        print(
            f"\ngrade key to next card, 100,000-card deck, fsync included: median "
            f"{statistics.median(grades):.2f} ms, min {grades[0]:.2f}, max {grades[-1]:.2f} "
            f"over {len(grades)} grades"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
