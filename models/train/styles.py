"""Shapes of real helpdesk mail beyond the problem sentence, for generate.py.

Written from how support inboxes look, not from any evaluation ticket:

- priority carried by impact, scope and deadline ("the whole office can't work", "payroll runs
  tomorrow"), not only by urgency words; tone drawn independently of priority, so angry-but-minor
  and calm-but-urgent tickets are common and "URGENT!!!" alone proves little;
- quoted threads (Gmail `On … wrote:` with `>` lines, Outlook `From:/Sent:` blocks, German
  `Am … schrieb` / `Von:/Gesendet:`), forwarded mail whose forwarded part holds the request;
- signatures with legal disclaimers, register entries, invoice addresses and social links
  (vocabulary of every queue that says nothing about the ticket);
- stack traces and log excerpts whose class names mention payments, orders or invoices;
- e-mail HTML (Outlook's MsoNormal, Gmail's `dir="ltr"` divs, tables, entities);
- very short tickets and question-only tickets.

Lists used for the held-out splits (see generate.choose) are plain lists so that every fifth
entry can be kept out of training.
"""

IMPACT = {
    "en": {
        "urgent": [
            "Since {time} nobody in the office can work.", "None of our {count} employees can log in since {time}.",
            "All our customers get an error page at checkout, we are not taking any orders.",
            "Our warehouse has not been able to print shipping labels since {time}; nothing leaves the building.",
            "Payroll has to run tomorrow morning and the export fails.", "Every order since {time} has failed.",
            "The shop has been offline for [an hour|two hours|45 minutes] now.",
            "We see logins to our account from {country} that none of us made.",
            "It looks like customer data was sent to the wrong recipients.",
            "Our [tax filing|VAT return|annual report] is due today and we cannot get the documents out.",
            "The stores open in an hour and none of the tills work.", "All {count} branches are affected.",
            "Our call centre cannot access any customer records, the queue is growing.",
            "The trade fair starts tomorrow at 9 and the whole stand depends on this.",
            "Patients cannot book appointments at all since {time}.",
            "The whole [team|department|company] is idle.", "Production has stopped at both sites.",
            "Our bank has given us until 4 pm today, otherwise the payment is returned.",
        ],
        "high": [
            "I cannot do any of my work until this is fixed.", "Our accounting team is stuck and there is no workaround.",
            "I need this before the [board meeting|customer presentation|audit] on {weekday}.",
            "The customer presentation is tomorrow at 9.", "Month-end closing is on {weekday}.",
            "I was charged {amount} twice and my account is now overdrawn.",
            "My start date is next Monday and I still have no contract.", "I'm travelling tomorrow and need this before then.",
            "Three people in my team cannot work on this today.", "The deadline for the tender is the day after tomorrow.",
            "Our biggest customer is waiting for this.", "I have tried everything I can think of, there is no way around it.",
            "I need the corrected document by tomorrow for my tax advisor.", "We go live on {weekday}.",
            "The [parcel|order|shipment] was needed for an event this weekend.",
        ],
        "medium": [
            "There is a workaround for now, but it's tedious.", "It happens a few times a day; restarting helps for a while.",
            "We can live with it for a few days.", "It would be good to sort this out this week.",
            "Only one user is affected and she can use the web version meanwhile.", "It slows us down a bit.",
            "Nothing critical, but it needs fixing at some point this week.", "We'd like to have this settled before the end of the month.",
            "I can work around it by [doing it by hand|using my phone|asking a colleague].",
            "It's not blocking anyone, but it keeps coming back.", "Please deal with it in the normal order.",
        ],
        "low": [
            "Nothing is blocked, I just wanted to mention it.", "It's purely cosmetic.", "Just a question for later.",
            "We are planning for next quarter.", "There is no deadline on our side.", "It's only a typo.",
            "Just for our records.", "Whenever it suits you.", "Out of interest.", "Not important, just curious.",
            "We are only collecting information at this stage.", "Maybe something for a future update.",
        ],
    },
    "de": {
        "urgent": [
            "Seit {time} kann im ganzen Büro niemand arbeiten.", "Keiner unserer {count} Mitarbeiter kann sich seit {time} anmelden.",
            "Alle Kunden bekommen an der Kasse eine Fehlerseite, wir nehmen keine Bestellungen mehr an.",
            "Im Lager können seit {time} keine Versandetiketten gedruckt werden, es geht nichts raus.",
            "Die Gehaltsabrechnung muss morgen früh laufen und der Export schlägt fehl.",
            "Seit {time} ist jede Bestellung fehlgeschlagen.", "Der Shop ist seit [einer Stunde|zwei Stunden|45 Minuten] offline.",
            "Wir sehen Anmeldungen aus {country}, die keiner von uns gemacht hat.",
            "Offenbar wurden Kundendaten an falsche Empfänger verschickt.",
            "Die [Steuererklärung|Umsatzsteuervoranmeldung|Bilanz] ist heute fällig und wir kommen nicht an die Unterlagen.",
            "In einer Stunde öffnen die Filialen und keine Kasse funktioniert.", "Alle {count} Filialen sind betroffen.",
            "Das Callcenter kommt an keine Kundendaten, die Warteschlange wird immer länger.",
            "Morgen um 9 beginnt die Messe und der ganze Stand hängt daran.",
            "Seit {time} können Patienten überhaupt keine Termine buchen.",
            "Das ganze [Team|Abteilung|Unternehmen] steht still.", "An beiden Standorten steht die Produktion.",
            "Die Bank gibt uns bis heute 16 Uhr, sonst geht die Zahlung zurück.",
        ],
        "high": [
            "Ich kann nicht weiterarbeiten, bis das behoben ist.", "Unsere Buchhaltung kommt nicht weiter und es gibt keinen Workaround.",
            "Ich brauche das vor der [Vorstandssitzung|Kundenpräsentation|Prüfung] am {weekday}.",
            "Die Präsentation beim Kunden ist morgen um 9.", "Der Monatsabschluss ist am {weekday}.",
            "Mir wurden {amount} doppelt abgebucht und mein Konto ist jetzt im Minus.",
            "Ich fange nächsten Montag an und habe immer noch keinen Vertrag.", "Ich reise morgen ab und brauche das vorher.",
            "Drei Leute in meinem Team können heute nicht daran arbeiten.", "Die Abgabefrist für die Ausschreibung ist übermorgen.",
            "Unser größter Kunde wartet darauf.", "Ich habe alles probiert, es gibt keinen anderen Weg.",
            "Ich brauche das korrigierte Dokument bis morgen für meinen Steuerberater.", "Wir gehen am {weekday} live.",
            "Die [Lieferung|Bestellung|Sendung] wurde für eine Veranstaltung am Wochenende gebraucht.",
        ],
        "medium": [
            "Im Moment gibt es einen Workaround, aber der ist mühsam.", "Passiert ein paar Mal am Tag, ein Neustart hilft eine Weile.",
            "Ein paar Tage können wir damit leben.", "Es wäre gut, das diese Woche zu klären.",
            "Nur eine Kollegin ist betroffen, sie nutzt solange die Web-Version.", "Es bremst uns etwas aus.",
            "Nichts Kritisches, sollte aber diese Woche erledigt werden.", "Wir würden das gern bis Monatsende klären.",
            "Ich kann es umgehen, indem ich [es von Hand mache|das Handy nehme|eine Kollegin frage].",
            "Es blockiert niemanden, kommt aber immer wieder.", "Bitte ganz normal der Reihe nach bearbeiten.",
        ],
        "low": [
            "Es blockiert nichts, ich wollte es nur erwähnen.", "Ist rein optisch.", "Nur eine Frage für später.",
            "Wir planen fürs nächste Quartal.", "Bei uns gibt es keine Frist.", "Ist nur ein Tippfehler.",
            "Nur für unsere Unterlagen.", "Wann immer es passt.", "Reine Neugier.", "Nicht wichtig, nur interessehalber.",
            "Wir sammeln erst einmal Informationen.", "Vielleicht etwas für ein zukünftiges Update.",
        ],
    },
}

