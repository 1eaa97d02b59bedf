"""Whether a measurement may run two pieces of its work side by side, in threads.

Threads pay only where a core is idle: measured on 2 cores (docs/DETECTOR.md, "Speed"),
the stability check's five runs took ~145 ms in two threads against ~200 ms in one on an
idle machine, but with the cores busy with other work (load average 3-5) a photo took
longer in threads than in one (190 against 157 ms, median over the photos of tests/data
at 12 MP), the threads' extra work (~30 ms of CPU a photo) then being paid for in full.
"""

from __future__ import annotations

import os

# The share of a core that must be idle (cores less the 1-minute load average) for a
# second thread: on an idle 2-core machine measuring one photo after another, the
# measurement itself keeps about one core busy.
IDLE_SHARE = 0.5


def threads_to_use(wanted: int = 2) -> int:
    """`wanted` threads when the machine has an idle core by its load average, else 1.
    Where the load average is not known (Windows), the machine is taken as idle."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    return max(1, min(wanted, cores)) if cores - load >= IDLE_SHARE else 1
