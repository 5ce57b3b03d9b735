"""Puts a virtual card into pcscd's "Virtual PCD" reader (vsmartcard vpcd) over TCP.

vpcd protocol: every message is `uint16 big-endian length || payload`. A 1-byte payload
is control (00 power off, 01 power on, 02 reset, 04 send the ATR); anything else is a
command APDU answered with the response APDU. Connecting inserts the card; closing
the socket removes it.

Latency: vpcd may write the length and the payload in two segments; with delayed ACKs
that costs ~40 ms per APDU, so the socket sets TCP_NODELAY and re-arms TCP_QUICKACK
before every receive.
"""
from __future__ import annotations

import logging
import socket
import threading

from devices.id_reader.virtual_card.card import CardLeftField, VirtualEmrtd

log = logging.getLogger(__name__)

VPCD_PORT = 35963


class VpcdSlot:
    """One vpcd slot (port 35963 + slot number) that a virtual card can be inserted into."""

    def __init__(self, host: str = "127.0.0.1", port: int = VPCD_PORT) -> None:
        self.host, self.port = host, port
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._card: VirtualEmrtd | None = None
        self.apdus = 0
        #: set when the serving thread ended (card removed, by us, vpcd or a fault)
        self.gone = threading.Event()

    @property
    def inserted(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def insert(self, card: VirtualEmrtd, timeout: float = 5.0) -> None:
        """Connect to vpcd with `card` (raises OSError when vpcd is not listening)."""
        self.remove()
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(None)
        self._socket, self._card = sock, card
        self.gone.clear()
        self._thread = threading.Thread(target=self._serve, args=(sock, card),
                                        name=f"vpcd-card-{self.port}", daemon=True)
        self._thread.start()

    def remove(self, timeout: float = 5.0) -> None:
        sock, thread = self._socket, self._thread
        self._socket = self._thread = None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    # --- serving -----------------------------------------------------------------

    @staticmethod
    def _receive(sock: socket.socket, count: int) -> bytes | None:
        data = b""
        while len(data) < count:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(count - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    @staticmethod
    def _send(sock: socket.socket, payload: bytes) -> None:
        sock.sendall(len(payload).to_bytes(2, "big") + payload)

    def _serve(self, sock: socket.socket, card: VirtualEmrtd) -> None:
        try:
            while True:
                header = self._receive(sock, 2)
                if header is None:
                    return
                payload = self._receive(sock, int.from_bytes(header, "big"))
                if payload is None:
                    return
                if len(payload) == 1:
                    if payload[0] in (0x01, 0x02):
                        card.power_on()
                    elif payload[0] == 0x04:
                        self._send(sock, card.atr)
                    continue
                self.apdus += 1
                try:
                    response = card.process(payload)
                except CardLeftField:
                    return  # closing the socket is how vpcd learns the card is gone
                self._send(sock, response)
        except OSError:
            return  # removed by `remove()` from another thread
        finally:
            try:
                sock.close()
            except OSError:
                pass
            self.gone.set()