# Tone is independent of priority: an angry customer with a cosmetic issue, a calm one whose
# whole company is down.
ANGRY = {
    "en": ["This is unacceptable!", "I am absolutely furious.", "This is the third time I'm writing, does anyone read these?",
           "Your service is a joke.", "I expect an answer TODAY.", "Worst support I have ever dealt with.",
           "I'm fed up with this.", "Honestly, what is going on over there??", "FIX THIS.", "I am really annoyed.",
           "How hard can it be?!", "I will cancel if this isn't resolved.", "Ridiculous!!!"],
    "de": ["Das ist eine Frechheit!", "Ich bin stinksauer.", "Das ist jetzt meine dritte Mail, liest das überhaupt jemand?",
           "Ihr Service ist ein Witz.", "Ich erwarte HEUTE eine Antwort.", "Schlechtester Support, den ich je hatte.",
           "Ich habe die Nase voll.", "Was ist bei Ihnen eigentlich los??", "UNZUMUTBAR.", "Ich bin wirklich verärgert.",
           "Wie schwer kann das sein?!", "Wenn das nicht gelöst wird, kündige ich.", "Lächerlich!!!"],
}
CALM = {
    "en": ["I wanted to let you know about the following.", "Sorry to trouble you.", "Thank you in advance for your help.",
           "I hope you are well.", "A short note from our side.", "I'd be grateful if you could take a look."],
    "de": ["Ich wollte Ihnen Folgendes mitteilen.", "Entschuldigen Sie die Störung.", "Vielen Dank vorab für Ihre Hilfe.",
           "Ich hoffe, es geht Ihnen gut.", "Eine kurze Info von unserer Seite.", "Ich wäre dankbar, wenn Sie sich das ansehen."],
}
# Urgency words: what people write, loosely tied to the real priority (people overuse them).
URGENCY_WORDS = {
    "en": ["URGENT!", "This is urgent.", "ASAP please.", "Please prioritise this.", "Critical!", "Please hurry.",
           "Important!", "Need help quickly."],
    "de": ["DRINGEND!", "Das ist dringend.", "Bitte schnellstmöglich.", "Bitte priorisieren.", "Kritisch!", "Bitte beeilen.",
           "Wichtig!", "Brauche schnell Hilfe."],
}
URGENCY_WORD_RATE = {"low": 0.04, "medium": 0.1, "high": 0.25, "urgent": 0.35}

