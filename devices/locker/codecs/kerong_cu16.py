"""Kerong KR-CU16 (19200 8N1, boards 0..15, 16 locks each).

    STX 02 | ADDR = (board << 4) | (lock - 1) | CMD | ETX 03 | SUM = sum of the previous & FF
    CMD 30 status, 31 unlock
    reply (9 bytes): 02 ADDR 35 hook1-8 hook9-16 IR1-8 IR9-16 03 SUM

Both the unlock and the status command are answered with the board's whole status
frame, so "read all" for a board is a status command addressed to its lock 1.
"""
from __future__ import annotations

from devices.locker.codecs.base import FrameError, Reply, Request, RequestKind, check_range

STX, ETX = 0x02, 0x03
CMD_STATUS, CMD_UNLOCK, RSP_STATUS = 0x30, 0x31, 0x35
REPLY_LENGTH = 9


def checksum(data: bytes) -> int:
    return sum(data) & 0xFF


def _frame(*body: int) -> bytes:
    return bytes(body) + bytes([checksum(bytes(body))])


def _checked(frame: bytes, length: int) -> bytes:
    if len(frame) != length:
        raise FrameError(f"CU16 frame must be {length} bytes, got {len(frame)}", frame)
    if frame[0] != STX or frame[-2] != ETX:
        raise FrameError("CU16 frame without STX/ETX", frame)
    if checksum(frame[:-1]) != frame[-1]:
        raise FrameError("CU16 frame checksum mismatch", frame)
    return frame


class KerongCu16:
    name = "kerong_cu16"
    baudrate = 19200
    min_board, max_board = 0, 15
    max_locks = 16
    request_length = 5

    def encode(self, request: Request) -> bytes:
        check_range(self, request)
        lock = 1 if request.kind is RequestKind.QUERY_ALL else request.lock
        command = CMD_UNLOCK if request.kind is RequestKind.OPEN else CMD_STATUS
        return _frame(STX, request.board << 4 | (lock - 1), command, ETX)

    def reply_length(self, request: Request) -> int:
        return REPLY_LENGTH

    def decode_reply(self, request: Request, frame: bytes) -> Reply:
        frame = _checked(frame, REPLY_LENGTH)
        if frame[2] != RSP_STATUS:
            raise FrameError(f"CU16 reply command 0x{frame[2]:02X} is not 35", frame)
        if frame[1] >> 4 != request.board:
            raise FrameError(f"CU16 reply from board {frame[1] >> 4}, expected {request.board}",
                             frame)
        hooks = frame[3] | frame[4] << 8          # hook1-8 then hook9-16, bit0 = lowest lock
        levels = {lock: bool(hooks >> (lock - 1) & 1) for lock in range(1, self.max_locks + 1)}
        if request.kind is RequestKind.QUERY_ALL:
            return Reply(request.board, levels)
        return Reply(request.board, {request.lock: levels[request.lock]})

    def decode_request(self, frame: bytes) -> Request:
        frame = _checked(frame, self.request_length)
        board, lock = frame[1] >> 4, (frame[1] & 0x0F) + 1
        if frame[2] == CMD_UNLOCK:
            return Request(RequestKind.OPEN, board, lock)
        if frame[2] == CMD_STATUS:
            return Request(RequestKind.QUERY, board, lock)
        raise FrameError(f"CU16 command 0x{frame[2]:02X} not supported", frame)

    def encode_reply(self, request: Request, levels: dict[int, bool]) -> bytes:
        hooks = sum(1 << (lock - 1) for lock, high in levels.items() if high)
        return _frame(STX, request.board << 4 | (max(request.lock, 1) - 1), RSP_STATUS,
                      hooks & 0xFF, hooks >> 8, 0x00, 0x00, ETX)
