"""A stop signal (SIGTERM) that lands while Python runs a finalizer still stops the command.

Python cannot raise an exception out of a `__del__` or a garbage collector's callback: the
`Stopped` raised there was swallowed and the command went on to its end (a build wrote all its
documents for 17 s after SIGTERM under load), only its exit code telling the signal.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

COMMAND = textwrap.dedent(
    """
    import os, signal, time
    import click
    from cpomdocs.cli.main import main

    class Finalized:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler runs here, inside the finalizer

    @main.command("long")
    def long() -> None:
        Finalized()  # collected at once: its __del__ receives the signal
        for step in range(300):
            time.sleep(0.01)
        click.echo("fini")

    main(["long"], prog_name="cpomdocs")
    """
)


def test_a_stop_signal_swallowed_by_a_finalizer_still_stops_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-c", COMMAND], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "fini" not in done.stdout  # stopped within a moment, not after its 3 s of work
    assert "interrompu (signal TERM)" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
