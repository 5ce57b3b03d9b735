"""Lock boards on a pty: the far end of the RS-485 bus for tests and the demo.

It speaks one codec for every board on the bus, keeps each door's state, answers
like a board (silence for addresses not on the bus or frames it cannot parse), and
injects faults: no reply, a bad checksum, a jammed door that never opens. Door
actions (`close`, `force_open`) are what a citizen or a burglar does. It keeps the last
`KEPT_FRAMES` frames it was sent (the demo's boards run as long as the kiosk).
"""
from __future__ import annotations

import logging
import os
import select
import threading
import tty
from typing import Callable

from devices.locker.codecs import Codec, FrameError, RequestKind
from devices.recorded import RecordedItems

log = logging.getLogger(__name__)

#: a pickup polls the doors a few times a second: enough for any one test's frames
KEPT_FRAMES = 1000


class BoardSimulator:
    def __init__(self, codec: Codec, boards: dict[int, tuple[int, str]], *,
                 take_fault: Callable[[str], bool] | None = None) -> None:
        """`boards`: address -> (lock count, open level "high"/"low")."""
        self.codec = codec
        self.boards = boards
        self.doors = {(a, lock): False for a, (n, _) in boards.items() for lock in range(1, n + 1)}
        self.jammed: set[tuple[int, int]] = set()
        self.silent: set[int] = set()        # boards that answer nothing (dead, unplugged)
        self.requests: RecordedItems[bytes] = RecordedItems(KEPT_FRAMES)
        self._take_fault = take_fault or (lambda name: False)
        self._lock = threading.Lock()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self._stop_read, self._stop_write = os.pipe()
        self._thread = threading.Thread(target=self._serve, name="board-simulator", daemon=True)

    def start(self) -> "BoardSimulator":
        self._thread.start()
        return self

    def stop(self) -> None:
        os.write(self._stop_write, b"x")
        self._thread.join(5)
        for fd in (self._master, self._slave, self._stop_read, self._stop_write):
            os.close(fd)

    # --- what people do to the doors ------------------------------------------------

    def close(self, board: int, lock: int) -> None:
        with self._lock:
            self.doors[(board, lock)] = False

    def force_open(self, board: int, lock: int) -> None:
        with self._lock:
            self.doors[(board, lock)] = True

    def mute_board(self, board: int, mute: bool = True) -> None:
        with self._lock:
            (self.silent.add if mute else self.silent.discard)(board)

    def jam(self, board: int, lock: int, jammed: bool = True) -> None:
        with self._lock:
            (self.jammed.add if jammed else self.jammed.discard)((board, lock))

    # --- the bus ------------------------------------------------------------------------

    def _serve(self) -> None:
        buffer = bytearray()
        size = self.codec.request_length
        while True:
            ready, _, _ = select.select([self._master, self._stop_read], [], [])
            if self._stop_read in ready:
                return
            try:
                buffer += os.read(self._master, 256)
            except OSError:
                return
            while len(buffer) >= size:
                frame, buffer = bytes(buffer[:size]), buffer[size:]
                reply = self._answer(frame)
                if reply:
                    os.write(self._master, reply)

    def _answer(self, frame: bytes) -> bytes:
        self.requests.append(frame)
        try:
            request = self.codec.decode_request(frame)
        except FrameError as error:
            log.info("board simulator ignored a frame: %s", error.message)
            return b""
        if request.board not in self.boards or request.board in self.silent:
            return b""
        locks, open_level = self.boards[request.board]
        if request.kind is not RequestKind.QUERY_ALL and request.lock > locks:
            return b""
        with self._lock:
            if request.kind is RequestKind.OPEN and (request.board, request.lock) not in \
                    self.jammed:
                self.doors[(request.board, request.lock)] = True
            high_is_open = open_level == "high"
            levels = {lock: self.doors[(request.board, lock)] == high_is_open
                      for lock in range(1, locks + 1)}
        if self._take_fault("no_reply"):  # the board acted, its reply is lost: the worst case
            return b""
        reply = self.codec.encode_reply(request, levels)
        if self._take_fault("bad_checksum"):
            reply = reply[:-1] + bytes([reply[-1] ^ 0xFF])
        return reply