QUESTION_LEADS = {
    "en": ["Quick question, nothing is broken: ", "Just a question: ", "I was wondering: ", "General question: "],
    "de": ["Kurze Frage, nichts ist kaputt: ", "Nur eine Frage: ", "Ich frage mich: ", "Allgemeine Frage: "],
}
SIDE_TOPIC_BEFORE = {
    "en": ["Thanks for sorting out the {kw} last week. Today something else: ", "The {kw} issue from last month is fine now. New problem: ",
           "Before you ask: the {kw} is not the problem this time. "],
    "de": ["Danke, dass Sie letzte Woche das mit {kw} geklärt haben. Heute etwas anderes: ",
           "Das Thema {kw} vom letzten Monat passt jetzt. Neues Problem: ", "Vorweg: {kw} ist diesmal nicht das Problem. "],
}

SHORT_BODIES = {
    "en": ["{kw}?", "{kw} - see subject", "re {kw}", "{kw}. pls help", "question about {kw}", "{kw}!!", "see subject",
           "{kw}, call me", "{kw} again"],
    "de": ["{kw}?", "{kw} - siehe Betreff", "wg. {kw}", "{kw}. bitte um hilfe", "Frage zu {kw}", "{kw}!!", "siehe Betreff",
           "{kw}, bitte Rückruf", "schon wieder {kw}"],
}

