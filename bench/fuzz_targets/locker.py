"""Lock-board frame decoders (replies the driver reads, requests the simulator reads)."""
from __future__ import annotations

from functools import partial

from devices.locker.codecs import CODECS, FrameError, Request, RequestKind

_REQUESTS = {RequestKind.OPEN: Request(RequestKind.OPEN, 1, 1),
             RequestKind.QUERY: Request(RequestKind.QUERY, 1, 1),
             RequestKind.QUERY_ALL: Request(RequestKind.QUERY_ALL, 1)}

TARGETS = {
    **{f"{name}_{kind}": (partial(codec.decode_reply, request), (FrameError,))
       for name, codec in CODECS.items() for kind, request in _REQUESTS.items()},
    **{f"{name}_request": (codec.decode_request, (FrameError,)) for name, codec in CODECS.items()},
}

#: valid replies from the reference tables (device-protocols.md section 3), each to the
#: request it answers (board 1, lock 1)
_REPLIES = {
    ("xor_8a", RequestKind.OPEN): [bytes.fromhex("8A 01 01 11 9B")],
    ("xor_8a", RequestKind.QUERY): [bytes.fromhex("80 01 01 11 91")],
    ("xor_8a", RequestKind.QUERY_ALL): [bytes.fromhex("80 01 80 00 01 01 33 32")],
    **{("kerong_cu16", kind): [bytes.fromhex("02 10 35 05 80 00 00 03 CF")]
       for kind in _REQUESTS},
}
_REQUEST_SEEDS = {"xor_8a": [bytes.fromhex("8A 01 01 11 9B"), bytes.fromhex("80 01 00 33 B2")],
                  "kerong_cu16": [bytes.fromhex("02 00 31 03 36"), bytes.fromhex("02 15 31 03 4B")]}

SEEDS = {
    **{f"{name}_{kind}": _REPLIES[name, kind] for name in CODECS for kind in _REQUESTS},
    **{f"{name}_request": _REQUEST_SEEDS[name] for name in CODECS},
}
