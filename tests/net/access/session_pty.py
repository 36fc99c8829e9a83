# SPDX-License-Identifier: MIT
"""Drives `localvpc session` through a real pseudo-terminal, as a person at
a terminal would: waits for the shell's prompt, types a line (ending in CR,
as a terminal sends Enter), and prints everything the terminal showed.

usage: session_pty.py LINE [--resize ROWS COLS] [--kill-after TEXT] -- CMD...
With --resize, the terminal's window size changes (SIGWINCH) once the
prompt shows, before the line is typed.  With --kill-after, the session is killed with SIGKILL once TEXT has been
shown (a session that dies mid-way); otherwise the typed line must end it.
The deadlines only bound a hung test; nothing is measured."""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

DEADLINE_S = 60


def main():
    args = sys.argv[1:]
    line = args.pop(0).encode()
    kill_after = None
    resize = None
    if args[0] == "--resize":
        resize = (int(args[1]), int(args[2]))
        args = args[3:]
    if args[0] == "--kill-after":
        kill_after = args[1].encode()
        args = args[2:]
    assert args.pop(0) == "--"
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execv(args[0], args)
    out = bytearray()
    end = time.monotonic() + DEADLINE_S

    def read_until(pattern):
        while pattern is None or pattern not in out:
            left = end - time.monotonic()
            if left <= 0:
                sys.stdout.buffer.write(bytes(out))
                sys.exit("session_pty: deadline waiting for %r" % pattern)
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the session ended, the terminal is gone
                chunk = b""
            if not chunk:
                if pattern is None:
                    return
                sys.stdout.buffer.write(bytes(out))
                sys.exit("session_pty: session ended before %r" % pattern)
            out.extend(chunk)

    read_until(b"$ ")  # the login shell's prompt
    if resize is not None:
        # The kernel sends SIGWINCH to the terminal's foreground process.
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", resize[0], resize[1], 0, 0))
    os.write(fd, line + b"\r")
    if kill_after is not None:
        read_until(kill_after)
        os.kill(pid, signal.SIGKILL)
    read_until(None)
    _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(bytes(out))
    sys.stdout.flush()
    sys.exit(0 if kill_after is not None else os.waitstatus_to_exitcode(status))


main()
