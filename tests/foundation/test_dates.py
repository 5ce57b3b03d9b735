from datetime import date, datetime, timezone

from foundation.dates import written_date, written_datetime


def test_dates_in_chinese_and_english():
    assert written_date(date(2026, 12, 5)) == "2026年12月5日"
    assert written_date(date(2026, 12, 5), "en_US") == "5 Dec 2026"
    assert written_date(date(2027, 1, 31), "en") == "31 Jan 2027"


def test_an_aware_time_is_the_halls_date_and_time():
    late = datetime(2026, 12, 5, 16, 30, tzinfo=timezone.utc)      # 00:30 on the 6th in the hall
    assert written_date(late, "en") == "6 Dec 2026"
    assert written_datetime(late) == "2026年12月6日 00:30"
    assert written_datetime(late, "en") == "6 Dec 2026 00:30"
