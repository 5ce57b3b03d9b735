"""Journey parsers of outside input: the MRZ key in a scanned code, the search box."""
from __future__ import annotations

from functools import lru_cache

from kiosk.journeys.identify import mrz_key_from_code


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
