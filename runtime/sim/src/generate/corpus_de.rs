//! German phrase banks, one set of scenarios per queue.
//!
//! Not translations of the English ones: German tickets are written differently (formal
//! openings, "anbei", long compound nouns, the odd English IT term), and a classifier should meet
//! that variety.

use super::text::{Lang, QueueText, Scenario};

pub static DE: Lang = Lang {
    queues: &QUEUE_TEXTS,
    greetings: &[
        "Hallo,",
        "Guten Tag,",
        "Sehr geehrte Damen und Herren,",
        "Hallo zusammen,",
        "Moin,",
        "Liebes Support-Team,",
        "Guten Morgen,",
        "Hallo {agent},",
        "Servus,",
        "Sehr geehrtes Support-Team,",
    ],
    openers: &[
        "ich hoffe, es geht Ihnen gut.",
        "ich wende mich mit folgendem Anliegen an Sie.",
        "leider muss ich mich schon wieder melden.",
        "wie eben telefonisch besprochen, hier die Details.",
        "ein Kollege hat mir empfohlen, mich direkt an Sie zu wenden.",
        "kurze Frage von unserer Seite.",
    ],
    closings: &[
        "Vielen Dank im Voraus!",
        "Danke für Ihre Hilfe.",
        "Ich freue mich auf Ihre Rückmeldung.",
        "Mit freundlichen Grüßen",
        "Viele Grüße",
        "Beste Grüße",
        "VG",
        "LG",
        "Freundliche Grüße",
        "Für Rückfragen stehe ich gern zur Verfügung.",
        "Gruß",
    ],
    signature_roles: &[
        "Büroleitung",
        "Leiterin Einkauf",
        "IT-Administrator",
        "Geschäftsführer",
        "Buchhaltung",
        "Teamleitung Versand",
        "Assistenz der Geschäftsführung",
        "Sachbearbeiterin",
        "",
    ],
    phone_prefix: "+49 30 ",
    sent_from: &[
        "Von meinem iPhone gesendet",
        "Gesendet von Outlook für Android",
        "Von meinem Samsung Galaxy gesendet",
    ],
    quote_header: "Am {date} schrieb Support-Team <support@helpdesk.example>:",
    quoted_lines: &[
        "Vielen Dank für Ihre Anfrage. Wir melden uns schnellstmöglich bei Ihnen.",
        "Könnten Sie uns bitte einen Screenshot der Fehlermeldung schicken?",
        "Wir haben Ihr Anliegen an die zuständige Abteilung weitergeleitet.",
        "Bitte geben Sie uns Bescheid, falls das Problem nach dem Update weiterhin besteht.",
        "Ihr Ticket wurde als gelöst markiert. Antworten Sie einfach auf diese E-Mail, falls Sie weitere Hilfe benötigen.",
    ],
    reply_prefix: "AW: ",
    forward_prefix: "WG: ",
    urgency: [
        &[
            "Keine Eile.",
            "Wenn Sie mal Zeit haben.",
            "Ist nicht dringend, wollte es nur melden.",
            "Eher eine allgemeine Frage.",
            "Hat keine Priorität, nur aus Neugier.",
        ],
        &[
            "Wäre schön, wenn das diese Woche noch klappt.",
            "Wir können vorerst damit leben, aber es nervt.",
            "Können Sie sich das in den nächsten Tagen anschauen?",
            "Mehrere Kollegen haben schon danach gefragt.",
        ],
        &[
            "Das betrifft inzwischen auch unsere Kunden.",
            "Wir brauchen bis spätestens morgen eine Lösung.",
            "Mehrere Kollegen können deswegen nicht richtig arbeiten.",
            "Bitte mit Priorität behandeln, der Monatsabschluss hängt davon ab.",
            "Das ist jetzt schon das dritte Mal diesen Monat.",
        ],
        &[
            "DRINGEND: bei uns steht alles still!",
            "Das blockiert gerade unser komplettes Team.",
            "Wir verlieren jede Minute Bestellungen!!",
            "Bitte sofort eskalieren, heute ist unser Go-Live.",
            "Produktion steht. Bitte rufen Sie mich umgehend auf dem Handy an.",
            "Kritisch: Kunden können überhaupt nicht mehr bestellen.",
        ],
    ],
    urgent_subject_prefixes: &["DRINGEND: ", "Dringend - ", "!!! ", "EILT: ", "WICHTIG: "],
    vague_subjects: &[
        "Problem",
        "Hilfe",
        "Frage",
        "Anfrage",
        "AW: Ihre E-Mail",
        "geht nicht",
        "Bitte um Rückruf",
        "(kein Betreff)",
    ],
    vague_lines: &[
        "Es funktioniert schon wieder nicht. Bitte prüfen.",
        "Gleiches Problem wie letztes Mal, bitte um Rückruf.",
        "Ich habe eine Frage, bitte melden Sie sich bei mir.",
        "siehe Anhang",
        "Irgendwas stimmt mit meinem Konto nicht.",
        "Können Sie mir da helfen?? Danke",
    ],
};

