#!/usr/bin/env python3
"""Measures recall's interactive latency from the outside, in a pseudo-terminal.

1. Start-up: from spawning `recall` to the first complete frame of the home
   screen (its footer, the last line drawn, has arrived), with the bundled
   deck and a 100,000-review log. Repeated; the median and spread are printed.
2. Grade: in `recall study`, from writing a grade key to the next frame
   (the next card's question has arrived). The grade is synced to disk
   before that frame is drawn, so this includes the fsync.

Output is fed to a terminal emulator (pyte), and a frame counts as shown
when the emulated screen shows it: recall draws only the cells that change,
so looking for text in the raw bytes would be wrong.

Usage (from the repository root):

    pip install pyte==0.8.2
    cargo build --release
    python3 scripts/measure_latency.py target/release/recall

The data directory is a temporary directory under the repository's `target/`
(the same disk a real data directory would be on, not a tmpfs).
"""

import datetime
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time

import pyte

COLUMNS, ROWS = 100, 30

# The bundled deck's card ids and fronts, in deck order (the study queue's
# order for new cards).
FRONTS = [
    ("integration-examples", "What are some examples/use cases"),
    ("endpoint-types", "What are the three endpoint types?"),
    ("user-authentication", "How can you provide user authentication"),
    ("custom-domain-https", "How can you use Custom Domain Name HTTPS"),
    ("breaking-changes", "How can you deal with API breaking changes"),
    ("stage-variables", "What are stage variables, and what is a use case"),
    ("stage-variables-lambda", "How are stage variables passed to a lambda"),
    ("stage-variables-lambda-aliases", "How can you use stage variables and lambda aliases"),
    ("canary-deployments", "What is a method to safely test new stage"),
    ("integration-type-mock", "What is Integration Type MOCK?"),
    ("integration-type-http-aws", "What is Integration Type HTTP / AWS?"),
    ("integration-type-aws-proxy", "What is Integration Type AWS_PROXY?"),
    ("integration-type-http-proxy", "What is Integration Type HTTP_PROXY?"),
    ("mapping-templates", "What is a mapping template, and where"),
    ("mapping-template-use-cases", "What is a use-case of mapping templates?"),
]


def write_log(path, reviews):
    """A time-ordered log of `reviews` lines, all of them of the bundled
    deck's cards (so every line is replayed at start-up), one review every
    90 seconds from 2024-01-01, mostly Good."""
    start = datetime.datetime(2024, 1, 1, 8, 0, 0)
    with open(path, "w") as f:
        f.write("reviewed_at,deck,card,rating,duration_ms\n")
        for i in range(reviews):
            at = start + datetime.timedelta(seconds=i * 90)
            card = FRONTS[(i * 7) % len(FRONTS)][0]
            rating = (3, 3, 3, 3, 3, 3, 3, 1, 2, 4)[i % 10]
            stamp = at.strftime("%Y-%m-%dT%H:%M:%S") + ".000Z"
            f.write(f"{stamp},aws-api-gateway,{card},{rating},{1000 + i % 9000}\n")


class Terminal:
    """recall in a pseudo-terminal, its output kept on an emulated screen."""

    def __init__(self, binary, args, data_dir):
        self.pid, self.fd = spawn(binary, args, data_dir)
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)

    def shows(self, text):
        return any(text in line for line in self.screen.display)

    def wait_for(self, text, timeout=10.0):
        """Reads output until the screen shows `text`; returns the time the
        output that completed it was read (so the emulator's own work is
        not counted)."""
        deadline = time.perf_counter() + timeout
        arrived = time.perf_counter()
        while not self.shows(text):
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{text!r} did not appear:\n" + "\n".join(self.screen.display))
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                arrived = time.perf_counter()
                self.stream.feed(chunk)
        return arrived

    def send(self, keys):
        os.write(self.fd, keys)

    def stop(self):
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def spawn(binary, args, data_dir):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(
            RECALL_DATA_DIR=data_dir,
            RECALL_CONFIG=os.path.join(data_dir, "config.toml"),
            TERM="xterm-256color",
            # This pseudo-terminal answers no query: draw images with half
            # blocks instead of asking how (which would wait for a reply).
            RECALL_IMAGES="halfblocks",
        )
        os.execv(binary, [binary, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    return pid, fd


def startup_ms(binary, data_dir):
    began = time.perf_counter()
    terminal = Terminal(binary, [], data_dir)
    shown = terminal.wait_for("q quit")
    terminal.stop()
    return (shown - began) * 1000


def grade_ms(binary, data_dir):
    """Grades the bundled deck's new cards Easy, one after another."""
    terminal = Terminal(binary, ["study", "aws-api-gateway"], data_dir)
    terminal.wait_for(FRONTS[0][1])
    times = []
    for _, next_front in FRONTS[1:]:
        terminal.send(b" ")
        terminal.wait_for("4 Easy")
        began = time.perf_counter()
        terminal.send(b"4")
        shown = terminal.wait_for(next_front)
        times.append((shown - began) * 1000)
    terminal.stop()
    return times


def describe(name, values):
    values = sorted(values)
    print(
        f"{name}: median {statistics.median(values):.1f} ms, "
        f"min {values[0]:.1f}, max {values[-1]:.1f} ms over {len(values)} runs"
    )


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/recall")
    target = os.path.join(os.path.dirname(os.path.dirname(binary)))
    with tempfile.TemporaryDirectory(dir=target) as data_dir:
        write_log(os.path.join(data_dir, "reviews.csv"), 100_000)
        startup_ms(binary, data_dir)  # warm the page cache
        describe("start-up to first frame (100,000-review log)", [startup_ms(binary, data_dir) for _ in range(30)])
    grades = []
    for _ in range(4):
        with tempfile.TemporaryDirectory(dir=target) as data_dir:
            grades += grade_ms(binary, data_dir)
    describe("grade key to next frame (fsync included)", grades)


if __name__ == "__main__":
    main()
