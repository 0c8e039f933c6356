"""Synthetic support tickets (English and German) for training the default models.

Usage: python generate.py OUT_DIR [--train N] [--test N] [--seed S]

Writes train.jsonl, test.jsonl (same distribution, unseen draws), test_unseen.jsonl (problem
sentences, impact statements, disclaimers, agent replies… from the fifth of each list training
never uses: a stricter generalisation check) and val.jsonl (another tenth, held out the same way:
where train.py chooses regularisation and class weights).
Each line: {"id", "lang", "subject", "body", "text", "queue", "priority"}; text = subject +
"\\n\\n" + body, which is what the runtime pipeline classifies.

The generator composes tickets from independent parts (greeting, context, problem, details,
second topic, impact/deadline and tone, request, sign-off, signature and disclaimers, quoted
thread or forwarded mail, log excerpts, HTML; see styles.py) and then damages the text (typos,
lower case, missing umlauts) so that the model cannot key on any one template.
"""

import argparse
import json
import random
import re
from pathlib import Path

import fillers as F
import keywords
import phrases_de
import phrases_en
import styles

QUEUES = list(phrases_en.QUEUES)
PRIORITIES = ["low", "medium", "high", "urgent"]

# How urgent each queue's tickets tend to be: outages are rarely low, HR and general questions
# rarely urgent. The text cues (below) carry the rest of the signal.
PRIORITY_PRIOR = {
    "Technical Support": [0.15, 0.40, 0.30, 0.15],
    "Product Support": [0.40, 0.45, 0.12, 0.03],
    "Customer Service": [0.25, 0.45, 0.22, 0.08],
    "IT Support": [0.15, 0.40, 0.30, 0.15],
    "Billing and Payments": [0.20, 0.45, 0.25, 0.10],
    "Returns and Exchanges": [0.30, 0.50, 0.15, 0.05],
    "Service Outages and Maintenance": [0.05, 0.20, 0.35, 0.40],
    "Sales and Pre-Sales": [0.35, 0.45, 0.15, 0.05],
    "Human Resources": [0.35, 0.45, 0.15, 0.05],
    "General Inquiry": [0.55, 0.38, 0.06, 0.01],
}

