"""Writes the anonymised golden bank exports under tests/data/bank/<importer>/ (run on purpose).

Every file follows the layout its importer's docstring documents with the public source it was
read from (complaint/importers/bank/<bank>.py); names, IBANs and amounts are invented (IBANs carry
valid check digits).  The .expected.json files next to them
are written by hand and are NOT produced by this script.
"""

from pathlib import Path

HERE = Path(__file__).parent


def write(rel: str, lines: list[str], encoding: str = "utf-8", newline: str = "\n", bom: bool = False) -> None:
    path = HERE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = newline.join(lines) + newline
    raw = data.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)


KBC_NL_HEADER = ("Rekeningnummer;Rubrieknaam;Naam;Munt;Afschriftnummer;Datum;Omschrijving;Valuta;Bedrag;Saldo;"
                 "credit;debet;rekeningnummer tegenpartij;BIC tegenpartij;Naam tegenpartij;Adres tegenpartij;"
                 "gestructureerde mededeling;Vrije mededeling")
KBC_ROWS = [  # newest first, like the bank's export
    "BE36734012345681; ;DE SMET AN      ;EUR;  2026003;12/03/2026;OVERSCHRIJVING NAAR BE21 0012 3456 7803   JAN PEETERS  ;12/03/2026;-15,00;450,00;;-15,00;BE21001234567803;GEBABEBB;JAN PEETERS;KERKSTRAAT 1 9000 GENT;***190/5063/21290***;Huur bijdrage – café Zoë",
    "BE36734012345681; ;DE SMET AN      ;EUR;  2026003;12/03/2026;OVERSCHRIJVING NAAR BE21 0012 3456 7803   JAN PEETERS  ;12/03/2026;-15,00;465,00;;-15,00;BE21001234567803;GEBABEBB;JAN PEETERS;KERKSTRAAT 1 9000 GENT;***190/5063/21290***;Huur bijdrage – café Zoë",
    "BE36734012345681; ;DE SMET AN      ;EUR;  2026002;10/03/2026;TERUGBETALING ALIEXPRESS.COM LUXEMBOURG 6703 04XX XXXX 1234 5 MET KBC-BANKKAART;10/03/2026;45,67;480,00;45,67;;;;;;;",
    "BE36734012345681; ;DE SMET AN      ;EUR;  2026002;05/03/2026;EUROPESE DOMICILIERING SCHULDEISER : PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A.;05/03/2026;-20,00;434,33;;-20,00;LU89751000135104200E;PPLXLULL;PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A.;22-24 BOULEVARD ROYAL L-2449 LUXEMBOURG;;1043785647382 PAYPAL ALIEXPRESS",
    "BE36734012345681; ;DE SMET AN      ;EUR;  2026001;02/03/2026;BETALING AANKOPEN VIA BANCONTACT 02-03 ALIEXPRESS.COM LUXEMBOURG MET KBC-BANKKAART 6703 04XX XXXX 1234 5 ;02/03/2026;-45,67;454,33;;-45,67;;;;;;",
]
write("kbc_csv/kbc_nl_18col.csv", [KBC_NL_HEADER, *KBC_ROWS], encoding="cp1252", newline="\r")
write("kbc_csv/kbc_overlap_a.csv", [KBC_NL_HEADER, *KBC_ROWS[2:]], encoding="cp1252", newline="\r")
write("kbc_csv/kbc_overlap_b.csv", [KBC_NL_HEADER, *KBC_ROWS[:4]], encoding="cp1252", newline="\r")

write("kbc_csv/kbc_en_18col.csv", [
    "Account number;Heading;Name;Currency;Statement number;Date;Description;Value date;Amount;Balance;credit;debit;"
    "counterparty's account number;Counterparty BIC;Counterparty name;Counterparty address;standard-format reference;"
    "Free-format reference",
    "BE19734987654312; ;MARTIN LEA;EUR;  2026010;01/04/2026;CARD PAYMENT ALI*ALIEXPRESS ALIEXPR WITH KBC DEBIT CARD 5169 20XX XXXX 7077 0;01/04/2026;-12,99;987,01;;-12,99;;;;;;",
    "BE19734987654312; ;MARTIN LEA;EUR;  2026010;03/04/2026;CREDIT TRANSFER FROM BE85 3634 5678 9006;03/04/2026;250,00;1237,01;250,00;;BE85363456789006;BBRUBEBB;THOMAS NOËL;RUE HAUTE 5 1000 BRUXELLES;;remboursement vacances",
    "BE19734987654312; ;MARTIN LEA;EUR;  2026010;04/04/2026;EUROPEAN DIRECT DEBIT CREDITOR : PAYPAL (EUROPE) S.A.R.L. ET CIE., S;04/04/2026;-1.049,50;187,51;;-1.049,50;LU89751000135104200E;PPLXLULL;PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A.;;420000000108;",
], bom=True, newline="\r\n")

