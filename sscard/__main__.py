"""Entry point for the `sscard` console script and `python -m sscard`."""

import os
import sys


def main() -> None:
    """Run the command line and exit with its status.

    A one-shot command leaves without the interpreter's teardown (freeing every module
    and object costs about as much as a lookup): once stdout and stderr are flushed, and
    only when nothing was registered to run at exit, the process ends with os._exit and
    the same exit status. Anything else (a flush that fails, an atexit handler) takes the
    ordinary way out. In-process runs (tests, the library, sscard.main.run) never get here.
    """
    from sscard.main import run

    code = run()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        clean = isinstance(code, int) and 0 <= code <= 255 and _nothing_at_exit()
    except Exception:  # a stream that cannot be flushed: let the interpreter deal with it as before
        clean = False
    if clean:
        os._exit(code)
    raise SystemExit(code)


def _nothing_at_exit() -> bool:
    """Whether no atexit handler is registered (a handler must run: then exit normally)."""
    import atexit

    count = getattr(atexit, "_ncallbacks", None)
    return count is not None and count() == 0


if __name__ == "__main__":
    main()
