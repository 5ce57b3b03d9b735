"""Byte-exact ESC/POS documents.

The expected bytes are written out from the ESC/POS command table (ESC @, FS &, ESC a,
ESC E, GS !, GS ( k fn 65/67/69/80/81, GS v 0, ESC d, GS V 66) with the GB18030 code of
every text line; they are never produced by our encoder.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import qrcode
from PIL import Image

from devices.printer.documents import (CommitmentLetter, PickupSlip, QueueTicket,
                                       ReferralSlip, SubmissionReceipt, TestPage)
from devices.printer.escpos_parser import Line, QrCode, RasterImage, parse
from devices.printer.layout import PaperProfile


def hexlines(text: str) -> bytes:
    """Hex bytes, one command per line, `#` starts the annotation."""
    return bytes.fromhex(" ".join(re.sub(r"#.*", "", line) for line in text.splitlines()))


AT = datetime(2026, 11, 26, 1, 30, tzinfo=timezone.utc)  # 09:30 China Standard Time


def receipt(**changes) -> SubmissionReceipt:
    fields = dict(hall="福田中心", case_number="K1-7", service="户籍证明", submitted_at=AT,
                  promised_date=date(2026, 12, 10), materials_received=["身份证"],
                  materials_deferred=["照片"], supply_deadline=date(2026, 12, 3),
                  follow_url="https://z.gov.cn/c/K1-7")
    fields.update(changes)
    return SubmissionReceipt(**fields)


def signature() -> Image.Image:
    image = Image.new("L", (16, 2), 255)
    image.paste(0, (0, 0, 8, 1))     # row 1: left half black
    image.paste(0, (8, 1, 16, 2))    # row 2: right half black
    return image


RECEIPT_58 = hexlines('''
    1B 40                                            # ESC @ initialise
    1C 26                                            # FS & Chinese mode
    1B 61 01                                         # ESC a 1 centre
    1B 45 01                                         # ESC E 1 bold
    1D 21 11                                         # GS ! 0x11 double width+height
    CA DC C0 ED BB D8 D6 B4 0A                       # 受理回执 LF
    1B 45 00                                         # ESC E 0 bold off
    1D 21 00                                         # GS ! 0 normal size
    B8 A3 CC EF D6 D0 D0 C4 0A                       # 福田中心 LF
    1B 61 00                                         # ESC a 0 left
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 32 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 0A                       # ...
    B0 B8 BC FE B1 E0 BA C5 A3 BA 4B 31 2D 37 0A     # 案件编号：K1-7 LF
    B0 EC C0 ED CA C2 CF EE A3 BA BB A7 BC AE D6 A4  # 办理事项：户籍证明 LF
    C3 F7 0A                                         # ...
    CC E1 BD BB C8 D5 C6 DA A3 BA 32 30 32 36 C4 EA  # 提交日期：2026年11月26日 LF
    31 31 D4 C2 32 36 C8 D5                          # ...
    0A                                               # ...
    B3 D0 C5 B5 B0 EC BD E1 A3 BA 32 30 32 36 C4 EA  # 承诺办结：2026年12月10日 LF
    31 32 D4 C2 31 30 C8 D5                          # ...
    0A                                               # ...
    D2 D1 CA D5 B2 C4 C1 CF A3 BA 0A                 # 已收材料： LF
    31 2E 20 C9 ED B7 DD D6 A4 0A                    # 1. 身份证 LF
    C8 DD C8 B1 BA F3 B2 B9 B2 C4 C1 CF A3 BA 0A     # 容缺后补材料： LF
    31 2E 20 D5 D5 C6 AC 0A                          # 1. 照片 LF
    B2 B9 BD BB C6 DA CF DE A3 BA 32 30 32 36 C4 EA  # 补交期限：2026年12月3日 LF
    31 32 D4 C2 33 C8 D5 0A                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 32 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 0A                       # ...
    1B 61 01                                         # ESC a 1 centre
    1D 28 6B 04 00 31 41 32 00                       # GS ( k fn65 QR model 2
    1D 28 6B 03 00 31 43 06                          # GS ( k fn67 module size 6
    1D 28 6B 03 00 31 45 31                          # GS ( k fn69 error correction M
    1D 28 6B 1A 00 31 50 30 68 74 74 70 73 3A 2F 2F  # GS ( k fn80 store, pL = 23 + 3
    7A 2E 67 6F 76 2E 63 6E                          # ...
    2F 63 2F 4B 31 2D 37                             # ...
    1D 28 6B 03 00 31 51 30                          # GS ( k fn81 print symbol
    C9 A8 C2 EB D4 DA CA D6 BB FA C9 CF B2 E9 BF B4  # 扫码在手机上查看进度、补交材料 LF
    BD F8 B6 C8 A1 A2 B2 B9 BD BB B2 C4 C1 CF 0A     # ...
    1D 56 42 00                                      # GS V 66 0 feed to cutter, partial cut
''')

#: the receipt in English: English labels and punctuation, "26 Nov 2026" dates, item and
#: material names as handed in; words move whole to the next line
RECEIPT_EN_58 = hexlines('''
    1B 40                                            # ESC @ initialise
    1C 26                                            # FS & Chinese mode (ASCII stays single-byte)
    1B 61 01                                         # ESC a 1 centre
    1B 45 01                                         # ESC E 1 bold
    1D 21 11                                         # GS ! 0x11 double width+height
    52 65 63 65 69 70 74 0A                          # Receipt LF
    1B 45 00                                         # ESC E 0 bold off
    1D 21 00                                         # GS ! 0 normal size
    46 75 74 69 61 6E 20 43 65 6E 74 72 65 0A        # Futian Centre LF
    1B 61 00                                         # ESC a 0 left
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 32 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 0A                       # ...
    43 61 73 65 20 6E 6F 2E 3A 20 4B 31 2D 37 0A     # Case no.: K1-7 LF
    53 65 72 76 69 63 65 3A 20 48 6F 75 73 65 68 6F  # Service: Household register LF
    6C 64 20 72 65 67 69 73 74 65 72 0A              # ...
    63 65 72 74 69 66 69 63 61 74 65 0A              # certificate LF
    53 75 62 6D 69 74 74 65 64 3A 20 32 36 20 4E 6F  # Submitted: 26 Nov 2026 LF
    76 20 32 30 32 36 0A                             # ...
    44 6F 6E 65 20 62 79 3A 20 31 30 20 44 65 63 20  # Done by: 10 Dec 2026 LF
    32 30 32 36 0A                                   # ...
    4D 61 74 65 72 69 61 6C 73 20 72 65 63 65 69 76  # Materials received: LF
    65 64 3A 0A                                      # ...
    31 2E 20 49 44 20 63 61 72 64 0A                 # 1. ID card LF
    4D 61 74 65 72 69 61 6C 73 20 74 6F 20 62 72 69  # Materials to bring later: LF
    6E 67 20 6C 61 74 65 72 3A 0A                    # ...
    31 2E 20 50 68 6F 74 6F 0A                       # 1. Photo LF
    42 72 69 6E 67 20 74 68 65 6D 20 62 79 3A 20 33  # Bring them by: 3 Dec 2026 LF
    20 44 65 63 20 32 30 32 36 0A                    # ...
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 32 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 0A                       # ...
    1B 61 01                                         # ESC a 1 centre
    1D 28 6B 04 00 31 41 32 00                       # GS ( k fn65 QR model 2
    1D 28 6B 03 00 31 43 06                          # GS ( k fn67 module size 6
    1D 28 6B 03 00 31 45 31                          # GS ( k fn69 error correction M
    1D 28 6B 1A 00 31 50 30 68 74 74 70 73 3A 2F 2F  # GS ( k fn80 store, pL = 23 + 3
    7A 2E 67 6F 76 2E 63 6E                          # ...
    2F 63 2F 4B 31 2D 37                             # ...
    1D 28 6B 03 00 31 51 30                          # GS ( k fn81 print symbol
    53 63 61 6E 20 74 6F 20 66 6F 6C 6C 6F 77 20 74  # Scan to follow the case and hand LF
    68 65 20 63 61 73 65 20 61 6E 64 20 68 61 6E 64  # (32 columns; the space after it dropped)
    0A                                               # ...
    69 6E 20 6D 61 74 65 72 69 61 6C 73 20 6F 6E 20  # in materials on your phone LF
    79 6F 75 72 20 70 68 6F 6E 65 0A                 # ...
    1D 56 42 00                                      # GS V 66 0 feed to cutter, partial cut
''')

LETTER_58 = hexlines('''
    1B 40                                            # ESC @ initialise
    1C 26                                            # FS & Chinese mode
    1B 61 01                                         # ESC a 1 centre
    1B 45 01                                         # ESC E 1 bold
    1D 21 11                                         # GS ! 0x11 double width+height
    C8 DD C8 B1 CA DC C0 ED B3 D0 C5 B5 CA E9 0A     # 容缺受理承诺书 LF
    1B 61 00                                         # ESC a 0 left
    1B 45 00                                         # ESC E 0 bold off
    1D 21 00                                         # GS ! 0 normal size
    CE C4 B1 BE B0 E6 B1 BE A3 BA 76 32 0A           # 文本版本：v2 LF
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 32 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 0A                       # ...
    B0 B8 BC FE B1 E0 BA C5 A3 BA 4B 31 2D 37 0A     # 案件编号：K1-7 LF
    B0 EC C0 ED CA C2 CF EE A3 BA BB A7 BC AE D6 A4  # 办理事项：户籍证明 LF
    C3 F7 0A                                         # ...
    B1 BE C8 CB B3 D0 C5 B5 B0 B4 C6 DA B2 B9 BD BB  # 本人承诺按期补交材料。 LF
    B2 C4 C1 CF A1 A3 0A                             # ...
    BA F3 B2 B9 B2 C4 C1 CF A3 BA 0A                 # 后补材料： LF
    31 2E 20 D5 D5 C6 AC 0A                          # 1. 照片 LF
    B2 B9 BD BB C6 DA CF DE A3 BA 32 30 32 36 C4 EA  # 补交期限：2026年12月3日 LF
    31 32 D4 C2 33 C8 D5 0A                          # ...
    B3 D0 C5 B5 C8 CB A3 BA D5 C5 C8 FD 0A           # 承诺人：张三 LF
    C7 A9 C3 FB A3 BA 0A                             # 签名： LF
    1B 61 01                                         # ESC a 1 centre
    1D 76 30 00 02 00 02 00                          # GS v 0 raster, 2 bytes x 2 rows
    FF 00                                            # row 1: 8 black, 8 white
    00 FF                                            # row 2: 8 white, 8 black
    1B 61 00                                         # ESC a 0 left
    C7 A9 CA F0 CA B1 BC E4 A3 BA 32 30 32 36 C4 EA  # 签署时间：2026年11月26日 09:30 LF
    31 31 D4 C2 32 36 C8 D5                          # ...
    20 30 39 3A 33 30 0A                             # ...
    1D 56 42 00                                      # GS V 66 0 feed to cutter, partial cut
''')

TICKET_80 = hexlines('''
    1B 40                                            # ESC @ initialise
    1C 26                                            # FS & Chinese mode
    1B 61 01                                         # ESC a 1 centre
    B8 A3 CC EF D6 D0 D0 C4 0A                       # 福田中心 LF
    1B 45 01                                         # ESC E 1 bold
    C5 C5 B6 D3 BA C5 0A                             # 排队号 LF
    1D 21 22                                         # GS ! 0x22 triple size
    41 30 32 33 0A                                   # A023 LF
    1B 61 00                                         # ESC a 0 left
    1B 45 00                                         # ESC E 0 bold off
    1D 21 00                                         # GS ! 0 normal size
    D2 B5 CE F1 C0 E0 D0 CD A3 BA BB A7 D5 FE 0A     # 业务类型：户政 LF
    C7 B0 B7 BD B5 C8 BA F2 A3 BA 33 C8 CB 0A        # 前方等候：3人 LF
    C8 A1 BA C5 CA B1 BC E4 A3 BA 32 30 32 36 C4 EA  # 取号时间：2026年11月26日 09:30 LF
    31 31 D4 C2 32 36 C8 D5                          # ...
    20 30 39 3A 33 30 0A                             # ...
    C7 EB C1 F4 D2 E2 BD D0 BA C5 A3 AC B9 FD BA C5  # 请留意叫号，过号请重新取号。 LF
    C7 EB D6 D8 D0 C2 C8 A1                          # ...
    BA C5 A1 A3 0A                                   # ...
    1D 56 42 00                                      # GS V 66 0 feed to cutter, partial cut
''')

SLIP_58 = hexlines('''
    1B 40                                            # ESC @ initialise
    1C 26                                            # FS & Chinese mode
    1B 61 01                                         # ESC a 1 centre
    1B 45 01                                         # ESC E 1 bold
    1D 21 11                                         # GS ! 0x11 double width+height
    C8 A1 BC FE C6 BE CC F5 0A                       # 取件凭条 LF
    1B 61 00                                         # ESC a 0 left
    1B 45 00                                         # ESC E 0 bold off
    1D 21 00                                         # GS ! 0 normal size
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 32 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 0A                       # ...
    B0 B8 BC FE B1 E0 BA C5 A3 BA 4B 31 2D 37 0A     # 案件编号：K1-7 LF
    B9 F1 C3 C5 A3 BA 31 32 BA C5 0A                 # 柜门：12号 LF
    C8 A1 BC FE B2 C4 C1 CF A3 BA 0A                 # 取件材料： LF
    31 2E 20 BB A7 BC AE D6 A4 C3 F7 0A              # 1. 户籍证明 LF
    C8 A1 BC FE CA B1 BC E4 A3 BA 32 30 32 36 C4 EA  # 取件时间：2026年11月26日 09:30 LF
    31 31 D4 C2 32 36 C8 D5                          # ...
    20 30 39 3A 33 30 0A                             # ...
    C7 EB CD D7 C9 C6 B1 A3 B9 DC B1 BE C6 BE CC F5  # 请妥善保管本凭条。 LF
    A1 A3 0A                                         # ...
    1D 56 42 00                                      # GS V 66 0 feed to cutter, partial cut
''')

TEST_PAGE_80 = hexlines('''
    1B 40                                            # ESC @ initialise
    1C 26                                            # FS & Chinese mode
    1B 61 01                                         # ESC a 1 centre
    1B 45 01                                         # ESC E 1 bold
    1D 21 11                                         # GS ! 0x11 double width+height
    B4 F2 D3 A1 BB FA B2 E2 CA D4 D2 B3 0A           # 打印机测试页 LF
    1B 61 00                                         # ESC a 0 left
    1B 45 00                                         # ESC E 0 bold off
    1D 21 00                                         # GS ! 0 normal size
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 48 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # ...
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    0A                                               # ...
    D0 CD BA C5 A3 BA 54 4D 2D 54 38 38 0A           # 型号：TM-T88 LF
    BD D3 BF DA A3 BA 6E 65 74 77 6F 72 6B 0A        # 接口：network LF
    D6 BD BF ED A3 BA 38 30 20 6D 6D 0A              # 纸宽：80 mm LF
    D7 B4 CC AC A3 BA 6F 6B 0A                       # 状态：ok LF
    CA B1 BC E4 A3 BA 32 30 32 36 C4 EA 31 31 D4 C2  # 时间：2026年11月26日 09:30 LF
    32 36 C8 D5 20 30 39 3A                          # ...
    33 30 0A                                         # ...
    D6 D0 CE C4 A3 BA D5 FE CE F1 B7 FE CE F1 D7 D4  # 中文：政务服务自助终端 LF
    D6 FA D6 D5 B6 CB 0A                             # ...
    C8 AB BD C7 B1 EA B5 E3 A3 BA A3 AC A1 A3 A3 BA  # 全角标点：，。：；！？（）【】“”￥ LF
    A3 BB A3 A1 A3 BF A3 A8                          # ...
    A3 A9 A1 BE A1 BF A1 B0 A1 B1 A3 A4 0A           # ...
    41 53 43 49 49 3A 20 30 31 32 33 34 35 36 37 38  # ASCII: 0123456789 ABC abc LF
    39 20 41 42 43 20 61 62                          # ...
    63 0A                                            # ...
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 48 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # ...
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    0A                                               # ...
    1B 61 01                                         # ESC a 1 centre
    1D 28 6B 04 00 31 41 32 00                       # GS ( k fn65 QR model 2
    1D 28 6B 03 00 31 43 06                          # GS ( k fn67 module size 6
    1D 28 6B 03 00 31 45 31                          # GS ( k fn69 error correction M
    1D 28 6B 1D 00 31 50 30 68 74 74 70 73 3A 2F 2F  # GS ( k fn80 store, pL = 26 + 3
    77 77 77 2E 67 64 7A 77                          # ...
    66 77 2E 67 6F 76 2E 63 6E 2F                    # ...
    1D 28 6B 03 00 31 51 30                          # GS ( k fn81 print symbol
    1B 64 01                                         # ESC d 1 feed one line
    1D 56 42 00                                      # GS V 66 0 feed to cutter, partial cut
''')


ELDERLY_TICKET_58 = hexlines('''
    1B 40                                            # ESC @ initialise
    1C 26                                            # FS & Chinese mode
    1B 61 01                                         # ESC a 1 centre
    B8 A3 CC EF D6 D0 D0 C4 0A                       # 福田中心 LF
    1B 45 01                                         # ESC E 1 bold
    C5 C5 B6 D3 BA C5 0A                             # 排队号 LF
    1D 21 22                                         # GS ! 0x22 triple size
    56 30 30 37 0A                                   # V007 LF
    1D 21 00                                         # GS ! 0 normal size
    A1 BE C0 CF C4 EA C8 CB D3 C5 CF C8 A1 BF 0A     # 【老年人优先】 LF
    1B 61 00                                         # ESC a 0 left
    1B 45 00                                         # ESC E 0 bold off
    D2 B5 CE F1 C0 E0 D0 CD A3 BA BB A7 D5 FE 0A     # 业务类型：户政 LF
    C7 B0 B7 BD B5 C8 BA F2 A3 BA 30 C8 CB 0A        # 前方等候：0人 LF
    C8 A1 BA C5 CA B1 BC E4 A3 BA 32 30 32 36 C4 EA  # 取号时间：2026年11月26日 09:30 LF
    31 31 D4 C2 32 36 C8 D5                          # ...
    20 30 39 3A 33 30 0A                             # ...
    C7 EB C1 F4 D2 E2 BD D0 BA C5 A3 AC B9 FD BA C5  # 请留意叫号，过号请重新取号。 LF
    C7 EB D6 D8 D0 C2 C8 A1                          # ...
    BA C5 A1 A3 0A                                   # ...
    1D 56 42 00                                      # GS V 66 0 feed to cutter, partial cut
''')

REFERRAL_58 = hexlines('''
    1B 40                                            # ESC @ initialise
    1C 26                                            # FS & Chinese mode
    1B 61 01                                         # ESC a 1 centre
    1B 45 01                                         # ESC E 1 bold
    1D 21 11                                         # GS ! 0x11 double width+height
    C8 CB B9 A4 B7 FE CE F1 D2 FD B5 BC B5 A5 0A     # 人工服务引导单 LF
    1B 45 00                                         # ESC E 0 bold off
    1D 21 00                                         # GS ! 0 normal size
    B8 A3 CC EF D6 D0 D0 C4 0A                       # 福田中心 LF
    1B 61 00                                         # ESC a 0 left
    2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D 2D  # 32 x '-' LF
    2D 2D 2D 2D 2D 2D 2D 2D                          # ...
    2D 2D 2D 2D 2D 2D 2D 2D 0A                       # ...
    CA C2 D3 C9 A3 BA CE DE B7 A8 BA CB D1 E9 C9 ED  # 事由：无法核验身份 LF
    B7 DD 0A                                         # ...
    D6 D5 B6 CB A3 BA 64 65 6D 6F 2D 6B 69 6F 73 6B  # 终端：demo-kiosk-001 LF
    2D 30 30 31 0A                                   # ...
    CA B1 BC E4 A3 BA 32 30 32 36 C4 EA 31 31 D4 C2  # 时间：2026年11月26日 09:30 LF
    32 36 C8 D5 20 30 39 3A                          # ...
    33 30 0A                                         # ...
    C7 EB B3 D6 B1 BE B5 A5 B5 BD B7 FE CE F1 CC A8  # 请持本单到服务台，工作人员将协助 LF
    A3 AC B9 A4 D7 F7 C8 CB                          # ...
    D4 B1 BD AB D0 AD D6 FA 0A                       # ...
    C4 FA B0 EC C0 ED A1 A3 0A                       # 您办理。 LF
    1D 56 42 00                                      # GS V 66 0 feed to cutter, partial cut
''')


def test_submission_receipt_58mm_native_qr():
    assert receipt().render(PaperProfile(58, native_qr=True)) == RECEIPT_58


def test_submission_receipt_in_english_58mm():
    english = receipt(language="en", hall="Futian Centre",
                      service="Household register certificate", materials_received=["ID card"],
                      materials_deferred=["Photo"])
    assert english.render(PaperProfile(58)) == RECEIPT_EN_58


def test_commitment_letter_in_english_dates_and_labels():
    letter = CommitmentLetter(case_number="K1-7", service="Household register certificate",
                              text_version="v2", paragraphs=["I will bring the photo."],
                              materials_deferred=["Photo"], deadline=date(2026, 12, 3),
                              signer="Zhang San", signed_at=AT, signature=signature(),
                              language="en")
    lines = [e.text for e in parse(letter.render(PaperProfile(80))) if isinstance(e, Line)]
    assert lines[:2] == ["Commitment letter", "Text version: v2"]
    assert "Bring them by: 3 Dec 2026" in lines and "Signed by: Zhang San" in lines
    assert lines[-1] == "Signed at: 26 Nov 2026 09:30"      # 01:30 UTC is 09:30 in the hall
    assert not any("：" in line or "年" in line for line in lines)


def test_commitment_letter_58mm_with_signature_image():
    letter = CommitmentLetter(case_number="K1-7", service="户籍证明", text_version="v2",
                              paragraphs=["本人承诺按期补交材料。"], materials_deferred=["照片"],
                              deadline=date(2026, 12, 3), signer="张三", signed_at=AT,
                              signature=signature())
    assert letter.render(PaperProfile(58)) == LETTER_58


def test_queue_ticket_80mm():
    ticket = QueueTicket(hall="福田中心", ticket_no="A023", window_group="户政", waiting=3,
                         issued_at=AT)
    assert ticket.render(PaperProfile(80)) == TICKET_80


def test_priority_queue_ticket_58mm():
    ticket = QueueTicket(hall="福田中心", ticket_no="V007", window_group="户政", waiting=0,
                         issued_at=AT, priority="elderly")
    assert ticket.render(PaperProfile(58)) == ELDERLY_TICKET_58


def test_referral_slip_58mm_wraps_the_instruction():
    slip = ReferralSlip(hall="福田中心", reason="无法核验身份", kiosk_id="demo-kiosk-001",
                        issued_at=AT)
    assert slip.render(PaperProfile(58)) == REFERRAL_58


def test_pickup_slip_58mm():
    slip = PickupSlip(case_number="K1-7", compartment=12, items=["户籍证明"], picked_at=AT)
    assert slip.render(PaperProfile(58)) == SLIP_58


def test_technician_test_page_80mm():
    page = TestPage(model="TM-T88", backend="network", width_mm=80, status="ok", printed_at=AT)
    assert page.render(PaperProfile(80)) == TEST_PAGE_80


def test_qr_as_image_when_the_printer_has_no_native_qr():
    job = receipt().render(PaperProfile(80, native_qr=False))
    # the symbol drawn independently from the qrcode matrix: version 2 (25 modules) plus a
    # 4-module quiet zone each side = 33 modules x 6 dots = 198 dots, padded to 25 bytes
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data("https://z.gov.cn/c/K1-7")
    code.make(fit=True)
    matrix = code.get_matrix()
    assert len(matrix) == 33
    header = hexlines("""
        1B 61 01                  # ESC a 1 centre
        1D 76 30 00 19 00 C6 00   # GS v 0 m=0, 25 bytes (200 dots) x 198 rows
    """)
    assert header in job and b"\x1d\x28\x6b" not in job
    image = next(e for e in parse(job) if isinstance(e, RasterImage))
    for y in range(image.height):
        for x in range(200):
            expected = x < 198 and matrix[y // 6][x // 6]
            bit = image.rows[y * 25 + x // 8] >> (7 - x % 8) & 1
            assert bit == expected, (x, y)


def test_80mm_rule_is_48_columns_and_long_text_wraps_by_display_width():
    blocks = receipt(service="深圳市福田区居民户籍证明及相关材料出具").render(PaperProfile(58))
    lines = [e.text for e in parse(blocks) if isinstance(e, Line)]
    assert "办理事项：深圳市福田区居民户籍证" in lines     # 16 full-width = 32 columns
    assert "明及相关材料出具" in lines
    wide = [e.text for e in parse(receipt().render(PaperProfile(80))) if isinstance(e, Line)]
    assert "-" * 48 in wide


def test_the_words_under_the_qr_say_what_the_page_offers():
    owing = [e.text for e in parse(receipt().render(PaperProfile(80))) if isinstance(e, Line)]
    assert owing[-1] == "扫码在手机上查看进度、补交材料"
    settled = receipt(materials_deferred=[], supply_deadline=None).render(PaperProfile(80))
    assert [e.text for e in parse(settled) if isinstance(e, Line)][-1] == "扫码在手机上查看办理进度"


def test_chinese_and_full_width_punctuation_decode_back():
    text = "全角标点：，。：；！？（）【】“”￥"
    job = TestPage(model="m", backend="b", width_mm=80, status="ok", printed_at=AT) \
        .render(PaperProfile(80))
    # GB18030 of the punctuation, from the code table (A3AC ，, A1A3 。, A3BA ：, ...)
    assert bytes.fromhex("A3 AC A1 A3 A3 BA A3 BB A3 A1 A3 BF A3 A8 A3 A9 A1 BE A1 BF "
                         "A1 B0 A1 B1 A3 A4") in job
    assert text in [e.text for e in parse(job) if isinstance(e, Line)]


def test_documents_round_trip_through_the_parser():
    elements = parse(receipt().render(PaperProfile(80)))
    texts = [e.text for e in elements if isinstance(e, Line)]
    assert texts[:2] == ["受理回执", "福田中心"]
    assert elements[1] == Line("受理回执", align=1, bold=True, width=2, height=2)
    assert QrCode("https://z.gov.cn/c/K1-7", 6, 49) in elements
    assert "容缺后补材料：" in texts and "补交期限：2026年12月3日" in texts
