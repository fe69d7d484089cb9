"""The waitress server, hardened against another local process that hoards connections.

Waitress reads requests asynchronously, so idle or trickling connections cost no worker thread, only a
connection slot; once every slot is taken it stops accepting and the extension's scans go unanswered. So:
connections idle between requests close after IDLE_SECONDS, a request must arrive whole within
REQUEST_READ_SECONDS of its first byte (the slow-trickle attack), a refused request (any 4xx) closes its
connection, and when the limit is reached the connections idlest for longest are closed to
make room, as nginx drains idle keep-alive connections, so a new caller is always accepted.
"""

from __future__ import annotations

import socket
import time

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher, WSGITask

IDLE_SECONDS = 10
REQUEST_READ_SECONDS = 5
CHECK_EVERY_SECONDS = 0.5
# When full, close enough connections to leave this share of the limit free for newcomers.
HEADROOM = 8


class _Task(WSGITask):
    """A refused caller does not keep its connection (and its slot) for another try."""

    def build_response_header(self) -> bytes:
        if self.status.startswith("4"):
            self.set_close_on_finish()
        return super().build_response_header()


class _Channel(HTTPChannel):
    """Remembers when the request being read began, so a trickled one can be timed out."""

    task_class = _Task
    request_began: float | None = None

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_began = time.monotonic()
        result = super().received(data)
        if self.request is None:
            self.request_began = None
        return result


class _Server(TcpWSGIServer):
    channel_class = _Channel

    def maintenance(self, now: float) -> None:
        """Close connections idle too long, and those still reading a request after its time is up."""
        idle_cutoff = now - self.adj.channel_timeout
        read_cutoff = time.monotonic() - REQUEST_READ_SECONDS
        for channel in list(self.active_channels.values()):
            if channel.requests:
                continue  # a request is being served
            began = getattr(channel, "request_began", None)
            if channel.last_activity < idle_cutoff or (began is not None and began < read_cutoff):
                channel.will_close = True

    def readable(self) -> bool:
        if self.accepting and len(self._map) >= self.adj.connection_limit:
            self._drain()
        return super().readable()

    def _drain(self) -> None:
        """Close the connections idlest for longest (none serving a request) to make room."""
        closing = sum(1 for c in self.active_channels.values() if c.will_close)
        needed = len(self._map) - self.adj.connection_limit + max(1, self.adj.connection_limit // HEADROOM)
        idle = sorted(
            (c for c in self.active_channels.values() if not c.requests and not c.will_close),
            key=lambda c: c.last_activity,
        )
        for channel in idle[: max(0, needed - closing)]:
            channel.will_close = True


def create_server(app, listener: socket.socket, **adjustments) -> TcpWSGIServer:
    """A waitress server on `listener` with the protections above; `adjustments` are waitress's own."""
    adj = Adjustments(
        sockets=[listener],
        channel_timeout=IDLE_SECONDS,
        cleanup_interval=CHECK_EVERY_SECONDS,
        asyncore_use_poll=True,  # select() fails beyond 1024 descriptors
        **adjustments,
    )
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    sockinfo = (listener.family, listener.type, listener.proto, listener.getsockname())
    return _Server(
        app, {}, True, listener, dispatcher=dispatcher, adj=adj, bind_socket=False, sockinfo=sockinfo
    )
