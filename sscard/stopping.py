"""Stop a long run between records, never inside one (Ctrl-C, SIGTERM).

While a record is being written, SIGINT and SIGTERM are held; the run stops as soon as
the record is out (KeyboardInterrupt, exit 130). Outside a write they stop it at once,
so a batch waiting for input still ends on Ctrl-C. A second signal during a write
stops at once (a reader that never reads must not make the run unstoppable).
"""

from __future__ import annotations

import signal


class Between:
    """A context in which writes are whole: `with Between() as b: b.write(env, text)`."""

    def __init__(self) -> None:
        self.writing = False
        self.pending = None
        self._old: dict = {}

    def _handler(self, signum, frame) -> None:
        if self.writing and self.pending is None:
            self.pending = signum
            return
        raise KeyboardInterrupt

    def __enter__(self) -> "Between":
        for sig in (signal.SIGINT, getattr(signal, "SIGTERM", None)):
            if sig is None:
                continue
            try:
                self._old[sig] = signal.signal(sig, self._handler)
            except (ValueError, OSError):  # not the main thread: signals stay as they are
                pass
        return self

    def __exit__(self, *exc) -> None:
        for sig, old in self._old.items():
            try:
                signal.signal(sig, old)
            except (ValueError, OSError, TypeError):
                pass

    def write(self, env, text: str | None) -> None:  # None: a batch sink writes what it keeps
        self.writing = True
        try:
            env.write(text)
        finally:
            self.writing = False
        if self.pending is not None:
            raise KeyboardInterrupt