write("kbc_csv/kbc_nl_10col.csv", [
    "Rekeningnummer;Rubrieknaam;Naam;Munt;Afschriftnummer;Datum;Omschrijving;Valuta;Bedrag;Saldo;",
    "BE36734012345681;Zichtrekening;DE SMET AN;EUR;00018038;27/02/2018;BIJDRAGE ZICHTREKENING;28/02/2018;-3,40;219,95;",
    "BE36734012345681;Zichtrekening;DE SMET AN;EUR;00018038;28/02/2018;STORTING ÉÉN KEER;28/02/2018;100,00;319,95;",
], encoding="cp1252")

KBC_CC_NL = ("kredietkaart;kaarthouder;uitgavenstaat;datum verrichting;Datum verrekening;bedrag;credit;debet;munt;koers;"
             "bedrag in EUR;Kosten op verrichting;Handelaar;locatie;land;toelichting")
write("kbc_creditcard_csv/kbc_cc_nl.csv", [
    KBC_CC_NL,
    "5253 03XX XXXX 4321;DE SMET AN;202603;02/03/2026;04/03/2026;25,990000000;0,00;25,990000000;USD;1,083000000;-24,00;0,00;ALIEXPRESS.COM;LUXEMBOURG;LU;",
    "5253 03XX XXXX 4321;DE SMET AN;202603;05/03/2026;06/03/2026;12,500000000;0,00;12,500000000;EUR;1,000000000;-12,50;0,00;PAYPAL *ALIEXPRESS;35314369001;GB;",
    "5253 03XX XXXX 4321;DE SMET AN;202603;18/03/2026;19/03/2026;25,990000000;25,990000000;0,00;USD;1,092000000;23,80;0,00;ALIEXPRESS.COM;LUXEMBOURG;LU;terugbetaling",
], encoding="cp1252")
write("kbc_creditcard_csv/kbc_cc_en.csv", [
    "credit card;card holder;Billing statement;date transaction;Settlement date;amount;credit;debit;currency;price;"
    "amount in EUR;Transaction cost;Merchant;location;country;explanation",
    "4571 12XX XXXX 9876;MARTIN LEA;202604;21/04/2026;23/04/2026;5,490000000;0,00;5,490000000;EUR;1,000000000;-5,49;0,00;PAYPAL *APPLE.COM/BILL;ITUNES.COM;IE;",
    "4571 12XX XXXX 9876;MARTIN LEA;202604;22/04/2026;24/04/2026;60,700000000;0,00;60,700000000;CHF;0,980300000;-61,92;0,00;ALI*ALIEXPRESS ALIPAY;SINGAPORE;SG;",
], bom=True, newline="\r\n")

