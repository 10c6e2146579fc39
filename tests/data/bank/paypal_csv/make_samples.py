"""Writes the PayPal golden CSVs (anonymised, small): python make_samples.py"""
import csv
import io
from pathlib import Path

HERE = Path(__file__).parent
EN_HEADER = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net",
             "From Email Address", "To Email Address", "Transaction ID", "Shipping Address", "Address Status",
             "Item Title", "Item ID", "Shipping and Handling Amount", "Insurance Amount", "Sales Tax",
             "Option 1 Name", "Option 1 Value", "Option 2 Name", "Option 2 Value", "Reference Txn ID",
             "Invoice Number", "Custom Number", "Quantity", "Receipt ID", "Balance", "Address Line 1",
             "Address Line 2/District/Neighborhood", "Town/City", "State/Province/Region/County/Territory/Prefecture/Republic",
             "Zip/Postal Code", "Country", "Contact Phone Number", "Subject", "Note", "Country Code", "Balance Impact"]


def write(name, header, rows, bom=True):
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))


def en(d, t, name, typ, status, ccy, gross, net, txid, ref, bal, impact, item=""):
    return {"Date": d, "Time": t, "TimeZone": "CET", "Name": name, "Type": typ, "Status": status, "Currency": ccy,
            "Gross": gross, "Fee": "0.00", "Net": net, "Transaction ID": txid, "Reference Txn ID": ref,
            "Balance": bal, "Balance Impact": impact, "Item Title": item,
            "From Email Address": "buyer@example.invalid"}


activity = [
    en("06/01/2026", "10:15:22", "AliExpress", "Express Checkout Payment", "Completed", "EUR", "-25.99", "-25.99",
       "1AB23456CD7890123", "", "-25.99", "Debit", "Phone case"),
    en("06/01/2026", "10:15:22", "", "Bank Deposit to PP Account ", "Completed", "EUR", "25.99", "25.99",
       "2BC34567DE8901234", "1AB23456CD7890123", "0.00", "Credit"),
    en("13/01/2026", "08:01:00", "AliExpress", "Payment Refund", "Completed", "EUR", "25.99", "25.99",
       "3CD45678EF9012345", "1AB23456CD7890123", "25.99", "Credit"),
    en("14/01/2026", "19:30:00", "Example Shop", "General Authorization", "Pending", "EUR", "-10.00", "-10.00",
       "4DE56789FG0123456", "", "25.99", "Memo"),
    en("20/01/2026", "21:05:10", "AliExpress", "Express Checkout Payment", "Completed", "USD", "-28.26", "-28.26",
       "5EF67890GH1234567", "", "-28.26", "Debit", "USB cable"),
    en("20/01/2026", "21:05:10", "", "General Currency Conversion", "Completed", "USD", "28.26", "28.26",
       "6FG78901HI2345678", "5EF67890GH1234567", "0.00", "Credit"),
    en("20/01/2026", "21:05:10", "", "General Currency Conversion", "Completed", "EUR", "-25.99", "-25.99",
       "7GH89012IJ3456789", "5EF67890GH1234567", "0.00", "Debit"),
]
write("activity_en.csv", EN_HEADER, activity)
broken = [dict(r) for r in activity]
broken[2]["Balance"] = "26.09"
broken[3]["Balance"] = "26.09"
broken[6]["Balance"] = "0.10"
write("broken_balance.csv", EN_HEADER, broken)

FR_HEADER = ["Date", "Heure", "Fuseau horaire", "Nom", "Type", "État", "Devise", "Avant commission", "Commission",
             "Net", "De l'adresse email", "Numéro de transaction", "Titre de l'objet",
             "Numéro de la transaction de référence", "Solde", "Balance Impact"]
write("activity_fr.csv", FR_HEADER, [
    {"Date": "15/02/2026", "Heure": "12:00:00", "Fuseau horaire": "CET", "Nom": "AliExpress",
     "Type": "Paiement Express Checkout", "État": "Terminé", "Devise": "EUR", "Avant commission": "-1.049,00",
     "Commission": "0,00", "Net": "-1.049,00", "Numéro de transaction": "8HI90123JK4567890",
     "Titre de l'objet": "Tablette", "Solde": "-1.049,00", "Balance Impact": "Débit"},
    {"Date": "15/02/2026", "Heure": "12:00:00", "Fuseau horaire": "CET", "Nom": "",
     "Type": "Virement bancaire sur le compte PayPal", "État": "Terminé", "Devise": "EUR",
     "Avant commission": "1.049,00", "Commission": "0,00", "Net": "1.049,00",
     "Numéro de transaction": "9IJ01234KL5678901", "Numéro de la transaction de référence": "8HI90123JK4567890",
     "Solde": "0,00", "Balance Impact": "Crédit"},
])
NL_HEADER = ["Datum", "Tijd", "Tijdzone", "Naam", "Type", "Status", "Valuta", "Bruto", "Kosten", "Netto", "Saldo",
             "Ref", "Transactie-ID"]
write("activity_nl.csv", NL_HEADER, [
    {"Datum": "21-03-2026", "Tijd": "09:10:11", "Tijdzone": "CET", "Naam": "AliExpress", "Type": "Algemene betaling",
     "Status": "Voltooid", "Valuta": "EUR", "Bruto": "-23,00", "Kosten": "0,00", "Netto": "-23,00", "Saldo": "-23,00",
     "Ref": "", "Transactie-ID": "0JK12345LM6789012"},
    {"Datum": "21-03-2026", "Tijd": "09:10:11", "Tijdzone": "CET", "Naam": "", "Type": "Bankstorting op PayPal-rekening",
     "Status": "Voltooid", "Valuta": "EUR", "Bruto": "23,00", "Kosten": "0,00", "Netto": "23,00", "Saldo": "0,00",
     "Ref": "0JK12345LM6789012", "Transactie-ID": "1KL23456MN7890123"},
])
ST_HEADER = ["Date", "Time", "Time Zone", "Description", "Currency", "Gross ", "Fee ", "Net", "Balance",
             "Transaction ID", "From Email Address", "Name", "Bank Name", "Bank Account",
             "Shipping and Handling Amount", "Sales Tax", "Invoice ID", "Reference Txn ID"]


def st(d, desc, gross, bal, txid, ref, name, bank=""):
    return {"Date": d, "Time": "10:00:00", "Time Zone": "PST", "Description": desc, "Currency": "EUR",
            "Gross ": gross, "Fee ": "0.00", "Net": gross, "Balance": bal, "Transaction ID": txid,
            "Name": name, "Bank Name": bank, "Reference Txn ID": ref}


write("statement_en.csv", ST_HEADER, [  # newest first, as the statement lists them
    st("04/18/2026", "Payment Refund", "1,234.56", "1,234.56", "4NO56789PQ0123456", "2LM34567NO8901234", "AliExpress"),
    st("04/14/2026", "Bank Deposit to PP Account ", "1,234.56", "0.00", "3MN45678OP9012345", "2LM34567NO8901234", "",
       "KBC Bank"),
    st("04/14/2026", "Express Checkout Payment", "-1,234.56", "-1,234.56", "2LM34567NO8901234", "", "AliExpress"),
])