GREETINGS = {
    "en": ["Hello,", "Hi,", "Hi there,", "Dear Sir or Madam,", "Dear support team,", "Good morning,", "Hello {first},",
           "Hey,", "Dear {company} team,", "To whom it may concern,", "Hi team,", "Good afternoon,", ""],
    "de": ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Liebes Support-Team,", "Guten Morgen,",
           "Hallo {first},", "Hi,", "Moin,", "Servus,", "Grüß Gott,", "Sehr geehrte Frau {last},", "Liebe Kolleginnen und Kollegen,", ""],
}
CONTEXT = {
    "en": ["I'm contacting you on behalf of {company}.", "We have been using your services for [years|a while|a few months].",
           "I hope you can help me.", "I tried calling but couldn't get through.", "This is my [second|third] message about this.",
           "My colleague {first} told me to write to this address.", "Sorry to bother you again.", "I hope this is the right address."],
    "de": ["Ich schreibe Ihnen im Auftrag von {company}.", "Wir sind seit [Jahren|einiger Zeit] Kunde bei Ihnen.",
           "Ich hoffe, Sie können mir helfen.", "Telefonisch habe ich leider niemanden erreicht.",
           "Das ist bereits meine [zweite|dritte] Nachricht dazu.", "Mein Kollege {first} meinte, ich soll mich hier melden.",
           "Entschuldigen Sie die erneute Störung.", "Ich hoffe, ich bin hier richtig."],
}
REQUESTS = {
    "en": ["Could you please look into this?", "Please help.", "Can you help me with this?", "Please advise.",
           "What should I do?", "I'd appreciate a quick reply.", "Please get back to me.", "Any help is appreciated.",
           "Let me know if you need more information.", "Thanks for checking.", ""],
    "de": ["Könnten Sie sich das bitte ansehen?", "Bitte um Hilfe.", "Können Sie mir helfen?", "Was kann ich tun?",
           "Ich freue mich auf eine kurze Rückmeldung.", "Bitte melden Sie sich.", "Für Hilfe wäre ich dankbar.",
           "Falls Sie weitere Infos brauchen, melden Sie sich gerne.", "Danke fürs Prüfen.", ""],
}
SIGNOFFS = {
    "en": ["Best regards,", "Kind regards,", "Thanks,", "Thank you,", "Regards,", "Cheers,", "Many thanks,", "Best,", "Sincerely,", ""],
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße", "Danke und Gruß", "Freundliche Grüße", "LG", "MfG", "Gruß", "Danke!", ""],
}
SIG_EXTRA = {
    "en": ["{role}\n{company}", "{company} | {city}", "Tel. {phone}", "Sent from my iPhone", "Sent from my Android phone",
           "{role}, {company}\nPhone: {phone}",
           "This e-mail may contain confidential information. If you are not the intended recipient, please delete it."],
    "de": ["{role}\n{company}", "{company} | {city}", "Tel.: {phone}", "Von meinem iPhone gesendet", "Gesendet von meinem Smartphone",
           "{company}\nGeschäftsführer: {first} {last}\nAmtsgericht {city}",
           "Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, löschen Sie sie bitte."],
}
QUOTE_HEADERS = {
    "en": ["On {weekday}, Support <support@example.com> wrote:", "-----Original Message-----\nFrom: Service Team\nSubject: {subject}",
           "On {month} 12, {first} {last} wrote:"],
    "de": ["Am {weekday} schrieb Kundenservice <service@example.com>:", "-----Ursprüngliche Nachricht-----\nVon: Service-Team\nBetreff: {subject}",
           "Am 12. {month} schrieb {first} {last}:"],
}
QUOTED_REPLIES = {
    "en": ["Thank you for contacting us. We have received your request and will get back to you as soon as possible.",
           "Your ticket has been created. Please do not reply to this automatic message.",
           "Could you please send us more details, for example a screenshot?",
           "We are sorry for the inconvenience. Our team is looking into it."],
    "de": ["Vielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und melden uns schnellstmöglich.",
           "Ihr Ticket wurde angelegt. Bitte antworten Sie nicht auf diese automatische Nachricht.",
           "Könnten Sie uns bitte weitere Details schicken, zum Beispiel einen Screenshot?",
           "Wir bitten die Unannehmlichkeiten zu entschuldigen. Unser Team prüft den Fall."],
}
SECOND_TOPIC = {"en": ["Also, ", "By the way, ", "Another thing: ", "And one more question: ", "Unrelated, but "],
                "de": ["Außerdem: ", "Übrigens ", "Noch etwas: ", "Und noch eine Frage: ", "Nebenbei: "]}
VAGUE = {
    "en": ["It doesn't work. Please help.", "See subject.", "Please call me back.", "Problem as discussed on the phone.",
           "Same issue as last time.", "Can someone contact me?", "Still not solved!!", "Hello, I need help with something."],
    "de": ["Geht nicht. Bitte um Hilfe.", "Siehe Betreff.", "Bitte um Rückruf.", "Problem wie telefonisch besprochen.",
           "Gleiches Problem wie letztes Mal.", "Kann sich jemand melden?", "Immer noch nicht gelöst!!", "Hallo, ich brauche Hilfe."],
}

