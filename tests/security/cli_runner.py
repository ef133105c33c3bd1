"""Run the sessionlens CLI with a Python audit hook that logs every socket event (not a test module).

Audit hooks sit below any monkeypatching, so they see network attempts even if a library
bypassed the guard. Usage: python cli_runner.py ARGS...; SL_NET_LOG names the log file.
"""

from __future__ import annotations

import os
import sys


def _hook(event: str, args: tuple) -> None:
    if event.startswith("socket.") and event not in ("socket.__new__", "socket.bind"):
        family = getattr(args[0], "family", None) if args else None
        if family == getattr(__import__("socket"), "AF_UNIX", -1):
            return
        with open(os.environ["SL_NET_LOG"], "a", encoding="utf-8") as f:
            f.write(f"{event} {args[1:2]!r}\n")


if __name__ == "__main__":
    sys.addaudithook(_hook)
    from sessionlens.cli import main

    sys.argv = ["sessionlens", *sys.argv[1:]]
    main()
