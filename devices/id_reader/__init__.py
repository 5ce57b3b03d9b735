"""Identity-document readers: ICAO eMRTDs over PC/SC and resident-ID SAM readers.

Every backend returns the same `IdDocument` (`result.py`); `IdReader.read(access_key)`
(`reader.py`) submits one read and returns the `Command`.

- eMRTD path: `transport.py` (CardConnection) -> `emrtd.py` (SELECT, BAC, file reads) on
  `bac.py` + `secure_messaging.py`, parsing with `tlv.py`, `lds.py` (EF.COM, DG1, DG2,
  DG11), `face_image.py` (19794-5, 39794-5) and `sod.py` (Passive Authentication).
  Backends: `pcsc.py` (pcscd via pyscard) and `simulated.py` (the same code against the
  in-process `virtual_card/`, which has its own secure-messaging side).
- SAM path: `sam_protocol.py` (frames, status codes) and `sam_text.py` (card layouts,
  nation codes) under `sam.py`; the photo through the optional `wlt.py` plug-in
  (`wlt_plugin.h`); `sam_simulator.py` serves a pty for tests and the simulated backend.
"""
BACKENDS = {
    "simulated": "devices.id_reader.simulated:SimulatedIdReader",
    "pcsc": "devices.id_reader.pcsc:PcscIdReader",
    "sam": "devices.id_reader.sam:SamIdReader",
}
