"""A virtual ICAO eMRTD (BAC + secure messaging) for the simulator and the pcscd tests.

Written from the card's side and independent of the reader: it shares no secure
messaging code with `devices.id_reader`, so a bug there cannot hide itself here.
"""