static QUEUE_TEXTS: [QueueText; 10] = [
    QueueText {
        queue: "Technical Support",
        scenarios: &[
            Scenario {
                subjects: &[
                    "{app} stürzt beim Start ab",
                    "Absturz nach Update auf {version}",
                    "Programm schließt sich sofort",
                ],
                lines: &[
                    "Seit dem Update auf Version {version} schließt sich die {app}, sobald ich das Dashboard öffne.",
                    "Es erscheint die Fehlermeldung: {error}",
                    "Neu installiert und Cache geleert habe ich schon, ohne Erfolg.",
                    "Passiert nur auf meinem {device}, bei der Kollegin läuft es.",
                    "Mit der Vorversion lief alles stabil.",
                ],
            },
            Scenario {
                subjects: &[
                    "Anmeldung nicht möglich",
                    "2FA-Code wird nicht akzeptiert",
                    "Login-Schleife nach Passwortänderung",
                ],
                lines: &[
                    "Der Code aus der Authenticator-App wird jedes Mal als ungültig abgelehnt.",
                    "Seit ich am {date} mein Passwort geändert habe, lädt die Login-Seite nur neu.",
                    "Nach Eingabe der Zugangsdaten kommt '{error}'.",
                    "Browser gewechselt, Cookies gelöscht, alles schon probiert.",
                ],
            },
            Scenario {
                subjects: &[
                    "Schnittstelle liefert {code}",
                    "Webhooks schlagen fehl",
                    "Synchronisation mit {product} hängt",
                ],
                lines: &[
                    "Unsere Anbindung bekommt seit {time} Uhr nur noch HTTP {code} zurück.",
                    "An unserer Seite wurde nichts geändert, gleicher API-Key wie immer.",
                    "Antwort des Servers: {error}",
                    "Der Abgleich zwischen {product} und unserem ERP hängt, {count} Datensätze sind betroffen.",
                    "Kann man die fehlgeschlagenen Events erneut senden?",
                ],
            },
            Scenario {
                subjects: &[
                    "CSV-Import bricht bei Zeile {row} ab",
                    "Importfehler",
                    "Massenimport wird abgelehnt",
                ],
                lines: &[
                    "Der Import bricht bei Zeile {row} mit '{error}' ab.",
                    "Die Datei ist aus Excel exportiert, UTF-8 mit Semikolon.",
                    "Zeile {row} sieht für mich ganz normal aus, Datei anbei.",
                    "Kleinere Dateien mit weniger als {count} Zeilen gehen problemlos.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Product Support",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Wie richte ich {feature} ein?",
                    "Frage zu {feature}",
                    "Einstellung für {feature} nicht auffindbar",
                ],
                lines: &[
                    "Ich versuche zu verstehen, wie {feature} in {product} funktioniert.",
                    "Im Hilfeartikel ist von einem Schalter unter Einstellungen die Rede, den sehe ich aber nicht.",
                    "Ist das nur im {plan}-Tarif enthalten?",
                    "Seit dem neuen Design finde ich die Schaltfläche nicht mehr.",
                    "Eine kurze Schritt-für-Schritt-Anleitung wäre super.",
                ],
            },
            Scenario {
                subjects: &[
                    "Verbesserungsvorschlag: {feature}",
                    "Feature-Wunsch für {product}",
                    "Wäre {feature} möglich?",
                ],
                lines: &[
                    "Es wäre sehr hilfreich, wenn {product} {feature} unterstützen würde.",
                    "Aktuell pflegen wir das jede Woche händisch in einer Excel-Liste.",
                    "Steht so etwas auf der Roadmap?",
                    "Gerne erkläre ich unseren Anwendungsfall in einem kurzen Call.",
                ],
            },
            Scenario {
                subjects: &[
                    "Welche Rolle für Freigaben?",
                    "Unterschied der Vorlagen?",
                    "Mandantenfähigkeit von {product}",
                ],
                lines: &[
                    "Unsere Abteilungsleiter sollen Ausgaben freigeben, aber nicht bearbeiten können – welche Rolle passt?",
                    "Was genau unterscheidet die {plan}-Vorlagen von den Enterprise-Vorlagen?",
                    "Kann {product} mehrere Firmen in einem Konto verwalten?",
                    "Die Dokumentation ist da leider nicht ganz eindeutig.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Customer Service",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Wo bleibt meine Bestellung {order}?",
                    "Lieferung verzögert",
                    "Paket noch nicht angekommen",
                ],
                lines: &[
                    "Ich habe am {date} bestellt (Bestellnummer {order}) und bisher nichts erhalten.",
                    "Die Sendungsverfolgung zeigt seit {count} Tagen 'in Zustellung'.",
                    "In der Bestätigung stand Lieferung in 2-3 Werktagen.",
                    "Können Sie bitte beim Versanddienstleister nachfragen?",
                ],
            },
            Scenario {
                subjects: &[
                    "Beschwerde über Ihre Hotline",
                    "Sehr enttäuscht",
                    "Kein Rückruf erhalten",
                ],
                lines: &[
                    "Mir wurde jetzt dreimal ein Rückruf versprochen, passiert ist nichts.",
                    "Ihr Mitarbeiter am Telefon war am {date} ehrlich gesagt ziemlich unfreundlich.",
                    "Ich bin seit {count} Jahren Kunde und so etwas habe ich noch nicht erlebt.",
                    "Ich möchte bitte mit einem Vorgesetzten sprechen.",
                ],
            },
            Scenario {
                subjects: &[
                    "Adressänderung",
                    "Neue Lieferadresse",
                    "Ansprechpartner ändern",
                ],
                lines: &[
                    "Wir sind umgezogen, bitte ändern Sie unsere Adresse auf {address}.",
                    "Neuer Ansprechpartner für unser Kundenkonto ist ab sofort {person}.",
                    "Künftige Lieferungen bitte nur noch an die neue Adresse.",
                    "Unsere Kundennummer lautet {customer}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Newsletter abbestellen",
                    "Keine Werbung mehr bitte",
                    "Kundenkonto löschen",
                ],
                lines: &[
                    "Trotz zweimaliger Abmeldung bekomme ich weiterhin Werbemails.",
                    "Bitte löschen Sie meine Daten gemäß DSGVO und schließen Sie mein Konto.",
                    "Der Abmeldelink führt auf eine Fehlerseite.",
                    "Bitte bestätigen Sie mir die Löschung schriftlich.",
                ],
            },
        ],
    },
    QueueText {
        queue: "IT Support",
        scenarios: &[
            Scenario {
                subjects: &[
                    "VPN verbindet nicht",
                    "Kein Zugriff aufs Intranet von zuhause",
                    "VPN bricht ständig ab",
                ],
                lines: &[
                    "Seit heute früh meldet der VPN-Client '{error}'.",
                    "Ich bin im Homeoffice und komme auf keine Netzlaufwerke.",
                    "Die Verbindung bricht alle {count} Minuten ab.",
                    "Mein Gerät ist das {device}, Inventarnummer {asset}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Neue Mitarbeiterin ab Montag",
                    "Onboarding {person}",
                    "Zugänge für neuen Kollegen",
                ],
                lines: &[
                    "{person} fängt am Montag bei uns an und braucht E-Mail, Laptop und Zugriff auf das Teamlaufwerk.",
                    "Bitte auch in den Verteiler 'Vertrieb-Nord' aufnehmen.",
                    "Gleiche Berechtigungen wie ich wären ideal.",
                    "Kann der Laptop bis 9 Uhr bereitstehen?",
                ],
            },
            Scenario {
                subjects: &[
                    "Drucker im 2. OG streikt",
                    "Drucker offline",
                    "Kann nicht auf {printer} drucken",
                ],
                lines: &[
                    "Der Drucker {printer} meldet Papierstau, es steckt aber nirgends Papier.",
                    "Druckaufträge bleiben einfach in der Warteschlange hängen.",
                    "Wir haben um 14 Uhr einen Kundentermin und brauchen die Unterlagen.",
                    "Aus- und Einschalten hat nicht geholfen.",
                ],
            },
            Scenario {
                subjects: &[
                    "Passwort zurücksetzen",
                    "Konto gesperrt",
                    "Postfach fehlt in Outlook",
                ],
                lines: &[
                    "Nach zu vielen Fehlversuchen ist mein Konto gesperrt, bitte Passwort zurücksetzen.",
                    "Das Gruppenpostfach 'buchhaltung@' ist nach dem Update aus Outlook verschwunden.",
                    "Mein Benutzername ist {user}.",
                    "Teams fragt auch ständig nach dem Kennwort.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Billing and Payments",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Doppelte Abbuchung Rechnung {invoice}",
                    "Zweimal belastet",
                    "Betrag doppelt abgebucht",
                ],
                lines: &[
                    "Für die Rechnung {invoice} wurden {amount} zweimal von meiner Kreditkarte abgebucht.",
                    "Bitte erstatten Sie die doppelte Zahlung.",
                    "Einen Kontoauszug kann ich gerne nachreichen.",
                    "Beide Buchungen sind vom {date}.",
                ],
            },
            Scenario {
                subjects: &[
                    "USt-IdNr. fehlt auf Rechnung",
                    "Rechnungskorrektur",
                    "Falsche Firmierung auf Rechnung {invoice}",
                ],
                lines: &[
                    "Auf der Rechnung {invoice} fehlt unsere USt-IdNr., so kann die Buchhaltung sie nicht verbuchen.",
                    "Die Firmierung muss '{company}' lauten, nicht die alte.",
                    "Bitte senden Sie uns eine korrigierte Rechnung.",
                    "Wir benötigen sie noch vor dem Monatsende.",
                ],
            },
            Scenario {
                subjects: &[
                    "Zahlungsart ändern",
                    "Neue Kreditkarte hinterlegen",
                    "Umstellung auf Lastschrift",
                ],
                lines: &[
                    "Unsere Firmenkreditkarte läuft ab, wie hinterlege ich die neue?",
                    "Wir möchten künftig per SEPA-Lastschrift statt Kreditkarte zahlen.",
                    "Beim Speichern kommt die Meldung '{error}'.",
                    "Das Abo verlängert sich am {date}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Mahnung trotz Zahlung",
                    "Lastschrift zurückgegangen",
                    "Mahnung zu {invoice}",
                ],
                lines: &[
                    "Wir haben eine Mahnung zu {invoice} bekommen, obwohl wir am {date} {amount} überwiesen haben.",
                    "Die Lastschrift wurde von unserer Bank zurückgegeben, warum auch immer.",
                    "Bitte stoppen Sie das Mahnverfahren.",
                    "Verwendungszweck der Überweisung war {invoice}.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Returns and Exchanges",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Rücksendung Bestellung {order}",
                    "Artikel zurückgeben",
                    "Retourenschein benötigt",
                ],
                lines: &[
                    "Ich möchte den Artikel {item} aus Bestellung {order} zurückschicken.",
                    "Er ist unbenutzt und originalverpackt.",
                    "Können Sie mir bitte ein Retourenlabel schicken?",
                    "Geliefert wurde am {date}, die 30 Tage sind also noch nicht um.",
                ],
            },
            Scenario {
                subjects: &[
                    "Falsche Größe geliefert",
                    "Umtausch gewünscht",
                    "Falscher Artikel im Paket",
                ],
                lines: &[
                    "Bestellt hatte ich {item} in Größe L, gekommen ist M.",
                    "Kann ich direkt umtauschen, statt zurückzuschicken und neu zu bestellen?",
                    "Im Karton war ein ganz anderes Produkt als in Bestellung {order}.",
                    "Wie soll ich den Artikel zurücksenden?",
                ],
            },
            Scenario {
                subjects: &[
                    "Ware beschädigt angekommen",
                    "Defekt bei Lieferung",
                    "{item} ist kaputt",
                ],
                lines: &[
                    "Der Artikel {item} kam mit gebrochenem Gehäuse an, Fotos anbei.",
                    "Die Verpackung war schon bei der Übergabe eingedrückt.",
                    "Ich möchte bitte Ersatz, keine Gutschrift.",
                    "Bestellnummer {order}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Erstattung für Retoure?",
                    "Rücksendung angekommen?",
                    "Warte noch auf Gutschrift",
                ],
                lines: &[
                    "Ich habe {item} am {date} zurückgeschickt, Sendungsnummer {tracking}.",
                    "Seitdem sind {count} Tage vergangen und die Erstattung über {amount} fehlt noch.",
                    "Laut Tracking ist das Paket bei Ihrem Lager angekommen.",
                    "Können Sie den Eingang bestätigen?",
                ],
            },
        ],
    },
    QueueText {
        queue: "Service Outages and Maintenance",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Ist {service} down?",
                    "Dienst nicht erreichbar",
                    "Störung bei {service}",
                ],
                lines: &[
                    "{service} ist seit etwa {time} Uhr nicht erreichbar.",
                    "Auf jeder Seite kommt '{error}'.",
                    "Ihre Statusseite zeigt trotzdem alles grün.",
                    "Gibt es eine bekannte Störung?",
                    "Aus zwei verschiedenen Netzen in {city} getestet, gleiches Ergebnis.",
                ],
            },
            Scenario {
                subjects: &[
                    "Wartungsfenster heute Nacht?",
                    "Frage zur geplanten Wartung",
                    "Ausfallzeit am {date}?",
                ],
                lines: &[
                    "Wir haben die Ankündigung zur Wartung am {date} erhalten – wie lange ist {service} nicht verfügbar?",
                    "Ist auch die API betroffen oder nur die Weboberfläche?",
                    "Wir haben um {time} Uhr einen Batch-Job geplant, sollen wir ihn verschieben?",
                    "Bitte bestätigen Sie das genaue Zeitfenster.",
                ],
            },
            Scenario {
                subjects: &[
                    "E-Mails kommen stundenlang verzögert",
                    "Benachrichtigungen fehlen",
                    "Extreme Latenz seit {time}",
                ],
                lines: &[
                    "Benachrichtigungen von {service} kommen mit mehreren Stunden Verspätung an.",
                    "Die Antwortzeiten liegen seit {time} Uhr bei {count} Sekunden statt Millisekunden.",
                    "Sieht nach einem Problem im Rechenzentrum aus, nicht bei uns.",
                    "Mehrere unserer Kunden in {city} melden dasselbe.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Sales and Pre-Sales",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Angebot für {count} Lizenzen",
                    "Preise für größere Teams",
                    "Mengenrabatt?",
                ],
                lines: &[
                    "Wir interessieren uns für {product} für etwa {count} Nutzer und bitten um ein Angebot.",
                    "Gibt es Rabatt bei jährlicher Zahlung oder für gemeinnützige Vereine?",
                    "Das Angebot bräuchten wir in EUR inkl. MwSt.",
                    "Unsere Budgetentscheidung fällt am {date}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Produktdemo anfragen",
                    "Termin für eine Demo",
                    "Interesse an {product}",
                ],
                lines: &[
                    "Wir würden gerne eine Demo von {product} sehen, Schwerpunkt {feature}.",
                    "Unser Team hätte am {weekday} Nachmittag Zeit.",
                    "Aktuell nutzen wir ein Konkurrenzprodukt und überlegen zu wechseln.",
                    "Wer wäre unser Ansprechpartner im Vertrieb?",
                ],
            },
            Scenario {
                subjects: &[
                    "On-Premise-Version verfügbar?",
                    "Testphase verlängern",
                    "Frage zu Vertragslaufzeiten",
                ],
                lines: &[
                    "Gibt es {product} auch als On-Premise-Variante oder in einer deutschen Cloud?",
                    "Unsere Testphase endet am {date}, ginge eine Verlängerung um zwei Wochen? Der Einkauf braucht noch.",
                    "Wie lang ist die Mindestlaufzeit im {plan}-Tarif?",
                    "Ist ein AV-Vertrag nach DSGVO enthalten?",
                ],
            },
        ],
    },
    QueueText {
        queue: "Human Resources",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Frage zur Gehaltsabrechnung {month}",
                    "Lohnabrechnung fehlerhaft",
                    "Überstunden nicht vergütet",
                ],
                lines: &[
                    "In meiner Abrechnung für {month} fehlen die geleisteten Überstunden.",
                    "Seit {month} scheint die Steuerklasse falsch hinterlegt zu sein.",
                    "Könnte sich jemand aus der Lohnbuchhaltung das ansehen?",
                    "Personalnummer {employee}.",
                ],
            },
            Scenario {
                subjects: &["Antrag auf Elternzeit", "Resturlaub", "Unbezahlter Urlaub"],
                lines: &[
                    "Ich möchte ab dem {date} Elternzeit beantragen.",
                    "Wie viele Urlaubstage habe ich dieses Jahr noch?",
                    "Welches Formular brauche ich und wer muss unterschreiben?",
                    "Meine Vorgesetzte hat schon mündlich zugestimmt.",
                ],
            },
            Scenario {
                subjects: &[
                    "Neue Bankverbindung",
                    "Adressänderung für die Personalakte",
                    "Krankmeldung",
                ],
                lines: &[
                    "Bitte ab nächsten Monat das Gehalt auf mein neues Konto überweisen.",
                    "Ich bin seit dem {date} krankgeschrieben, die AU-Bescheinigung ist anbei.",
                    "Meine neue Anschrift lautet {address}.",
                    "Personalnummer {employee}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Zwischenzeugnis",
                    "Frage zur Betriebsrente",
                    "Weiterbildungsbudget",
                ],
                lines: &[
                    "Ich bräuchte ein Zwischenzeugnis für eine Bewerbung auf einen Weiterbildungsplatz.",
                    "Wie wirkt sich eine Stundenreduzierung auf die betriebliche Altersvorsorge aus?",
                    "Ist für dieses Jahr noch Weiterbildungsbudget übrig?",
                    "Danke für die vertrauliche Behandlung.",
                ],
            },
        ],
    },
    QueueText {
        queue: "General Inquiry",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Öffnungszeiten über die Feiertage",
                    "Sind Sie am {weekday} erreichbar?",
                    "Geschäftszeiten",
                ],
                lines: &[
                    "Wie sind Ihre Öffnungszeiten zwischen den Jahren?",
                    "Ist die Hotline auch {weekday}s besetzt?",
                    "Auf der Webseite habe ich dazu nichts gefunden.",
                ],
            },
            Scenario {
                subjects: &[
                    "Haben Sie einen Standort in {city}?",
                    "Besuch vor Ort",
                    "Ansprechpartner gesucht",
                ],
                lines: &[
                    "Haben Sie ein Büro oder einen Partner in {city}?",
                    "Wer ist für eine allgemeine Frage wie diese zuständig?",
                    "Ich bin nächste Woche in {city} und könnte vorbeikommen.",
                ],
            },
            Scenario {
                subjects: &[
                    "Presseanfrage",
                    "Kooperationsanfrage",
                    "Umfrage für Abschlussarbeit",
                ],
                lines: &[
                    "Für einen Artikel über Unternehmen aus der Region hätte ich gern ein kurzes Statement.",
                    "Wir würden gerne eine Kooperation zwischen unseren Organisationen vorschlagen.",
                    "Für meine Bachelorarbeit suche ich Unternehmen, die an einer kurzen Umfrage teilnehmen.",
                    "An wen kann ich mich damit wenden?",
                ],
            },
            Scenario {
                subjects: &["Feedback", "Einfach mal danke", "Hinweis zu Ihrer Webseite"],
                lines: &[
                    "Ich wollte nur sagen, dass Ihr Kollege {person} letzte Woche super hilfsbereit war.",
                    "Das Kontaktformular auf Ihrer Webseite zeigt nach dem Absenden keine Bestätigung.",
                    "Weiter so!",
                ],
            },
        ],
    },
];
