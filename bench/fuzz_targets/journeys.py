"""Journey parsers of outside input: the MRZ key in a scanned code, the search box."""
from __future__ import annotations

from functools import lru_cache

from kiosk.journeys.identify import mrz_key_from_code

MODULES = ["kiosk.journeys.identify", "kiosk.search", "foundation.identity_validation"]


def mrz_key(data: bytes) -> object:
    return mrz_key_from_code(data.decode("utf-8", errors="replace"))


@lru_cache(maxsize=1)
def _index():
    from kiosk.catalogue import load_catalogue
    from kiosk.search import SearchIndex
    return SearchIndex(load_catalogue())


def search_query(data: bytes) -> object:
    return _index().search(data.decode("utf-8", errors="replace"))


TARGETS = {
    "journeys_mrz_key_from_code": (mrz_key, (ValueError,)),
    "journeys_search_query": (search_query, ()),
}

SEEDS = {
    "journeys_mrz_key_from_code": [
        b"L898902C3:740812:120415", b"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        b"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\n"
        b"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        b"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
        b"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ],
    "journeys_search_query": ["居住证".encode(), b"residence permit", "养狗 登记".encode(),
                              b"dog", "营业执照".encode(), b"jzz"],
}