# Urgency wording per priority. Impact statements ("all users", "blocks my work") matter as
# much as explicit words: real customers rarely write "priority: high".
URGENCY = {
    "en": {
        "low": ["No rush.", "Whenever you have time.", "This is not urgent.", "Just out of curiosity.", "No hurry, just wanted to let you know.",
                "It can wait until next week.", "Low priority for us.", "Only a minor thing."],
        "medium": ["It would be good to have this sorted this week.", "Please have a look when you can.", "Thanks for handling this in the next days.",
                   "It's a bit annoying but we can work around it.", "A reply within the next few days would be great.", ""],
        "high": ["Please handle this quickly.", "We need this solved today if possible.", "This blocks my work.", "Several colleagues are affected.",
                 "This is important for us.", "Please prioritise this.", "Our customers are starting to complain.", "We have a deadline on {weekday}."],
        "urgent": ["URGENT!", "This is urgent!!", "Please fix ASAP, our production is down!", "We are losing money every minute.",
                   "Critical: nobody can work.", "Immediate help needed!", "All users are affected, this is critical.",
                   "Highest priority please, the whole company is blocked.", "Please call me immediately at {phone}."],
    },
    "de": {
        "low": ["Es eilt nicht.", "Wenn Sie mal Zeit haben.", "Nicht dringend.", "Nur aus Interesse.", "Kein Stress.",
                "Hat Zeit bis nächste Woche.", "Keine hohe Priorität.", "Nur eine Kleinigkeit."],
        "medium": ["Es wäre gut, wenn das diese Woche geklärt wird.", "Bitte schauen Sie es sich bei Gelegenheit an.",
                   "Eine Antwort in den nächsten Tagen wäre super.", "Ist etwas lästig, aber wir kommen zurecht.", ""],
        "high": ["Bitte zeitnah bearbeiten.", "Wir brauchen heute noch eine Lösung.", "Das blockiert meine Arbeit.",
                 "Mehrere Kollegen sind betroffen.", "Das ist wichtig für uns.", "Bitte priorisieren.", "Unsere Kunden beschweren sich schon.",
                 "Wir haben am {weekday} eine Deadline."],
        "urgent": ["DRINGEND!", "Sehr dringend!!", "Bitte sofort beheben, unsere Produktion steht!", "Wir verlieren jede Minute Umsatz.",
                   "Kritisch: niemand kann arbeiten.", "Brauchen sofort Hilfe!", "Alle Nutzer betroffen, das ist kritisch.",
                   "Höchste Priorität bitte, die ganze Firma steht.", "Bitte rufen Sie mich sofort an: {phone}."],
    },
}
SUBJECT_PREFIX = {
    "urgent": {"en": ["URGENT: ", "Urgent - ", "CRITICAL: ", "!!! ", "ASAP: "], "de": ["DRINGEND: ", "Dringend - ", "Eilt: ", "!!! ", "KRITISCH: "]},
    "high": {"en": ["Important: ", "High priority: "], "de": ["Wichtig: ", "Bitte zeitnah: "]},
}

ALT = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
SLOT = re.compile(r"\{(\w+)\}")


