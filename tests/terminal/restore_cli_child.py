"""Child process for the restore tests: starts ``posterm`` commands as forked processes.

Run as ``python -m tests.terminal.restore_cli_child``. Imports the whole
command line once and prints ``ready``; then for every request line (JSON:
``{"argv": [...], "pin": "9999"}``) it forks a process that runs
``posterm ARGV`` (with the PIN as its stdin) and prints ``started <pid>``. A
test can SIGKILL that pid at any moment of the restore's own work, without
paying for the interpreter's start-up each time. The child is only reaped
after the test sends ``reap`` (so its pid cannot be reused before the kill);
then ``exit <status>`` is printed (``-9`` when killed).
"""

from __future__ import annotations

import io
import json
import os
import sys

from ui.cli import build_parser, main


def serve() -> None:
    build_parser("restore")  # imports the command now, not inside the restore
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            sys.stdin = io.StringIO(f"{request.get('pin') or ''}\n")
            status = 70
            try:
                status = main(request["argv"])
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        print(f"started {pid}", flush=True)
        assert sys.stdin.readline().strip() == "reap"
        _, wait_status = os.waitpid(pid, 0)
        print(f"\nexit {os.waitstatus_to_exitcode(wait_status)}", flush=True)


if __name__ == "__main__":
    serve()