FORWARD_NOTES = {
    "en": ["FYI, see below.", "Forwarding this from our customer, can you take care of it?", "See the mail below, who handles this?",
           "Got this from a colleague, please help.", "Please see below.", "Can someone look at the message below?", ""],
    "de": ["Zur Info, siehe unten.", "Leite ich von unserem Kunden weiter, können Sie sich darum kümmern?",
           "Siehe Mail unten, wer ist dafür zuständig?", "Von einer Kollegin bekommen, bitte um Hilfe.", "Bitte siehe unten.",
           "Kann sich jemand die Nachricht unten ansehen?", ""],
}
FORWARD_HEADERS = {
    "en": ["---------- Forwarded message ---------\nFrom: {name} <{email}>\nDate: {weekday}, {month} {day}, 2025 at {time}\nSubject: {subject}\nTo: <{email2}>",
           "Begin forwarded message:\n\nFrom: {name} <{email}>\nSubject: {subject}\nDate: {day} {month} 2025 at {time}\nTo: {email2}",
           "-----Original Message-----\nFrom: {name} [mailto:{email}]\nSent: {weekday}, {month} {day}, 2025 {time}\nTo: {email2}\nSubject: FW: {subject}"],
    "de": ["---------- Weitergeleitete Nachricht ---------\nVon: {name} <{email}>\nDatum: {weekday}, {day}. {month} 2025 um {time}\nBetreff: {subject}\nAn: <{email2}>",
           "Anfang der weitergeleiteten Nachricht:\n\nVon: {name} <{email}>\nBetreff: {subject}\nDatum: {day}. {month} 2025 um {time}\nAn: {email2}",
           "-----Ursprüngliche Nachricht-----\nVon: {name} [mailto:{email}]\nGesendet: {weekday}, {day}. {month} 2025 {time}\nAn: {email2}\nBetreff: WG: {subject}"],
}
REPLY_HEADERS = {
    "en": ["On {weekday}, {month} {day}, 2025 at {time} {name} <{email}> wrote:", "On {day}/{mon}/2025 {time}, {name} wrote:",
           "From: {name} <{email}>\nSent: {weekday}, {month} {day}, 2025 {time}\nTo: {email2}\nSubject: RE: {subject}",
           "-----Original Message-----\nFrom: {name}\nSent: {weekday} {time}\nSubject: {subject}"],
    "de": ["Am {weekday}, {day}. {month} 2025 um {time} schrieb {name} <{email}>:", "Am {day}.{mon}.2025 um {time} schrieb {name}:",
           "Von: {name} <{email}>\nGesendet: {weekday}, {day}. {month} 2025 {time}\nAn: {email2}\nBetreff: AW: {subject}",
           "-----Ursprüngliche Nachricht-----\nVon: {name}\nGesendet: {weekday} {time}\nBetreff: {subject}"],
}
AGENT_REPLIES = {
    "en": ["Thank you for contacting us. We have received your request and will get back to you as soon as possible.",
           "Your ticket has been created. Please do not reply to this automatic message.",
           "Could you please send us more details, for example a screenshot or the exact time it happened?",
           "We are sorry for the inconvenience. Our team is looking into it.",
           "Thanks for your patience. Could you confirm whether the problem still occurs?",
           "We have forwarded your request to the responsible department.",
           "Your case number is {n}. Please keep it for further questions.",
           "We consider this resolved. If you have further questions, just reply to this e-mail."],
    "de": ["Vielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und melden uns schnellstmöglich.",
           "Ihr Ticket wurde angelegt. Bitte antworten Sie nicht auf diese automatische Nachricht.",
           "Könnten Sie uns bitte weitere Details schicken, zum Beispiel einen Screenshot oder die genaue Uhrzeit?",
           "Wir bitten die Unannehmlichkeiten zu entschuldigen. Unser Team prüft den Fall.",
           "Danke für Ihre Geduld. Können Sie bestätigen, ob das Problem noch besteht?",
           "Wir haben Ihre Anfrage an die zuständige Abteilung weitergeleitet.",
           "Ihre Vorgangsnummer lautet {n}. Bitte geben Sie diese bei Rückfragen an.",
           "Wir betrachten den Fall als gelöst. Bei weiteren Fragen antworten Sie einfach auf diese E-Mail."],
}

