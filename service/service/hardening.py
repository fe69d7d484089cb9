"""Process settings of the service that hold while it has post text in memory.

A core dump would write that text to disk (and to crash reporters); so no core file, and on Linux the
process is not dumpable, which also stops other processes of the same user from reading its memory
through /proc or ptrace (with the default Yama setting).
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger("discreet.service")
PR_SET_DUMPABLE = 4


def disable_core_dumps() -> None:
    """RLIMIT_CORE to 0 where it exists, and PR_SET_DUMPABLE 0 on Linux."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        log.warning("could not turn core dumps off")
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            log.warning("could not make the process non-dumpable")
