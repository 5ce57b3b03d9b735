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
