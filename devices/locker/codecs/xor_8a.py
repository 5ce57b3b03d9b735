"""The generic "8A/80" XOR board (9600 8N1, boards 1..64, up to 32 locks each).

    open       8A BB LL 11 CK  -> 80|8A BB LL 11|00 CK   (some boards echo 8A)
    query one  80 BB LL 33 CK  -> 80 BB LL 11|00 CK
    query all  80 BB 00 33 CK  -> 80 BB S25-32 S17-24 S9-16 S1-8 33 CK  (bit0 = lowest lock)
    CK = XOR of the preceding bytes; 11 = switch level high, 00 = low.
"""
from __future__ import annotations

from functools import reduce

from devices.locker.codecs.base import FrameError, Reply, Request, RequestKind, check_range

OPEN, QUERY = 0x8A, 0x80
CMD_OPEN, CMD_QUERY = 0x11, 0x33
HIGH, LOW = 0x11, 0x00


def xor(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


def _frame(*body: int) -> bytes:
    return bytes(body) + bytes([xor(bytes(body))])


def _checked(frame: bytes, length: int) -> bytes:
    if len(frame) != length:
        raise FrameError(f"8A/80 frame must be {length} bytes, got {len(frame)}", frame)
    if xor(frame[:-1]) != frame[-1]:
        raise FrameError("8A/80 frame checksum mismatch", frame)
    return frame


def _level(value: int, frame: bytes) -> bool:
    if value not in (HIGH, LOW):
        raise FrameError(f"8A/80 lock state 0x{value:02X} is neither 11 nor 00", frame)
    return value == HIGH


class Xor8A:
    name = "xor_8a"
    baudrate = 9600
    min_board, max_board = 1, 64
    max_locks = 32
    request_length = 5

    def encode(self, request: Request) -> bytes:
        check_range(self, request)
        if request.kind is RequestKind.OPEN:
            return _frame(OPEN, request.board, request.lock, CMD_OPEN)
        if request.kind is RequestKind.QUERY:
            return _frame(QUERY, request.board, request.lock, CMD_QUERY)
        return _frame(QUERY, request.board, 0x00, CMD_QUERY)

    def reply_length(self, request: Request) -> int:
        return 8 if request.kind is RequestKind.QUERY_ALL else 5

    def decode_reply(self, request: Request, frame: bytes) -> Reply:
        frame = _checked(frame, self.reply_length(request))
        heads = (QUERY, OPEN) if request.kind is RequestKind.OPEN else (QUERY,)
        if frame[0] not in heads:
            raise FrameError(f"8A/80 reply starts with 0x{frame[0]:02X}", frame)
        if frame[1] != request.board:
            raise FrameError(f"8A/80 reply from board {frame[1]}, expected {request.board}",
                             frame)
        if request.kind is RequestKind.QUERY_ALL:
            if frame[6] != CMD_QUERY:
                raise FrameError("8A/80 query-all reply without its 33 marker", frame)
            bits = int.from_bytes(frame[2:6], "big")  # S25-32 first: big-endian
            return Reply(request.board, {lock: bool(bits >> (lock - 1) & 1)
                                         for lock in range(1, self.max_locks + 1)})
        if frame[2] != request.lock:
            raise FrameError(f"8A/80 reply for lock {frame[2]}, expected {request.lock}", frame)
        return Reply(request.board, {request.lock: _level(frame[3], frame)})

    def decode_request(self, frame: bytes) -> Request:
        frame = _checked(frame, self.request_length)
        head, board, lock, command = frame[:4]
        if head == OPEN and command == CMD_OPEN and lock:
            return Request(RequestKind.OPEN, board, lock)
        if head == QUERY and command == CMD_QUERY:
            return Request(RequestKind.QUERY_ALL if lock == 0 else RequestKind.QUERY, board, lock)
        raise FrameError("8A/80 request not understood", frame)

    def encode_reply(self, request: Request, levels: dict[int, bool]) -> bytes:
        if request.kind is RequestKind.QUERY_ALL:
            bits = sum(1 << (lock - 1) for lock, high in levels.items() if high)
            return _frame(QUERY, request.board, *bits.to_bytes(4, "big"), CMD_QUERY)
        state = HIGH if levels[request.lock] else LOW
        return _frame(QUERY, request.board, request.lock, state)
