"""Receipt printers (ESC/POS): documents rendered to bytes, real DLE EOT status.

Backends are imported lazily by the registry; `simulated` is the real network
driver talking to the in-process virtual printer.
"""
BACKENDS = {
    "simulated": "devices.printer.simulated:SimulatedPrinter",
    "network": "devices.printer.network:NetworkPrinter",
    "serial": "devices.printer.serial_port:SerialPrinter",
    "usb": "devices.printer.usb:UsbPrinter",
    "file": "devices.printer.file:FilePrinter",
}