def digits(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def order_number(rng):
    return rng.choice([
        lambda: "#" + digits(rng, 6), lambda: "ORD-2025-" + digits(rng, 5), lambda: digits(rng, 9),
        lambda: "A" + digits(rng, 7), lambda: f"{digits(rng, 3)}-{digits(rng, 7)}-{digits(rng, 7)}",
        lambda: "B" + digits(rng, 2) + "-" + digits(rng, 6),
    ])()


def invoice_number(rng):
    return rng.choice([
        lambda: "INV-2025-" + digits(rng, 5), lambda: "RE-" + digits(rng, 6), lambda: "R" + digits(rng, 8),
        lambda: f"{digits(rng, 4)}/{digits(rng, 2)}", lambda: "#" + digits(rng, 5),
    ])()


def amount(rng, lang):
    euros, cents = rng.choice([9, 19, 29, 49, 59, 99, 120, 249, 499, 1299, 4.5, 12]), rng.choice(["00", "99", "50", "90"])
    euros = int(euros)
    if lang == "de":
        return rng.choice([f"{euros},{cents} €", f"{euros},{cents} EUR", f"EUR {euros},{cents}"])
    return rng.choice([f"€{euros}.{cents}", f"${euros}.{cents}", f"{euros}.{cents} EUR", f"£{euros}.{cents}"])


def phone(rng):
    return rng.choice(["+49 30 ", "+49 89 ", "0171 ", "+43 1 ", "+41 44 ", "+44 20 ", "040 "]) + digits(rng, 7)


def slot_value(name, lang, rng, person):
    de = lang == "de"
    table = {
        "product": lambda: rng.choice(F.PRODUCTS_DE if de else F.PRODUCTS),
        "tool": lambda: rng.choice(F.INTERNAL_TOOLS_DE if de else F.INTERNAL_TOOLS),
        "error": lambda: rng.choice(F.ERRORS),
        "order": lambda: order_number(rng),
        "invoice": lambda: invoice_number(rng),
        "amount": lambda: amount(rng, lang),
        "carrier": lambda: rng.choice(F.CARRIERS[:-1] if de else F.CARRIERS),
        "browser": lambda: rng.choice(F.BROWSERS),
        "os": lambda: rng.choice(F.OSES),
        "pay": lambda: rng.choice(F.PAYMENT_METHODS_DE if de else F.PAYMENT_METHODS),
        "pay2": lambda: rng.choice(F.PAYMENT_METHODS_DE if de else F.PAYMENT_METHODS),
        "city": lambda: rng.choice(F.CITIES_DE if de else F.CITIES),
        "weekday": lambda: rng.choice(F.WEEKDAYS_DE if de else F.WEEKDAYS),
        "month": lambda: rng.choice(F.MONTHS_DE if de else F.MONTHS),
        "n": lambda: digits(rng, rng.choice([5, 6, 7, 8])),
        "dept": lambda: rng.choice(F.DEPARTMENTS_DE if de else F.DEPARTMENTS),
        "name": lambda: f"{rng.choice(F.FIRST_NAMES)} {rng.choice(F.LAST_NAMES)}",
        "first": lambda: person["first"],
        "last": lambda: person["last"],
        "phone": lambda: person["phone"],
        "company": lambda: person["company"],
        "role": lambda: rng.choice(F.ROLES),
        "subject": lambda: person.get("subject", ""),
    }
    return table[name]()


def fill(template, lang, rng, person):
    while True:
        expanded = ALT.sub(lambda m: rng.choice(m.group(1).split("|")), template)
        if expanded == template:
            break
        template = expanded
    return SLOT.sub(lambda m: slot_value(m.group(1), lang, rng, person), template)


KEYBOARD_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuiopoadfghjklkxcvbnmn"))


def typo(word, rng):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + KEYBOARD_NEIGHBOURS.get(word[i], word[i]) + word[i + 1:]


def damage(text, rng):
    rate = rng.choice([0, 0, 0, 0.01, 0.02, 0.03, 0.06])
    if rate:
        text = " ".join(typo(w, rng) if rng.random() < rate * 1.5 else w for w in text.split(" "))
    r = rng.random()
    if r < 0.08:
        text = text.lower()
    elif r < 0.12:
        text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    elif r < 0.14:
        text = text.replace("ä", "a").replace("ö", "o").replace("ü", "u")
    return text


SPLITS = ("train", "val", "unseen")


def bucket(i):
    """Which split may use the i-th entry of a list: every fifth is kept for test_unseen, every
    tenth of the rest for the validation split; the others for training (and test)."""
    return "unseen" if i % 5 == 4 else "val" if i % 10 == 1 else "train"


def choose(rng, items, split):
    pool = [p for i, p in enumerate(items) if bucket(i) == split]
    return rng.choice(pool or items)


def mail_meta(lang, rng, person):
    """Slot values of mail headers: a sender, two addresses, a date."""
    first, last = rng.choice(F.FIRST_NAMES), rng.choice(F.LAST_NAMES)
    domain = re.sub(r"[^a-z]", "", person["company"].lower().split()[0]) + rng.choice([".com", ".de", ".at", ".co.uk", ".eu"])
    return {"name": f"{first} {last}", "email": f"{first.lower()}.{last.lower()}@{domain}".replace("ü", "ue").replace("ö", "oe"),
            "email2": rng.choice(["support@example.com", "service@example.com", "helpdesk@example.com", "info@example.com"]),
            "domain": domain}


def sentence(template, lang, rng, person, extra=None):
    """fill() plus the mail slots (time, count, country, day, mon and mail_meta's)."""
    extra = extra or {}
    de = lang == "de"
    more = {"time": lambda: rng.choice(["8:00", "7:30", "9 am", "this morning", "10:15", "6 Uhr", "heute früh", "14:00"])
            if de else rng.choice(["8:00", "7:30", "9 am", "this morning", "10:15", "6 am", "14:00", "lunchtime"]),
            "count": lambda: str(rng.choice([12, 25, 40, 80, 150, 300, 1200])),
            "country": lambda: rng.choice(["Brasilien", "Russland", "Vietnam", "den USA"] if de else ["Brazil", "Russia", "Vietnam", "the US"]),
            "day": lambda: str(rng.randrange(1, 29)), "mon": lambda: f"{rng.randrange(1, 13):02d}",
            "kw": lambda: extra["kw"]}
    template = ALT.sub(lambda m: rng.choice(m.group(1).split("|")), template)

    def one(m):
        k = m.group(1)
        if k in extra and k != "kw":
            return extra[k]
        if k in more:
            return more[k]()
        return slot_value(k, lang, rng, person)
    return fill(SLOT.sub(one, template), lang, rng, person)


def other_lang(lang):
    return "en" if lang == "de" else "de"


def problem_text(rng, queue, lang, split, person, n=None):
    bank = (phrases_de if lang == "de" else phrases_en).QUEUES[queue]
    n = n or rng.choices([1, 2], [0.75, 0.25])[0]
    return " ".join(fill(choose(rng, bank["problems"], split), lang, rng, person) for _ in range(n))


def priority_cues(rng, lang, priority, tone, split, person):
    """Sentences that say how much it matters: impact, scope and deadline first, urgency words
    rarely and loosely, tone independent of the label."""
    cues = []
    level = PRIORITIES.index(priority)
    if rng.random() < 0.75:
        shown = level if rng.random() < 0.9 else min(3, max(0, level + rng.choice([-1, 1])))
        for _ in range(rng.choices([1, 2], [0.75, 0.25])[0]):
            cues.append(sentence(choose(rng, styles.IMPACT[lang][PRIORITIES[shown]], split), lang, rng, person))
    if rng.random() < 0.2:  # the old explicit wording ("No rush.", "Critical: nobody can work.")
        cue = fill(rng.choice(URGENCY[lang][priority]), lang, rng, person)
        if cue:
            cues.append(cue)
    if rng.random() < styles.URGENCY_WORD_RATE[priority] + (0.3 if tone == "angry" else 0):
        cues.append(rng.choice(styles.URGENCY_WORDS[lang]))
    if tone == "angry":
        cues += [choose(rng, styles.ANGRY[lang], split) for _ in range(rng.choice([1, 1, 2]))]
    elif tone == "calm":
        cues.insert(0, rng.choice(styles.CALM[lang]))
    rng.shuffle(cues)
    return cues


def signature(rng, lang, person, split, meta):
    signoff = rng.choice(SIGNOFFS[lang])
    name = rng.choice([f"{person['first']} {person['last']}", person["first"], f"{person['first'][0]}. {person['last']}"])
    sig = "\n".join(x for x in [signoff, name] if x)
    if rng.random() < 0.45:
        sig += "\n" + fill(rng.choice(SIG_EXTRA[lang]), lang, rng, person)
    if rng.random() < 0.3:  # legal disclaimer, sometimes in the other language
        dl = lang if rng.random() < 0.8 else other_lang(lang)
        for _ in range(rng.choice([1, 1, 2])):
            sig += "\n\n" + sentence(choose(rng, styles.DISCLAIMERS[dl], split), dl, rng, person, meta)
    return sig


def quoted_thread(rng, lang, queue, split, person, meta):
    """An earlier exchange under the new message: the agent's reply, often above the customer's
    first mail (the same topic, or another one when the customer reuses an old thread)."""
    ql = lang if rng.random() < 0.85 else other_lang(lang)
    header = sentence(rng.choice(styles.REPLY_HEADERS[ql]), ql, rng, person, meta)
    text = sentence(choose(rng, styles.AGENT_REPLIES[ql], split), ql, rng, person, meta)
    if rng.random() < 0.6:
        old_queue = queue if rng.random() < 0.5 else rng.choice(QUEUES)
        old = problem_text(rng, old_queue, ql, split, person, 1)
        text += "\n\n" + sentence(rng.choice(styles.REPLY_HEADERS[ql]), ql, rng, person, meta) + "\n" + \
            rng.choice(GREETINGS[ql]).replace("{first}", person["first"]).replace("{company}", "").replace("{last}", person["last"]) + \
            "\n" + old + "\n" + rng.choice(SIGNOFFS[ql]) + "\n" + person["first"]
    gmail_style = not header.startswith(("From:", "Von:", "-----"))
    return header, text, gmail_style


def ticket(rng, split="train"):
    lang = "de" if rng.random() < 0.45 else "en"
    bank = (phrases_de if lang == "de" else phrases_en).QUEUES
    queue = rng.choice(QUEUES)
    priority = rng.choices(PRIORITIES, PRIORITY_PRIOR[queue])[0]
    person = {"first": rng.choice(F.FIRST_NAMES), "last": rng.choice(F.LAST_NAMES), "phone": phone(rng),
              "company": rng.choice(F.COMPANIES)}
    meta = mail_meta(lang, rng, person)
    q = bank[queue]
    shape = rng.choices(["normal", "short", "forward"], [0.82, 0.08, 0.10])[0]
    tone = rng.choices(["neutral", "angry", "calm"], [0.68, 0.16, 0.16])[0]

    kws = keywords.KEYWORDS[queue][lang]
    frame = lambda: rng.choice(keywords.FRAMES[lang]).format(kw=rng.choice(kws), kw2=rng.choice(kws))
    r = rng.random()
    if r < 0.78:
        subject = fill(rng.choice(q["subjects"]), lang, rng, person)
    elif r < 0.93:
        subject = rng.choice(kws) if rng.random() < 0.6 else frame()
    else:
        subject = ""
    # Subject shouting follows tone more than the label: people mark minor things URGENT too.
    if (tone == "angry" and rng.random() < 0.35) or (priority in SUBJECT_PREFIX and rng.random() < 0.12):
        subject = rng.choice(SUBJECT_PREFIX[rng.choice(["urgent", "high"])][lang]) + subject
    if tone == "angry" and rng.random() < 0.2:
        subject = subject.upper()
    if shape == "forward":
        subject = rng.choice(["Fwd: ", "WG: ", "FW: "]) + subject
    elif rng.random() < 0.15:
        subject = rng.choice(["Re: ", "AW: ", "RE: ", "Fwd: "]) + subject
    person["subject"] = subject

    if shape == "short":
        body = sentence(choose(rng, styles.SHORT_BODIES[lang], split), lang, rng, person, {"kw": rng.choice(kws)})
        if rng.random() < 0.35:
            body += " " + sentence(choose(rng, styles.IMPACT[lang][priority], split), lang, rng, person)
        if rng.random() < 0.3:
            body += "\n\n" + rng.choice(SIG_EXTRA[lang][3:5])
        subject, body = damage(subject, rng), damage(body, rng)
        return {"lang": lang, "subject": subject, "body": body, "text": f"{subject}\n\n{body}", "queue": queue, "priority": priority}

    # The ticket's own message; in a forward it is the forwarded mail, under a short note.
    mlang = lang if shape != "forward" or rng.random() < 0.8 else other_lang(lang)
    parts = []
    greeting = fill(rng.choice(GREETINGS[mlang]), mlang, rng, person)
    if greeting:
        parts.append(greeting)
    if rng.random() < 0.25:
        parts.append(fill(rng.choice(CONTEXT[mlang]), mlang, rng, person))
    if rng.random() < 0.15:
        parts.append(rng.choice(keywords.FRAMES[mlang]).format(kw=rng.choice(keywords.KEYWORDS[queue][mlang]),
                                                               kw2=rng.choice(keywords.KEYWORDS[queue][mlang])))
    other = rng.choice([x for x in QUEUES if x != queue])
    two_topics = rng.random() < 0.22
    if two_topics and rng.random() < 0.4:  # the side topic first, as context
        parts.append(sentence(choose(rng, styles.SIDE_TOPIC_BEFORE[mlang], split), mlang, rng, person,
                              {"kw": rng.choice(keywords.KEYWORDS[other][mlang])}))
        two_topics = False
    if rng.random() < 0.04:
        parts.append(rng.choice(VAGUE[mlang]))
    else:
        plang = mlang if rng.random() < 0.93 else other_lang(mlang)  # code-switching writers
        core = problem_text(rng, queue, plang, split, person)
        if priority == "low" and rng.random() < 0.3:
            core = rng.choice(styles.QUESTION_LEADS[plang]) + core
        parts.append(core)
        if rng.random() < 0.5:
            parts.append(fill(rng.choice((phrases_de if plang == "de" else phrases_en).QUEUES[queue]["details"]), plang, rng, person))
    log_rate = {"Technical Support": 0.3, "Service Outages and Maintenance": 0.2, "IT Support": 0.12}.get(queue, 0.02)
    if rng.random() < log_rate:
        parts.append(rng.choice(["Log:", "Here is the log:", "Auszug aus dem Log:", "Stack trace:", ""]).strip() + "\n" +
                     styles.log_excerpt(rng, rng.choice(F.ERRORS)))
    if two_topics:
        parts.append(rng.choice(SECOND_TOPIC[mlang]) + problem_text(rng, other, mlang, split, person, 1))
    cues = priority_cues(rng, mlang, priority, tone, split, person)
    for cue in cues:
        parts.insert(rng.choice([len(parts), max(1, len(parts) - 1), min(len(parts), 2)]), cue)
    request = fill(rng.choice(REQUESTS[mlang]), mlang, rng, person)
    if request:
        parts.append(request)
    if rng.random() < 0.85:
        parts.append(signature(rng, mlang, person, split, meta))

    quoted = None
    if shape == "forward":
        header = sentence(rng.choice(styles.FORWARD_HEADERS[lang]), lang, rng, person, {**meta, "subject": re.sub(r"^(Fwd|WG|FW): ", "", person["subject"])})
        note = sentence(choose(rng, styles.FORWARD_NOTES[lang], split), lang, rng, person)
        forwarded = "\n\n".join(parts)
        top = [x for x in [note, rng.choice(["", person["first"], "Thanks, " + person["first"]])] if x]
        parts = top + [header + "\n\n" + forwarded]
    elif rng.random() < 0.25:
        header, text, gmail_style = quoted_thread(rng, lang, queue, split, person, meta)
        quoted = header + "\n" + ("\n".join("> " + ln for ln in text.split("\n")) if gmail_style else text)

    if rng.random() < 0.18:
        body = styles.to_html(parts, quoted, rng)
    else:
        body = "\n\n".join(parts) if rng.random() < 0.75 else " ".join(parts)
        if quoted:
            body += "\n\n" + quoted
    if priority == "urgent" and rng.random() < 0.1:
        body = body.replace(".", "!", 1)
    if tone == "angry" and rng.random() < 0.15:
        subject, body = subject.upper(), body.upper()

    subject, body = damage(subject, rng), damage(body, rng)
    return {"lang": lang, "subject": subject, "body": body, "text": f"{subject}\n\n{body}",
            "queue": queue, "priority": priority}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--train", type=int, default=40000)
    ap.add_argument("--test", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=20261125)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # Separate generators per split: the held-out split stays the same whatever the train size.
    # val: phrasings and styles of its own (bucket()), for choosing regularisation and class
    # weights on tickets unlike the training ones without touching test_unseen.
    for name, n, seed, split in [("train", args.train, args.seed, "train"), ("test", args.test, args.seed + 1, "train"),
                                 ("test_unseen", args.test, args.seed + 2, "unseen"), ("val", args.test, args.seed + 3, "val")]:
        rng = random.Random(seed)
        with open(args.out / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for i in range(n):
                t = {"id": f"{name}-{i}", **ticket(rng, split)}
                f.write(json.dumps(t, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