write("bnppf_csv/bnppf_v1_fr.csv", [
    "Numéro de séquence;Date d'exécution;Date valeur;Montant;Devise du compte;Détails;Numéro de compte",
    "2026-0012;03/03/2026;01/03/2026;-45,67;EUR;PAIEMENT AVEC LA CARTE DE DEBIT NUMERO 4871 04XX XXXX 1711 ALIEXPRESS.COM LUXEMBOURG 01/03/2026 VISA DEBIT - Apple Pay REFERENCE BANQUE : 2603021425068897 DATE VALEUR : 01/03/2026;BE21001234567803",
    "2026-0013;05/03/2026;05/03/2026;-2.720,12;EUR;VIREMENT EUROPEEN VERS BE86 1036 7890 1250 GARAGE ÉLODIE COMMUNICATION : +++012/3456/78939+++ DATE VALEUR : 05/03/2026;BE21001234567803",
    "2026-0014;20/03/2026;20/03/2026;45,67;EUR;ANNULATION DU PAIEMENT DU 01/03/2026 ALIEXPRESS.COM LUXEMBOURG AVEC LA CARTE DE DEBIT NUMERO 4871 04XX XXXX 1711 DATE VALEUR : 20/03/2026;BE21001234567803",
    "2026-;22/03/2026;22/03/2026;-3,50;EUR;FRAIS DE GESTION DU COMPTE;BE21001234567803",
], encoding="cp1252", newline="\r\n")
write("bnppf_csv/bnppf_v2_nl.csv", [
    "Volgnummer;Uitvoeringsdatum;Valutadatum;Bedrag;Valuta rekening;TEGENPARTIJ VAN DE VERRICHTING;Details;Rekeningnummer",
    "2025-0201;14/11/2025;13/11/2025;-19,99;EUR;ALIEXPRESS.COM;BETALING MET DEBETKAART NUMMER 4871 04XX XXXX 1711 ALIEXPRESS.COM LUXEMBOURG 13/11/2025 BANKREFERENTIE : 2511131425000001 VALUTADATUM : 13/11/2025;BE21001234567803",
    "2025-0202;15/11/2025;15/11/2025;1.250,00;EUR;WERKGEVER NV;OVERSCHRIJVING VAN BE30 0631 1111 1111 WERKGEVER NV MEDEDELING : LOON NOVEMBER – Brugge;BE21001234567803",
], encoding="cp1252")
write("bnppf_csv/bnppf_v3_fr.csv", [
    "Nº de séquence;Date d'exécution;Date valeur;Montant;Devise du compte;Numéro de compte;Type de transaction;"
    "Contrepartie;Nom de la contrepartie;Communication;Détails;Statut;Motif du refus",
    "2026-01538;28/02/2026;27/02/2026;-28.96;EUR;BE21001234567803;Paiement par carte;;ALIEXPRESS.COM;;PAIEMENT AVEC LA CARTE DE DEBIT NUMERO 4871 04XX XXXX 1711 ALIEXPRESS.COM LUXEMBOURG 27/02/2026 REFERENCE BANQUE : 2602271425068897;Accepté;",
    "2026-01539;02/03/2026;02/03/2026;-1372.26;EUR;BE21001234567803;Virement en euros;BE86 1036 7890 1250;Crédit Garage Élodie;+++300/0000/07782+++;VIREMENT EUROPEEN VERS BE86 1036 7890 1250;Accepté;",
    "2026-01540;03/03/2026;03/03/2026;-2.720,12;EUR;BE21001234567803;Virement en euros;BE24 3102 2222 2238;Notaire Dupont;acompte maison;VIREMENT EUROPEEN;Accepté;",
    "2026-01541;04/03/2026;04/03/2026;-500.00;EUR;BE21001234567803;Virement en euros;BE24 3102 2222 2238;Notaire Dupont;solde;VIREMENT EUROPEEN;Refusé;Solde insuffisant",
])
write("bnppf_csv/bnppf_v3_nl.csv", [
    "Volgnummer;Uitvoeringsdatum;Valutadatum;Bedrag;Valuta rekening;Rekeningnummer;Type verrichting;Tegenpartij;"
    "Naam van de tegenpartij;Mededeling;Details;Status;Reden van weigering",
    "2026-00101;10/01/2026;10/01/2026;-9.99;EUR;BE21001234567803;Domiciliëring;LU89 7510 0013 5104 200E;PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A.;1043785647382 PAYPAL ALIEXPRESS;EUROPESE DOMICILIERING;Geaccepteerd;",
    "2026-00102;24/01/2026;24/01/2026;9.99;EUR;BE21001234567803;Domiciliëring;LU89 7510 0013 5104 200E;PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A.;TERUGBETALING PAYPAL ALIEXPRESS;EUROPESE DOMICILIERING TERUGBETALING;Geaccepteerd;",
], bom=True)
write("bnppf_visa_csv/fintro_visa_nl.csv", [
    "Uitvoeringsdatum;Valutadatum;Bedrag;Valuta rekening;Details;Wisselkoers;Gerelateerde kost",
    "30/01/2026;31/01/2026;-39,28;EUR;;;",
    ";;;;Dorfladen Wengen CH - 00000 WENGEN;Wisselkoers##1,0501528;Gerelateerde kost##+0,00",
    "02/02/2026;03/02/2026;-21,43;EUR;;;",
    ";;;;ALIEXPRESS.COM LUXEMBOURG LU;Wisselkoers##1,0000000;Gerelateerde kost##+0,00",
], encoding="cp1252", newline="\r\n")

