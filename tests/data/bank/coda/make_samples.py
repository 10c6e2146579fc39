import sys


def rec(fields):
    buf = [" "] * 128
    for pos, text in fields:
        for i, ch in enumerate(text):
            buf[pos - 1 + i] = ch
    s = "".join(buf)
    assert len(s) == 128
    return s

def amt(v):  # v in thousandths
    return f"{abs(v):015d}"

def ogm(d10):
    c = int(d10) % 97 or 97
    return d10 + f"{c:02d}"

ACC = "BE68539007547034"
lines = []
lines.append(rec([(1, "0000005012612005        "), (25, "0000012345"), (35, "JANSSENS AN"), (61, "KREDBEBB   "), (72, "00000000000"), (84, "00000"), (128, "2")]))
lines.append(rec([(1, "12001"), (6, ACC), (40, "EUR"), (43, "0"), (44, amt(1250_000)), (59, "020126"), (65, "JANSSENS AN"), (91, "Zichtrekening"), (126, "001")]))
# movement 1: card payment to AliExpress, free communication, with 22/23
m = []
m.append(rec([(1, "21"), (3, "0001"), (7, "0000"), (11, "0601260A1B2C3D4E5F6G7"), (32, "1"), (33, amt(25_990)), (48, "050126"), (54, "00401000"), (62, "0"), (63, "BETALING MET DEBETKAART ALIEXPRESS.COM LUXEMBOURG"), (116, "060126"), (122, "001"), (125, "0"), (126, "1"), (128, "0")]))
m.append(rec([(1, "22"), (3, "0001"), (7, "0000"), (11, " ORDER 8123456789012345"), (64, "                                   "), (99, "BBRUBEBB   "), (126, "1"), (128, "0")]))
m.append(rec([(1, "23"), (3, "0001"), (7, "0000"), (11, "LU89751000135104200E"), (45, "EUR"), (48, "ALIEXPRESS.COM"), (83, ""), (126, "0"), (128, "0")]))
# movement 2: refund credit with structured communication
m.append(rec([(1, "21"), (3, "0002"), (7, "0000"), (11, "0701260B9Z8Y7X6W5V4U3"), (32, "0"), (33, amt(12_500)), (48, "070126"), (54, "00150000"), (62, "1"), (63, "101" + ogm("0900000001")), (116, "070126"), (122, "001"), (125, "0"), (126, "1"), (128, "0")]))
m.append(rec([(1, "23"), (3, "0002"), (7, "0000"), (11, "BE71096123456769"), (45, "EUR"), (48, "ALIPAY EUROPE LTD S.A"), (126, "0"), (128, "0")]))
# movement 3: grouped (globalised) direct debits: total + 2 details, with info record
m.append(rec([(1, "21"), (3, "0003"), (7, "0000"), (11, "0801260C1C2C3C4C5C6C7"), (32, "1"), (33, amt(40_000)), (48, "080126"), (54, "10500000"), (62, "0"), (63, "EUROPESE DOMICILIERING PAYPAL"), (116, "080126"), (122, "001"), (125, "1"), (126, "0"), (128, "1")]))
m.append(rec([(1, "31"), (3, "0003"), (7, "0000"), (11, "0801260C1C2C3C4C5C6C7"), (32, "1"), (33, "05000"), (40, "0"), (41, "PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A. MANDAAT 5TX22"), (126, "0"), (128, "0")]))
m.append(rec([(1, "21"), (3, "0003"), (7, "0001"), (11, "0801260C1C2C3C4C5C6C7"), (32, "1"), (33, amt(15_000)), (48, "080126"), (54, "00501000"), (62, "0"), (63, "PAYPAL 1"), (116, "080126"), (122, "001"), (125, "0"), (126, "0"), (128, "0")]))
m.append(rec([(1, "21"), (3, "0003"), (7, "0002"), (11, "0801260C1C2C3C4C5C6C7"), (32, "1"), (33, amt(25_000)), (48, "080126"), (54, "00501000"), (62, "0"), (63, "PAYPAL 2"), (116, "080126"), (122, "001"), (125, "0"), (126, "0"), (128, "0")]))
lines += m
lines.append(rec([(1, "4 00010000"), (33, "THIS IS A FREE MESSAGE FROM THE BANK"), (128, "0")]))
closing = 1250_000 - 25_990 + 12_500 - 40_000
lines.append(rec([(1, "8001"), (5, ACC), (38, "EUR"), (42, "0"), (43, amt(closing)), (58, "080126"), (128, "0")]))
nrec = len(lines) - 1
lines.append(rec([(1, "9"), (17, f"{nrec:06d}"), (23, amt(25_990 + 40_000)), (38, amt(12_500)), (128, "2")]))
out = "\r\n".join(lines) + "\r\n"
open(sys.argv[1], "wb").write(out.encode("cp1252"))
# broken: closing balance off by 1.00
lines[-2] = rec([(1, "8001"), (5, ACC), (38, "EUR"), (42, "0"), (43, amt(closing + 1000)), (58, "080126"), (128, "0")])
open(sys.argv[2], "wb").write(("\r\n".join(lines) + "\r\n").encode("cp1252"))
print(closing, ogm("0900000001"))
