"""Identity-document readers: ICAO eMRTDs over PC/SC and resident-ID SAM readers.

Every backend returns the same `IdDocument` (see `devices.id_reader.result`).
"""
BACKENDS = {
    "simulated": "devices.id_reader.simulated:SimulatedIdReader",
    "pcsc": "devices.id_reader.pcsc:PcscIdReader",
    "sam": "devices.id_reader.sam:SamIdReader",
}