DISCLAIMERS = {
    "en": [
        "CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and may be privileged. If you are not the intended recipient, please notify the sender immediately and delete this message. Any unauthorised use, disclosure or copying is prohibited.",
        "This message has been scanned for viruses. {company} accepts no liability for any damage caused by this e-mail.",
        "{company} | Registered in England and Wales No. {n} | Registered office: 1 High Street, {city}",
        "Please consider the environment before printing this e-mail.",
        "Invoices to: invoices@{domain} | Orders: orders@{domain} | Support: help@{domain}",
        "Follow us on LinkedIn | Privacy policy: https://www.{domain}/privacy | Unsubscribe",
        "The information contained in this communication is intended solely for the addressee. Access by anyone else is unauthorised. Opinions expressed are those of the sender and not of {company}.",
        "{company} is an equal opportunity employer. We are hiring: https://www.{domain}/careers",
        "Our terms and conditions of sale and delivery apply to all orders and payments: https://www.{domain}/terms",
        "Out of office on Fridays. For urgent matters please call the hotline {phone}.",
    ],
    "de": [
        "Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie nicht der richtige Adressat sind oder diese E-Mail irrtümlich erhalten haben, informieren Sie bitte sofort den Absender und vernichten Sie diese Mail. Das unerlaubte Kopieren sowie die unbefugte Weitergabe dieser Mail ist nicht gestattet.",
        "{company}\nSitz der Gesellschaft: {city} | Registergericht: Amtsgericht {city}, HRB {n}\nGeschäftsführer: {name}\nUSt-IdNr.: DE{n}",
        "Bitte denken Sie an die Umwelt, bevor Sie diese E-Mail ausdrucken.",
        "Rechnungen bitte an rechnung@{domain} | Bestellungen: bestellung@{domain} | Support: hilfe@{domain}",
        "Informationen zum Datenschutz: https://www.{domain}/datenschutz | Impressum: https://www.{domain}/impressum",
        "Es gelten unsere Allgemeinen Geschäfts-, Liefer- und Zahlungsbedingungen: https://www.{domain}/agb",
        "Wir suchen Verstärkung! Offene Stellen unter https://www.{domain}/karriere",
        "Freitags nicht im Büro. In dringenden Fällen erreichen Sie die Hotline unter {phone}.",
        "Bankverbindung: Sparkasse {city}, IBAN DE{n} {n}, BIC SPKADE21XXX",
    ],
}

LOG_CLASSES = ["PaymentService", "InvoiceExporter", "OrderSync", "ShipmentClient", "UserSession", "ReportJob",
               "CustomerRepository", "RefundHandler", "AuthFilter", "MailSender", "StockUpdater", "PayrollExport"]
LOG_METHODS = ["process", "run", "handle", "execute", "sync", "export", "send", "load", "refresh", "apply"]


