#!/usr/bin/env python3
"""Measures what an idle home screen costs: CPU time used by recall while
the home screen sits untouched, with a 100,000-card deck and a
1,000,000-review log (the data of `scripts/measure_startup.py`).

recall is started in a pseudo-terminal (the terminal of
`scripts/measure_latency.py`), left until its first frame and one recount,
then its user + system CPU time (from /proc/PID/stat) is sampled over
SECONDS seconds of idling while its output is drained. CPU time is what
recall itself used, so unlike wall-clock figures it barely depends on the
machine's other load.

Usage (from the repository root):

    pip install pyte==0.8.2
    cargo build --release
    python3 scripts/measure_idle.py target/release/recall [SECONDS]
"""

import os
import select
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_latency  # noqa: E402  (the pty terminal and its emulator)
import measure_startup  # noqa: E402  (the generated deck and log)

SECONDS = 60


def cpu_seconds(pid):
    """User + system CPU time of `pid` so far, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def drain(terminal, seconds):
    """Reads (and emulates) recall's output for `seconds`."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([terminal.fd], [], [], left)
        if ready:
            terminal.stream.feed(os.read(terminal.fd, 65536))


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/recall")
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else SECONDS
    root = tempfile.mkdtemp(prefix="recall-idle-", dir="target")
    try:
        data = os.path.join(root, "data")
        os.makedirs(os.path.join(data, "decks"))
        with open(os.path.join(data, "decks", "generated.toml"), "w") as f:
            f.write(measure_startup.deck_toml(100_000))
        with open(os.path.join(data, "reviews.csv"), "w") as f:
            f.write(measure_startup.review_log(1_000_000, 100_000))
        os.environ["RECALL_CACHE_DIR"] = os.path.join(root, "cache")
        os.environ.pop("RECALL_PHASES", None)
        terminal = measure_latency.Terminal(binary, [], data)
        terminal.wait_for("q quit", timeout=120.0)
        drain(terminal, 6.0)  # past the first recount
        before, began = cpu_seconds(terminal.pid), time.monotonic()
        drain(terminal, seconds)
        used, elapsed = cpu_seconds(terminal.pid) - before, time.monotonic() - began
        terminal.stop()
        print(
            f"idle home, 100,000 cards + 1,000,000 reviews: {used:.2f} s of CPU "
            f"in {elapsed:.0f} s = {100 * used / elapsed:.2f}% of a core"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
