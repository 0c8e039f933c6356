"""Topic vocabulary per queue (English, German): the words people use for a queue's subject
matter, beyond those in the phrase banks. The generator drops a few into subjects and short
sentences so that the model sees each queue's wider vocabulary, not only the phrase banks'
sentences; without this, a ticket about "chargeback" or "Gehaltsnachweis" written by someone
else would share no word with the training data.
"""

KEYWORDS = {
    "Technical Support": {
        "en": ["bug", "crash", "error message", "stack trace", "timeout", "sync error", "login error", "API error",
               "integration", "webhook", "plugin", "update broke", "exception", "freeze", "500 error", "data loss",
               "not loading", "broken feature", "glitch", "malfunction", "compatibility bug", "performance issue"],
        "de": ["Fehler", "Absturz", "Fehlermeldung", "Timeout", "Synchronisationsfehler", "Anmeldefehler",
               "Schnittstellenfehler", "Plugin", "Update", "Programmfehler", "hängt", "lädt nicht", "Datenverlust",
               "funktioniert nicht", "Störung der Software", "Bug", "Ausnahmefehler", "stürzt ab"],
    },
    "Product Support": {
        "en": ["how to", "setup", "configuration", "settings", "feature", "user guide", "manual", "tutorial",
               "compatibility", "firmware", "instructions", "best practice", "feature request", "options", "usage",
               "onboarding guide", "documentation", "specifications", "accessories"],
        "de": ["Anleitung", "Einrichtung", "Konfiguration", "Einstellungen", "Funktion", "Handbuch", "Bedienung",
               "Kompatibilität", "Firmware", "Funktionswunsch", "Dokumentation", "Zubehör", "technische Daten",
               "wie funktioniert", "Benutzerhandbuch"],
    },
    "Customer Service": {
        "en": ["complaint", "delivery", "shipping", "parcel", "tracking", "address change", "customer account",
               "cancellation", "feedback", "disappointed", "unfriendly", "late delivery", "lost package", "voucher",
               "loyalty card", "newsletter", "personal data", "account closure", "appointment"],
        "de": ["Beschwerde", "Lieferung", "Versand", "Paket", "Sendungsverfolgung", "Adressänderung", "Kundenkonto",
               "Stornierung", "Rückmeldung", "enttäuscht", "unfreundlich", "Lieferverzug", "Paket verloren", "Gutschein",
               "Kundenkarte", "Newsletter", "Termin", "Kündigung des Kontos"],
    },
    "IT Support": {
        "en": ["password", "account locked", "VPN", "laptop", "printer", "Outlook", "Teams", "admin rights",
               "software install", "MFA", "network drive", "access rights", "new employee setup", "workstation",
               "monitor", "docking station", "phishing", "Active Directory", "headset", "mailbox", "helpdesk"],
        "de": ["Passwort", "Konto gesperrt", "VPN", "Laptop", "Drucker", "Outlook", "Teams", "Adminrechte",
               "Softwareinstallation", "MFA", "Netzlaufwerk", "Berechtigungen", "neuer Mitarbeiter", "Arbeitsplatz",
               "Monitor", "Dockingstation", "Phishing", "Benutzerkonto", "Headset", "Postfach", "IT-Abteilung"],
    },
    "Billing and Payments": {
        "en": ["invoice", "bill", "payment", "charge", "refund", "credit card", "direct debit", "VAT", "receipt",
               "billing", "overcharged", "chargeback", "late fee", "payment reminder", "price increase", "credit note",
               "bank transfer", "subscription fee", "pro rata", "tax invoice"],
        "de": ["Rechnung", "Zahlung", "Abbuchung", "Erstattung", "Kreditkarte", "Lastschrift", "Mehrwertsteuer",
               "Quittung", "Abrechnung", "zu viel berechnet", "Mahnung", "Mahngebühr", "Preiserhöhung", "Gutschrift",
               "Überweisung", "Abogebühr", "Zahlungserinnerung", "Kontoauszug", "Beitrag"],
    },
    "Returns and Exchanges": {
        "en": ["return", "exchange", "replacement", "damaged", "defective", "wrong size", "wrong item", "return label",
               "RMA", "send back", "warranty claim", "broken on arrival", "refund after return", "return window",
               "faulty product"],
        "de": ["Rücksendung", "Umtausch", "Ersatz", "beschädigt", "defekt", "falsche Größe", "falscher Artikel",
               "Retourenschein", "Retoure", "zurückschicken", "Reklamation", "Garantiefall", "Rückgabe",
               "Rückgabefrist", "Mangel"],
    },
    "Service Outages and Maintenance": {
        "en": ["outage", "downtime", "service down", "unavailable", "maintenance", "maintenance window", "status page",
               "degraded", "incident", "all users affected", "not reachable", "server down", "planned downtime",
               "disruption", "data centre", "network outage"],
        "de": ["Ausfall", "Störung", "Dienst nicht erreichbar", "nicht verfügbar", "Wartung", "Wartungsfenster",
               "Statusseite", "Totalausfall", "alle Nutzer betroffen", "Server down", "geplante Abschaltung",
               "Unterbrechung", "Rechenzentrum", "Netzausfall", "Wartungsarbeiten"],
    },
    "Sales and Pre-Sales": {
        "en": ["quote", "pricing", "offer", "demo", "trial", "licence", "enterprise", "volume discount", "purchase",
               "reseller", "partnership", "proposal", "upgrade plan", "buy", "procurement", "tender", "sales rep",
               "price list"],
        "de": ["Angebot", "Preise", "Preisliste", "Demo", "Testphase", "Lizenz", "Enterprise", "Mengenrabatt", "Kauf",
               "Händler", "Partnerschaft", "Kostenvoranschlag", "Upgrade", "kaufen", "Einkauf", "Ausschreibung",
               "Vertrieb", "Konditionen"],
    },
    "Human Resources": {
        "en": ["vacation", "holiday request", "payslip", "salary", "sick leave", "application", "job", "contract",
               "employment certificate", "parental leave", "benefits", "pension", "overtime", "working hours",
               "training", "resignation", "onboarding", "HR", "recruiting", "performance review"],
        "de": ["Urlaub", "Urlaubsantrag", "Gehaltsabrechnung", "Gehalt", "Krankmeldung", "Bewerbung", "Stelle",
               "Arbeitsvertrag", "Arbeitszeugnis", "Elternzeit", "Betriebsrente", "Überstunden", "Arbeitszeit",
               "Weiterbildung", "Kündigung", "Personalabteilung", "Lohn", "Gehaltsnachweis", "Mitarbeitergespräch"],
    },
    "General Inquiry": {
        "en": ["question", "information", "opening hours", "contact", "address", "brochure", "general", "inquiry",
               "press", "privacy", "company info", "who to contact", "visit", "careers page", "sponsoring"],
        "de": ["Frage", "Information", "Öffnungszeiten", "Kontakt", "Anschrift", "Broschüre", "allgemein", "Anfrage",
               "Presse", "Datenschutz", "Unternehmen", "Ansprechpartner", "Besuch", "Karriere", "Sponsoring"],
    },
}

# Short frames a keyword is dropped into.
FRAMES = {
    "en": ["Regarding {kw}.", "It's about {kw}.", "Topic: {kw}", "Question about {kw} and {kw2}.", "Re {kw}",
           "I have an issue with the {kw}.", "Concerning {kw} / {kw2}.", "{kw}?", "This is about {kw}, see below."],
    "de": ["Betrifft: {kw}", "Es geht um {kw}.", "Thema: {kw}", "Frage zu {kw} und {kw2}.", "Bzgl. {kw}",
           "Ich habe ein Anliegen wegen {kw}.", "{kw} / {kw2}", "{kw}?", "Es geht um {kw}, siehe unten."],
}
