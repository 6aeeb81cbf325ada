"""Progress of a bench's setup on standard error: on a terminal a line redrawn as the work goes
(count, rate, time left), and one summary line when it ends, which is all a log or a pipe gets.
Standard output stays the bench's figures. Imported by the scripts' Python (bench/lib.sh puts bench/
on PYTHONPATH)."""
import sys, time


class Progress:
    def __init__(self, work, total, unit):
        self.work, self.total, self.unit = work, total, unit
        self.done, self.start, self.drawn = 0, time.monotonic(), 0.0
        self.terminal = sys.stderr.isatty()

    def advance(self, n=1):
        self.done += n
        now = time.monotonic()
        if not self.terminal or now - self.drawn < 0.2:
            return
        self.drawn = now
        rate = self.done / max(now - self.start, 1e-9)
        left = (self.total - self.done) / rate if rate > 0 else 0
        sys.stderr.write(f"\r\x1b[K{self.work}: {self.done:,} / {self.total:,} {self.unit} "
                         f"({self.done * 100 // max(self.total, 1)}%), {rate:,.0f}/s, about {left:.0f} s left")
        sys.stderr.flush()

    def finish(self):
        seconds = time.monotonic() - self.start
        if self.terminal:
            sys.stderr.write("\r\x1b[K")
        sys.stderr.write(f"{self.work}: {self.done:,} {self.unit} in {seconds:.1f} s "
                         f"({self.done / max(seconds, 1e-9):,.0f}/s)\n")
        sys.stderr.flush()
