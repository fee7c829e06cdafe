"""Length-prefixed messages over a pair of pipes, between the serving process and a worker.

Plain pipes and one reusable poll object keep a round trip to a few microseconds of
system calls; ``multiprocessing.Connection`` builds a selector on every ``poll``.
"""

from __future__ import annotations

import os
import select
import struct

_HEADER = struct.Struct("!Q")
_CHUNK = 1 << 20
_FIRST_READ = 1 << 12


class ChannelClosed(EOFError):
    """The other end is gone."""


class Channel:
    def __init__(self, read_fd: int, write_fd: int):
        self.read_fd, self.write_fd = read_fd, write_fd
        self._poller = select.poll()
        self._poller.register(read_fd, select.POLLIN | select.POLLPRI)

    @classmethod
    def pair(cls) -> tuple[Channel, Channel]:
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        return cls(up_r, down_w), cls(down_r, up_w)

    @property
    def fds(self) -> tuple[int, int]:
        return self.read_fd, self.write_fd

    def send(self, *parts: bytes) -> None:
        """Send one message made of ``parts`` (joined), in a single write when it is small."""
        size = sum(len(part) for part in parts)
        if size < _CHUNK:
            self._write_all(memoryview(b"".join((_HEADER.pack(size), *parts))))
        else:
            self._write_all(memoryview(_HEADER.pack(size)))
            for part in parts:
                self._write_all(memoryview(part))

    def _write_all(self, view: memoryview) -> None:
        while view:
            written = os.write(self.write_fd, view)
            view = view[written:]

    def wait(self, timeout: float | None) -> bool:
        """True when a message (or the end of the channel) is ready to read."""
        millis = None if timeout is None else max(0, int(timeout * 1000))
        return bool(self._poller.poll(millis))

    def recv(self) -> bytes | bytearray:
        # One read usually brings the whole message: each wake-up of this process costs far
        # more than the copy, so small messages are never read in pieces.
        first = os.read(self.read_fd, _FIRST_READ)
        if len(first) < _HEADER.size:
            first += self._read_exactly(_HEADER.size - len(first)) if first else b""
            if len(first) < _HEADER.size:
                raise ChannelClosed("the other end closed the channel")
        (size,) = _HEADER.unpack_from(first)
        have = len(first) - _HEADER.size
        if have == size:
            return first[_HEADER.size:]
        if have > size:
            raise OSError("protocol error: more data than the message announced")
        buffer = bytearray(size)
        buffer[:have] = first[_HEADER.size:]
        self._read_into(memoryview(buffer), have)
        return buffer

    def _read_exactly(self, size: int) -> bytes | bytearray:
        buffer = bytearray(size)
        self._read_into(memoryview(buffer), 0)
        return buffer

    def _read_into(self, view: memoryview, position: int) -> None:
        while position < len(view):
            count = os.readv(self.read_fd, [view[position:position + _CHUNK]])
            if not count:
                raise ChannelClosed("the other end closed the channel")
            position += count

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
