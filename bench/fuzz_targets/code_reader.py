"""Code-reader parsers of outside bytes: scanner lines and the code text they carry."""
from __future__ import annotations

from devices.code_reader.codes import decode_scanner_bytes, parse_code
from devices.model import InvalidData


def parse_scanner_line(data: bytes) -> object:
    return parse_code(decode_scanner_bytes(data))


TARGETS = {
    "code_reader_scanner_line": (parse_scanner_line, (InvalidData,)),
}

#: one valid code of every kind, as a scanner sends them (the MRZs are ICAO Doc 9303 examples)
SEEDS = {
    "code_reader_scanner_line": [
        b"APPT-7K3M9Q2X", b"PICKUP-24681357", b"24681357",
        b"https://hall.example.gov.cn/h/AbCdEfGhIjKlMnOpQr",
        b"HANDOVER-AbCdEfGhIjKlMnOpQr_-12", b"MRZ:L898902C<369080619406236",
        b"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
        b"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        b"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
        b"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ],
}
