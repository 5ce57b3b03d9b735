"""The reader's side of BAC secure messaging (Doc 9303 Part 11 §9.8): 3DES + retail MAC + SSC."""
from __future__ import annotations

import hmac

from devices.id_reader import tlv
from devices.id_reader.apdu import CommandApdu, ResponseApdu
from devices.id_reader.bac import SessionKeys, pad, retail_mac, tdes_decrypt, tdes_encrypt, unpad
from devices.id_reader.errors import ParseError, VerificationFailed

#: status words a card uses to say the secure-messaging objects were wrong
SM_ERRORS = {0x6987: "expected secure-messaging data objects are missing",
             0x6988: "secure-messaging data objects are incorrect"}


class SecureMessaging:
    def __init__(self, keys: SessionKeys) -> None:
        self._ks_enc = keys.ks_enc
        self._ks_mac = keys.ks_mac
        self.ssc = keys.ssc

    def __repr__(self) -> str:
        return "SecureMessaging(<secret>)"

    def _next_ssc(self) -> bytes:
        self.ssc = (self.ssc + 1) % (1 << 64)
        return self.ssc.to_bytes(8, "big")

    def protect(self, command: CommandApdu) -> CommandApdu:
        header = bytes([command.cla | 0x0C, command.ins, command.p1, command.p2])
        objects = b""
        if command.data:
            cipher = tdes_encrypt(self._ks_enc, pad(command.data))
            # odd INS (B1) data are BER-TLV: DO85 without the padding-indicator byte
            objects += tlv.encode(0x85, cipher) if command.ins & 1 \
                else tlv.encode(0x87, b"\x01" + cipher)
        if command.le is not None:  # Le in one byte, or two for extended length
            le = (command.le & 0xFFFF).to_bytes(2, "big") if command.extended \
                else bytes([command.le & 0xFF])
            objects += tlv.encode(0x97, le)
        mac_input = pad(self._next_ssc() + pad(header) + objects)
        objects += tlv.encode(0x8E, retail_mac(self._ks_mac, mac_input))
        return CommandApdu(header[0], header[1], header[2], header[3], objects,
                           le=0x10000 if command.extended else 0)

    def unprotect(self, response: ResponseApdu) -> ResponseApdu:
        ssc = self._next_ssc()
        if not response.data:
            # an error the card reports in plain (the session is over after it)
            if response.sw in SM_ERRORS:
                raise VerificationFailed(f"card: {SM_ERRORS[response.sw]}", code="smRejected")
            return response
        encrypted = status = mac = None
        covered = b""
        for element in tlv.iterate(response.data):
            raw = response.data[element.start:element.end]
            if element.tag == 0x87:
                if not element.value or element.value[0] != 0x01:
                    raise ParseError("encrypted data object 87 lacks the padding indicator 01")
                encrypted, covered = element.value[1:], covered + raw
            elif element.tag == 0x85:
                encrypted, covered = element.value, covered + raw
            elif element.tag == 0x99:
                status, covered = element.value, covered + raw
            elif element.tag == 0x8E:
                mac = element.value
            else:
                raise ParseError(f"unexpected data object {element.tag:X} in a protected response")
        if mac is None or status is None or len(status) != 2:
            raise ParseError("a protected response lacks its status (99) or MAC (8E) object")
        if not hmac.compare_digest(retail_mac(self._ks_mac, pad(ssc + covered)), mac):
            raise VerificationFailed("the response MAC is wrong: data were altered or the "
                                     "session is out of step", code="smMacMismatch")
        data = b""
        if encrypted is not None:
            data = unpad(tdes_decrypt(self._ks_enc, encrypted))
        return ResponseApdu(data, int.from_bytes(status, "big"))

