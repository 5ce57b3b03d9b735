"""Code readers: QR codes and barcodes from a camera (zxing-cpp, or OpenCV's detectors), a serial
scanner, or a USB keyboard-wedge scanner. Every backend emits `codeRead` events with a
parsed `devices.code_reader.codes.ScannedCode`.
"""
BACKENDS = {
    "simulated": "devices.code_reader.simulated:SimulatedCodeReader",
    "serial": "devices.code_reader.serial_scanner:SerialCodeReader",
    "wedge": "devices.code_reader.wedge:KeyboardWedgeReader",
    "camera": "devices.code_reader.camera:CameraCodeReader",
}