write("ing_be_csv/ing_nl.csv", [
    "Rekeningnummer;Naam van de rekening;Rekening tegenpartij;Omzetnummer;Boekingsdatum;Valutadatum;Bedrag;"
    "Munteenheid;Omschrijving;Detail van de omzet;Bericht",
    "BE85 3634 5678 9006;Lenaerts Bart;;00045;02/03/2026;01/03/2026;-45,67;EUR;Betaling Bancontact 01/03/26 - 14.26 uur - ALIEXPRESS.COM LUXEMBOURG - LUX Kaartnummer 1582 40XX XXXX 1548 2;Aankoop Maestro Referentie ING: COP00121350055;",
    "BE85 3634 5678 9006;Lenaerts Bart;BE60 9735 6789 0170;00046;04/03/2026;04/03/2026;120,00;EUR;Overschrijving van Zoë Dubois;Europese overschrijving;Terugbetaling lunch",
], encoding="cp1252")
write("ing_be_csv/ing_fr.csv", [
    "Numéro de compte;Nom du compte;Compte contrepartie;Numéro de mouvement;Date comptable;Date valeur;Montant;"
    "Devise;Libellés;Détails du mouvement;Message",
    "BE85 3634 5678 9006;Lenaerts Bart;LU89 7510 0013 5104 200E;00101;06/03/2026;06/03/2026;-33,10;EUR;Domiciliation européenne PAYPAL (EUROPE) S.A.R.L. ET CIE., S.C.A.;Réf. mandat 5ZQJ224;PAYPAL *ALIEXPRESS",
    "BE85 3634 5678 9006;Lenaerts Bart;;00102;07/03/2026;07/03/2026;-7,50;EUR;Paiement Bancontact 07/03/26 - 11.02 h - BOULANGERIE ÉTOILE - NAMUR - BEL Numéro de carte 1582 40XX XXXX 1548 2;;",
], bom=True)
LEGACY_HEADER = ("Valutadatum;Ref. v/d verrichting;Beschrijving;Bedrag v/d verrichting;Munt;Datum v. verrichting;"
                 "Rekening tegenpartij;Naam v/d tegenpartij :;Mededeling 1 :;Mededeling 2 :")