def log_excerpt(rng, error):
    """A stack trace or log excerpt; class names are drawn independently of the ticket's queue."""
    cls = lambda: rng.choice(LOG_CLASSES)
    meth = lambda: rng.choice(LOG_METHODS)
    line = lambda: str(rng.randrange(20, 900))
    ts = f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
    kind = rng.randrange(6)
    if kind == 0:
        c = cls()
        frames = "\n".join(f"\tat com.example.{c.lower()}.{cls()}.{meth()}({cls()}.java:{line()})" for _ in range(rng.randrange(3, 9)))
        return f"{ts} ERROR [{c}] Unhandled exception\njava.lang.IllegalStateException: {error}\n{frames}"
    if kind == 1:
        frames = "\n".join(f'  File "/srv/app/{cls().lower()}.py", line {line()}, in {meth()}\n    result = self.{meth()}(payload)'
                           for _ in range(rng.randrange(2, 6)))
        return f"Traceback (most recent call last):\n{frames}\nRuntimeError: {error}"
    if kind == 2:
        return "\n".join(f"{ts} {rng.choice(['WARN', 'ERROR', 'INFO', 'ERROR'])} {cls()}: {error}" for _ in range(rng.randrange(2, 7)))
    if kind == 3:
        ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
        return "\n".join(f'{ip} - - [{ts}] "POST /api/v2/{rng.choice(["orders", "invoices", "login", "sync"])} HTTP/1.1" '
                         f'{rng.choice(["500", "502", "503", "504", "401"])} {rng.randrange(100, 9000)}' for _ in range(rng.randrange(2, 6)))
    if kind == 4:
        return (f"System.InvalidOperationException: {error}\n"
                + "\n".join(f"   at Example.{cls()}.{meth().title()}() in C:\\build\\src\\{cls()}.cs:line {line()}" for _ in range(rng.randrange(2, 6))))
    return (f"Uncaught (in promise) TypeError: {error}\n"
            + "\n".join(f"    at {meth()} (https://app.example.com/static/js/main.{rng.randrange(10**6):06x}.js:{line()}:{line()})"
                        for _ in range(rng.randrange(2, 5))))


def html_escape(text, rng, entities):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if entities:
        for a, b in [("ä", "&auml;"), ("ö", "&ouml;"), ("ü", "&uuml;"), ("ß", "&szlig;"), ("Ä", "&Auml;"), ("Ü", "&Uuml;"),
                     ("€", "&euro;")]:
            text = text.replace(a, b)
    return text


def to_html(parts, quoted, rng):
    """E-mail HTML of the body paragraphs (and a quoted part, as a blockquote)."""
    entities = rng.random() < 0.5
    esc = lambda t: html_escape(t, rng, entities).replace("\n", "<br>")
    style = rng.randrange(3)
    if style == 0:  # Outlook
        p = lambda t: f'<p class="MsoNormal"><span style="font-family:&quot;Calibri&quot;,sans-serif">{esc(t)}</span></p>'
        head = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" '
                'content="text/html; charset=utf-8"><style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; '
                'font-family:"Calibri",sans-serif;} --></style></head><body lang="DE" link="#0563C1"><div class="WordSection1">')
        foot = "</div></body></html>"
    elif style == 1:  # Gmail
        p = lambda t: f'<div dir="ltr">{esc(t)}</div><div><br></div>'
        head, foot = '<div dir="ltr">', "</div>"
    else:  # web form / plain editor
        p = lambda t: f"<p>{esc(t)}</p>"
        head, foot = '<div style="font-family: Arial, sans-serif; font-size: 10pt;">', "</div>"
    body = "".join(p(t) for t in parts[:-1])
    last = parts[-1] if parts else ""
    if last and rng.random() < 0.4:  # signature in a table
        body += ('<table cellpadding="0" cellspacing="0" style="border-collapse:collapse"><tr><td style="padding:0 8px 0 0;'
                 f'border-right:2px solid #0a6ebd"><img src="cid:logo.png" width="80"></td><td style="font-size:9pt;color:#555">{esc(last)}</td></tr></table>')
    elif last:
        body += p(last)
    if quoted:
        body += ('<div class="gmail_quote"><blockquote style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">'
                 f"{esc(quoted)}</blockquote></div>")
    return head + body + foot
