"""Lock-board frame codecs: pure encode/decode, one module per protocol family.

Both sides live in each codec: the driver encodes requests and decodes replies, the
board simulator decodes requests and encodes replies. Codecs report raw switch
*levels* (True = the switch input is high / "11" / bit set); whether high means the
door is open depends on the wiring, which is a per-board polarity in the bank.
Lock numbers are 1-based everywhere outside the codecs.
"""
from __future__ import annotations

from devices.locker.codecs.base import (Codec, FrameError, Reply, Request, RequestKind)
from devices.locker.codecs.kerong_cu16 import KerongCu16
from devices.locker.codecs.xor_8a import Xor8A

CODECS: dict[str, Codec] = {codec.name: codec for codec in (KerongCu16(), Xor8A())}

__all__ = ["CODECS", "Codec", "FrameError", "KerongCu16", "Reply", "Request", "RequestKind",
           "Xor8A"]
