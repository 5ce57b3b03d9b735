"""Locker banks: RS-485 lock boards behind pluggable frame codecs.

`simulated` is the real RS-485 driver talking over a pty to the board simulator.
"""
BACKENDS = {
    "simulated": "devices.locker.simulated:SimulatedLockerBank",
    "rs485": "devices.locker.rs485:Rs485LockerBank",
}