write("record_legacy_csv/record_nl.csv", [
    "Nr v/d rekening :;BE85 3634 5678 9006;Record Plus",
    LEGACY_HEADER,
    "30-12-2014;R4K30AG0710901U2;Betaling Bancontact;-12,34;EUR;28-12-2014;;;ALIEXPRESS.COM LUXEMBOURG;",
    "31-12-2014;R4K31AG0710902U3;Overschrijving;250,00;EUR;31-12-2014;BE24 3102 2222 2238;Frère Jacques;Cadeau;eindejaar",
], encoding="cp1252")
write("argenta_legacy_csv/argenta_legacy.csv", [
    "Nr v/d rekening :;BE60 9735 6789 0170;Wasabi +",
    LEGACY_HEADER,
    "30-12-2014;B4K30AG0710901U2;Betaling Bancontact;-12,34;EUR;28-12-2014;;;ALIEXPRESS.COM LUXEMBOURG;",
    "05-01-2015;B5A05AG0710903U4;Refund banksys;12,34;EUR;05-01-2015;;;ALIEXPRESS.COM LUXEMBOURG;",
], encoding="cp1252")
write("argenta_csv/argenta_nl.csv", [
    "Rekening;Boekdatum;Valutadatum;Referentie;Beschrijving;Bedrag;Munt;Verrichtingsdatum;Rekening tegenpartij;"
    "Naam tegenpartij;Mededeling",
    "BE60 9735 6789 0170;03-03-2026;02-03-2026;B6C03AG0A1B2C3D4;Betaling Bancontact;-45,67;EUR;02-03-2026;;ALIEXPRESS.COM LUXEMBOURG;Kaart 6703 12XX XXXX 3456",
    "BE60 9735 6789 0170;20-03-2026;20-03-2026;B6C20AG0A1B2C3D5;Refund banksys;45,67;EUR;19-03-2026;;ALIEXPRESS.COM LUXEMBOURG;",
    "BE60 9735 6789 0170;21-03-2026;21-03-2026;B6C21AG0A1B2C3D6;Inkomende overschrijving;1.500,00;EUR;21-03-2026;BE30 0631 1111 1111;Werkgever NV;+++420/0000/00108+++",
], encoding="cp1252")
write("belfius_csv/belfius_nl.csv", [
    "Boekingsdatum vanaf;01/03/2026",
    "Boekingsdatum tot en met;31/03/2026",
    "Bedrag vanaf;",
    "Bedrag tot en met;",
    "Rekeninguittrekselnummer vanaf;",
    "Rekeninguittrekselnummer tot en met;",
    "Mededeling;",
    "Naam tegenpartij bevat;",
    "Rekening tegenpartij;",
    "Laatste saldo;1.234,56 EUR",
    "Datum/uur van het laatste saldo;31/03/2026 21:30:53",
    ";",
    "Rekening;Boekingsdatum;Rekeninguittrekselnummer;Transactienummer;Rekening tegenpartij;Naam tegenpartij bevat;"
    "Straat en nummer;Postcode en plaats;Transactie;Valutadatum;Bedrag;Devies;BIC;Landcode;Mededelingen",
    "BE48 0683 4567 8927;25/03/2026;00003;B6C25BI1K00013;BE24 3102 2222 2238;Frère Jacques;Rue Haute 5;1000 Bruxelles;EUROPESE OVERSCHRIJVING NAAR BE24 3102 2222 2238 Frère Jacques;25/03/2026;-100,00;EUR;BBRUBEBB;BE;+++300/0000/07782+++",
    "BE48 0683 4567 8927;23/03/2026;00003;B6C23BI1K00012;;;;;BANCONTACT - AANKOOP - ALIEXPRESS.COM - 1000 LUXEMBOURG LU - 22/03/26 13:43 - Bancontact KAART 5169 20XX XXXX 7077 REF. : 0700000408807 VAL. 22-03;22/03/2026;-58,20;EUR;;;",
], encoding="cp1252", newline="\r\n")
write("crelan_csv/crelan_nl.csv", [
    "Datum;Bedrag;Valuta;Type verrichting;Naam tegenpartij;Rekening tegenpartij;Mededeling;Omschrijving;Rekeningnummer",
    "04/03/2026;-18,45;EUR;Betaling met kaart;ALIEXPRESS.COM;;;Betaling Maestro ALIEXPRESS.COM LUXEMBOURG;BE86 1036 7890 1250",
    "09/03/2026;18,45;EUR;Terugbetaling;ALIEXPRESS.COM;;Refund order 8143533570294569;Terugbetaling ALIEXPRESS.COM;BE86 1036 7890 1250",
], encoding="cp1252")
write("keytrade_csv/keytrade_fr.csv", [
    "Extrait;Date;Date valeur;Compte;Description;Montant;Devise",
    "2026-0007;05.03.2026;05.03.2026;LU89 7510 0013 5104 200E;DOMICILIATION PAYPAL EUROPE S.A.R.L. PAYPAL *ALIEXPRESS;-1.234,56;EUR",
    "2026-0008;06.03.2026;06.03.2026;BE30 0631 1111 1111;VIREMENT DE PÈRE NOËL;75,00;EUR",
], encoding="latin-1")


def write_argenta_xlsx() -> None:
    from datetime import date
    from decimal import Decimal

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Mouvements"
    ws.append(["Compte", "Date comptable", "Date valeur", "Référence", "Description", "Montant", "Devise",
               "Date de la transaction", "Compte de la contrepartie", "Nom de la contrepartie", "Communication"])
    ws.append(["BE60 9735 6789 0170", date(2026, 3, 3), date(2026, 3, 2), "B6C03AG0F1E2D3C4",
               "eCommerce carte de paiement", Decimal("-31.05"), "EUR", date(2026, 3, 2), None,
               "ALIEXPRESS.COM LUXEMBOURG", None])
    ws.append(["BE60 9735 6789 0170", date(2026, 3, 9), date(2026, 3, 9), "B6C09AG0F1E2D3C5",
               "Virement entrant", Decimal("1250.5"), "EUR", date(2026, 3, 9), "BE30 0631 1111 1111",
               "Employeur SA", "salaire mars"])
    path = HERE / "argenta_xlsx" / "argenta_fr.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.created = wb.properties.modified = __import__("datetime").datetime(2026, 3, 10)
    wb.save(path)


write_argenta_xlsx()
