"""Writes the PayPal CSVs in Spanish, German, Italian, Polish and Portuguese (anonymised, small), with
the column names PayPal's sites use in those languages: python make_languages.py"""
import csv
import io
from pathlib import Path

HERE = Path(__file__).parent


def write(name, header, rows, bom=True, delimiter=","):
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n", delimiter=delimiter)
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))


ES_STATEMENT = ["Fecha", "Hora", "Zona horaria", "Descripción", "Divisa", "Bruto ", "Comisión ", "Neto", "Saldo",
                "Id. de transacción", "Correo electrónico del remitente", "Nombre", "Nombre del banco",
                "Cuenta bancaria", "Importe de envío y manipulación", "Impuesto", "Id. de factura",
                "Id. de transacción de referencia"]
write("statement_es.csv", ES_STATEMENT, [
    ["03/08/2025", "10:00:00", "CEST", "Pago con Pago exprés", "EUR", "-25,99", "0,00", "-25,99", "-25,99",
     "5AB23456CD7890123", "", "AliExpress", "", "", "", "", "", ""],
    ["03/08/2025", "10:00:00", "CEST", "Ingreso bancario en la cuenta PayPal", "EUR", "25,99", "0,00", "25,99",
     "0,00", "6BC34567DE8901234", "", "", "CaixaBank", "", "", "", "", "5AB23456CD7890123"],
    ["20/08/2025", "09:00:00", "CEST", "Reembolso de pago", "EUR", "25,99", "0,00", "25,99", "25,99",
     "7CD45678EF9012345", "", "AliExpress", "", "", "", "", "", "5AB23456CD7890123"],
    ["21/08/2025", "09:00:00", "CEST", "Pago con Pago exprés", "EUR", "abc", "0,00", "", "25,99",
     "8DE56789FG0123456", "", "Tienda", "", "", "", "", "", ""],
])

DE_ACTIVITY = ["Datum", "Uhrzeit", "Zeitzone", "Name", "Typ", "Status", "Währung", "Brutto", "Gebühr", "Netto",
               "Absender E-Mail-Adresse", "Empfänger E-Mail-Adresse", "Transaktionscode", "Artikelbezeichnung",
               "Zugehöriger Transaktionscode", "Guthaben", "Auswirkung auf Guthaben"]
write("activity_de.csv", DE_ACTIVITY, [
    ["28.05.2025", "12:00:00", "MESZ", "AliExpress", "Express-Zahlung", "Abgeschlossen", "EUR", "-1.382,11", "0,00",
     "-1.382,11", "kaeufer@example.invalid", "", "1DE23456CD7890123", "Akku", "", "-1.382,11", "Soll"],
    ["28.05.2025", "12:00:00", "MESZ", "", "Bankgutschrift auf PayPal-Konto", "Abgeschlossen", "EUR", "1.382,11",
     "0,00", "1.382,11", "", "", "2DE34567DE8901234", "", "1DE23456CD7890123", "0,00", "Haben"],
    ["29.05.2025", "08:00:00", "MESZ", "Shop", "Allgemeine Autorisierung", "Ausstehend", "EUR", "-5,00", "0,00",
     "-5,00", "", "", "3DE45678EF9012345", "", "", "0,00", "Memo"],
])

IT_ACTIVITY = ["Data", "Orario", "Fuso orario", "Nome", "Tipo", "Stato", "Valuta", "Lordo", "Tariffa", "Netto",
               "Indirizzo email mittente", "Indirizzo email destinatario", "Codice transazione", "Titolo oggetto",
               "Codice transazione di riferimento", "Saldo", "Impatto sul saldo"]
write("activity_it.csv", IT_ACTIVITY, [
    ["03/08/2025", "10:00:00", "CEST", "AliExpress", "Pagamento Express Checkout", "Completata", "EUR", "-12,50",
     "0,00", "-12,50", "", "", "1IT23456CD7890123", "Cavo", "", "-12,50", "Addebito"],
    ["14/08/2025", "10:00:00", "CEST", "AliExpress", "Rimborso di pagamento", "Completata", "EUR", "12,50", "0,00",
     "12,50", "", "", "2IT34567DE8901234", "", "1IT23456CD7890123", "0,00", "Accredito"],
])

PL_ACTIVITY = ["Data", "Czas", "Strefa czasowa", "Imię i nazwisko", "Typ", "Status", "Waluta", "Brutto", "Opłata",
               "Netto", "Z adresu e-mail", "Na adres e-mail", "Numer transakcji", "Nazwa przedmiotu",
               "Numer transakcji referencyjnej", "Saldo", "Wpływ na saldo"]
write("activity_pl.csv", PL_ACTIVITY, [
    ["03.08.2025", "10:00:00", "CEST", "AliExpress", "Płatność w ramach Express Checkout", "Zakończono", "PLN",
     "-129,46", "0,00", "-129,46", "", "", "1PL23456CD7890123", "Etui", "", "-129,46", "Obciążenie"],
    ["03.08.2025", "10:00:00", "CEST", "", "Przewalutowanie ogólne", "Zakończono", "PLN", "129,46", "0,00",
     "129,46", "", "", "2PL34567DE8901234", "", "1PL23456CD7890123", "0,00", "Uznanie"],
])

PT_STATEMENT = ["Data", "Hora", "Fuso horário", "Descrição", "Moeda", "Bruto", "Tarifa", "Líquido", "Saldo",
                "Código da transação", "Nome", "Código da transação de referência"]
write("statement_pt.csv", PT_STATEMENT, [
    ["03/08/2025", "10:00:00", "WEST", "Pagamento do Checkout Expresso", "EUR", "-3,00", "0,00", "-3,00", "7,00",
     "1PT23456CD7890123", "AliExpress", ""],
])
