"""What every lock-board codec offers, and the errors a frame can have."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from devices.model import InvalidData


class FrameError(InvalidData):
    """A frame from the bus that is not what the protocol allows (length, header, checksum,
    address). The message names the bytes, never anything personal."""

    def __init__(self, message: str, frame: bytes) -> None:
        super().__init__(f"{message}: {frame.hex(' ')}", code="badFrame")
        self.frame = frame


class RequestKind(StrEnum):
    OPEN = "open"
    QUERY = "query"
    QUERY_ALL = "queryAll"


@dataclass(frozen=True)
class Request:
    kind: RequestKind
    board: int
    lock: int = 0          # 1-based; 0 for QUERY_ALL


@dataclass(frozen=True)
class Reply:
    """Switch levels by 1-based lock number (one entry for single-lock replies)."""
    board: int
    levels: dict[int, bool]


class Codec(Protocol):
    name: str
    baudrate: int
    min_board: int
    max_board: int
    max_locks: int
    request_length: int

    # driver side
    def encode(self, request: Request) -> bytes: ...
    def reply_length(self, request: Request) -> int: ...
    def decode_reply(self, request: Request, frame: bytes) -> Reply: ...

    # board side (simulator)
    def decode_request(self, frame: bytes) -> Request: ...
    def encode_reply(self, request: Request, levels: dict[int, bool]) -> bytes: ...


def check_range(codec: Codec, request: Request) -> None:
    if not codec.min_board <= request.board <= codec.max_board:
        raise ValueError(f"{codec.name}: board {request.board} is out of range "
                         f"{codec.min_board}..{codec.max_board}")
    if request.kind is not RequestKind.QUERY_ALL and not 1 <= request.lock <= codec.max_locks:
        raise ValueError(f"{codec.name}: lock {request.lock} is out of range 1..{codec.max_locks}")
