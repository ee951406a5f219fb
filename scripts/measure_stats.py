#!/usr/bin/env python3
"""Measures the statistics on a big data dir: `recall stats --json` cold
and warm, and the stats screen's opening.

- command: `recall stats --json` RUNS times with the cache dir emptied
  before each run (cold) and RUNS times with it kept (warm, after one run
  that fills it); wall time, user + system CPU and peak RSS (`wait4`).
- screen: recall in a pseudo-terminal (the terminal of
  `scripts/measure_latency.py`, 100x30), warm cache; on the home screen the
  deck named DECK is selected, then `s`: the time from the key to the
  first frame of the stats screen ("Statistics ·" with its tabs), to the
  reviews' figures ("True retention", once the background thread has read
  and replayed the log), and for `a` (all decks, the cards' figures
  recomputed from the progress, the log not read again) to its frame.

The data dir is copied to a temporary directory first (nothing is written
into DATA_DIR), with its own config and cache dirs.

Usage (from the repository root):

    pip install pyte==0.8.2
    cargo build --release
    python3 scripts/measure_stats.py target/release/recall DATA_DIR [DECK] [RUNS]

Set RECALL_NOW (an RFC 3339 time) to look at the log from that moment:
e.g. the day after a generated log ends, so that every review is in the
last 365 days.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_latency  # noqa: E402


def run_command(binary, env):
    began = time.perf_counter()
    proc = subprocess.Popen(
        [binary, "stats", "--json"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    if status != 0:
        raise RuntimeError(proc.stderr.read().decode())
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def describe(label, runs):
    walls = [r[0] for r in runs]
    cpus = [r[1] for r in runs]
    rss = max(r[2] for r in runs)
    print(
        f"{label}: wall median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f}); "
        f"CPU median {statistics.median(cpus):.2f} s; peak {rss:.0f} MB; {len(runs)} runs"
    )


def screen(binary, data_dir, deck):
    terminal = measure_latency.Terminal(binary, [], data_dir)
    terminal.wait_for("q quit", timeout=120.0)
    # Select the deck: down until its row is the highlighted one (the home
    # screen marks the selection with `▶`).
    for _ in range(50):
        if any(deck in line and "▶" in line for line in terminal.screen.display):
            break
        terminal.send(b"j")
        time.sleep(0.05)
        terminal.wait_for("q quit")
    began = time.perf_counter()
    terminal.send(b"s")
    opened = terminal.wait_for("Statistics ·", timeout=60.0)
    complete = terminal.wait_for("True retention", timeout=60.0)
    time.sleep(0.3)
    toggled_at = time.perf_counter()
    terminal.send(b"a")
    toggled = terminal.wait_for("Statistics · All decks", timeout=60.0)
    terminal.stop()
    return (opened - began) * 1000, (complete - began) * 1000, (toggled - toggled_at) * 1000


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    binary = os.path.abspath(sys.argv[1])
    source = sys.argv[2]
    deck = sys.argv[3] if len(sys.argv) > 3 else "Generated"
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    with tempfile.TemporaryDirectory(prefix="recall-stats-") as tmp:
        data_dir = os.path.join(tmp, "data")
        shutil.copytree(source, data_dir)
        cache_dir = os.path.join(tmp, "cache")
        env = dict(os.environ)
        env.update(
            RECALL_DATA_DIR=data_dir,
            RECALL_CONFIG=os.path.join(tmp, "config.toml"),
            RECALL_CACHE_DIR=cache_dir,
        )
        os.environ.update(env)
        print(f"load before: {os.getloadavg()}")
        cold = []
        for _ in range(runs):
            shutil.rmtree(cache_dir, ignore_errors=True)
            cold.append(run_command(binary, env))
        describe("recall stats --json, cold cache", cold)
        run_command(binary, env)
        warm = [run_command(binary, env) for _ in range(runs)]
        describe("recall stats --json, warm cache", warm)
        opened, complete, toggled = [], [], []
        for _ in range(runs):
            o, c, t = screen(binary, data_dir, deck)
            opened.append(o)
            complete.append(c)
            toggled.append(t)
        for label, values in [
            ("stats screen: s to first frame", opened),
            ("stats screen: s to the reviews' figures", complete),
            ("stats screen: a (all decks) to its frame", toggled),
        ]:
            print(
                f"{label}: median {statistics.median(values):.0f} ms "
                f"(min {min(values):.0f}, max {max(values):.0f}) over {len(values)} runs"
            )
        print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
