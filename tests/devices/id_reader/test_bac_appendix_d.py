"""ICAO Doc 9303 Part 11 Appendix D, reproduced exactly (keys, mutual authentication, SM)."""
from __future__ import annotations

import pytest

from devices.id_reader import apdu
from devices.id_reader.apdu import ResponseApdu
from devices.id_reader.bac import (BacHandshake, SessionKeys, adjust_parity, derive_key,
                                   kseed_from_mrz)
from devices.id_reader.errors import AccessDenied, VerificationFailed
from devices.id_reader.secure_messaging import SecureMessaging
from foundation.identity_validation import bac_key

H = bytes.fromhex
MRZ_INFORMATION = "L898902C<369080619406236"
RND_IC, RND_IFD = "4608F91988702212", "781723860C06C226"
K_IFD, K_IC = "0B795240CB7049B01C19B33E32804F0B", "0B4F80323EB3191CB04970CB4052790B"
CARD_ANSWER = ("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"
               "2F2D235D074D7449")
KS_ENC, KS_MAC, SSC = "979EC13B1CBFE9DCD01AB0FED307EAE5", "F1CB1F1FB5ADF208806B89DC579DC1F8", \
    0x887022120C06C226
#: (plain command, protected command, protected response, plain response data, SW)
SM_EXCHANGES = [
    (apdu.select_file(0x011E), "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800",
     "990290008E08FA855A5D4C50A8ED9000", "", 0x9000),
    (apdu.read_binary(0, 4), "0CB000000D9701048E08ED6705417E96BA5500",
     "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000", "60145F01", 0x9000),
    (apdu.read_binary(4, 0x12), "0CB000040D9701128E082EA28A70F3C7B53500",
     "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000",
     "04303130365F36063034303030305C026175", 0x9000),
]


def test_mrz_information_from_the_key_fields():
    assert bac_key("L898902C", "690806", "940623").mrz_information() == MRZ_INFORMATION


def test_key_seed_and_basic_access_keys():
    kseed = kseed_from_mrz(MRZ_INFORMATION)
    assert kseed == H("239AB9CB282DAF66231DC5A4DF6BFBAE")
    assert derive_key(kseed, 1) == H("AB94FDECF2674FDFB9B391F85D7F76F2")
    assert derive_key(kseed, 2) == H("7962D9ECE03D1ACD4C76089DCE131543")


def test_parity_adjustment_of_the_raw_sha1_output():
    assert adjust_parity(H("AB94FCEDF2664EDFB9B291F85D7F77F2")) == \
        H("AB94FDECF2674FDFB9B391F85D7F76F2")


def test_mutual_authentication_command_and_session_keys():
    handshake = BacHandshake(MRZ_INFORMATION, H(RND_IFD), H(K_IFD))
    data = handshake.authenticate_data(H(RND_IC))
    assert data == H("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
                     "5F1448EEA8AD90A7")
    assert apdu.mutual_authenticate(data).to_bytes() == H("0082000028") + data + H("28")
    keys = handshake.finish(H(CARD_ANSWER))
    assert (keys.ks_enc, keys.ks_mac, keys.ssc) == (H(KS_ENC), H(KS_MAC), SSC)


def test_a_card_answer_with_a_wrong_mac_means_a_wrong_key():
    handshake = BacHandshake(MRZ_INFORMATION, H(RND_IFD), H(K_IFD))
    handshake.authenticate_data(H(RND_IC))
    with pytest.raises(AccessDenied):
        handshake.finish(H(CARD_ANSWER[:-2] + "00"))


def test_a_card_answer_for_another_challenge_is_rejected():
    handshake = BacHandshake(MRZ_INFORMATION, H(RND_IFD), H(K_IFD))
    handshake.authenticate_data(H("0000000000000000"))
    with pytest.raises((AccessDenied, VerificationFailed)):
        handshake.finish(H(CARD_ANSWER))


def test_secure_messaging_protects_and_unprotects_the_worked_example():
    sm = SecureMessaging(SessionKeys(H(KS_ENC), H(KS_MAC), SSC))
    for command, protected, response, plain, sw in SM_EXCHANGES:
        assert sm.protect(command).to_bytes() == H(protected)
        answer = sm.unprotect(ResponseApdu.parse(H(response)))
        assert (answer.data, answer.sw) == (H(plain), sw)
    assert sm.ssc == 0x887022120C06C22C


def test_a_tampered_protected_response_is_rejected():
    sm = SecureMessaging(SessionKeys(H(KS_ENC), H(KS_MAC), SSC))
    sm.protect(SM_EXCHANGES[1][0])
    tampered = bytearray(H(SM_EXCHANGES[1][2]))
    tampered[4] ^= 0x01
    with pytest.raises(VerificationFailed):
        sm.unprotect(ResponseApdu.parse(bytes(tampered)))
