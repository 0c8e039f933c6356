//! Values for the `{slot}` placeholders in the phrase banks: names, numbers, products, errors.
//!
//! Values are drawn once per ticket and reused, so an order number in the subject is the same
//! one the body and `cf_order_number` mention.

use chrono::{DateTime, Datelike, Duration, Utc};

use crate::rng::Rng;

/// Which language a ticket is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    En,
    De,
}

impl Language {
    /// `en` or `de` (the `cf_language` value).
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
        }
    }
}

pub const FIRST_EN: &[&str] = &[
    "Oliver", "Amelia", "Harry", "Isla", "Jack", "Ava", "Noah", "Mia", "Leo", "Grace", "Arthur",
    "Freya", "Priya", "Mohammed", "Chloe", "Daniel", "Sophie", "Ethan", "Zara", "Liam",
];
pub const LAST_EN: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Patel", "Walker",
    "Wright", "Thompson", "Khan", "Murphy", "O'Brien", "Clarke", "Hughes", "Green", "Hall", "Wood",
    "Lewis",
];
pub const FIRST_DE: &[&str] = &[
    "Lukas",
    "Anna",
    "Jonas",
    "Lea",
    "Felix",
    "Hannah",
    "Maximilian",
    "Lena",
    "Paul",
    "Marie",
    "Tobias",
    "Julia",
    "Sebastian",
    "Katrin",
    "Murat",
    "Aylin",
    "Stefan",
    "Sabine",
    "Jürgen",
    "Anja",
];
pub const LAST_DE: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Yılmaz",
    "Zimmermann",
];
pub const COMPANIES_EN: &[&str] = &[
    "Brightwater Logistics Ltd",
    "Northgate Dental",
    "Kestrel Analytics",
    "Harbour & Finch",
    "Oakridge Primary School",
    "Pennine Outdoor Co.",
    "Bluebell Catering",
    "Redline Motors",
    "Saffron Design Studio",
    "Copperleaf Accounting",
];
pub const COMPANIES_DE: &[&str] = &[
    "Müller & Söhne GmbH",
    "Bäckerei Sonnenschein",
    "Nordlicht Logistik GmbH",
    "Praxis Dr. Weber",
    "Alpenblick Hotel KG",
    "Stadtwerke Beispielstadt",
    "Kanzlei Hoffmann & Partner",
    "Werkzeugbau Richter GmbH",
    "Grünfeld Bio-Markt",
    "IT-Systemhaus Koch",
];
const DOMAINS_PRIVATE: &[&str] = &[
    "mail.example",
    "inbox.example",
    "webpost.example",
    "freemail.example",
];
const PRODUCTS: &[&str] = &[
    "Ledgerly",
    "ShipStack",
    "Kalendo",
    "FormForge",
    "PayPilot",
    "Stockwise",
];
const SERVICES: &[&str] = &[
    "ShipStack Cloud",
    "the Kalendo portal",
    "PayPilot Checkout",
    "Ledgerly Web",
    "the SFTP gateway",
    "FormForge API",
];
const SERVICES_DE: &[&str] = &[
    "ShipStack Cloud",
    "das Kalendo-Portal",
    "PayPilot Checkout",
    "Ledgerly Web",
    "der SFTP-Server",
    "die FormForge-API",
];
const ERRORS: &[&str] = &[
    "Error 0x80070005: Access is denied",
    "NullReferenceException at Dashboard.LoadWidgets()",
    "ERR_CONNECTION_RESET",
    "502 Bad Gateway",
    "Session expired (code 440)",
    "java.lang.OutOfMemoryError: Java heap space",
    "SSL handshake failed: certificate has expired",
    "invalid_token: signature mismatch",
    "Unexpected end of JSON input",
    "E_SYNC_CONFLICT on record 88231",
    "Request timed out after 30000 ms",
    "Something went wrong. Please try again later. (ref 7f3a-19c2)",
    "Internal Server Error",
    "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found",
];
const ERRORS_DE: &[&str] = &[
    "Fehler 500 – Interner Serverfehler",
    "Zugriff verweigert (0x80070005)",
    "Die Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    "Verbindung zum Server konnte nicht hergestellt werden",
];
const DEVICES: &[&str] = &[
    "ThinkPad T14",
    "MacBook Air M2",
    "Surface Pro 9",
    "Dell Latitude 5440",
    "iPhone 14",
    "Pixel 8",
    "HP EliteBook 840",
    "Galaxy Tab S8",
];
const APPS_EN: &[&str] = &[
    "desktop app",
    "mobile app",
    "Outlook add-in",
    "browser extension",
    "Windows client",
];
const APPS_DE: &[&str] = &[
    "Desktop-App",
    "Handy-App",
    "Outlook-Erweiterung",
    "Browser-Erweiterung",
    "Windows-Anwendung",
];
const FEATURES_EN: &[&str] = &[
    "recurring invoices",
    "dark mode",
    "bulk editing",
    "custom reports",
    "approval workflows",
    "PDF export",
    "time tracking",
    "two-way calendar sync",
    "audit logs",
];
const FEATURES_DE: &[&str] = &[
    "wiederkehrende Rechnungen",
    "einen Dunkelmodus",
    "Massenbearbeitung",
    "eigene Berichte",
    "Freigabe-Workflows",
    "PDF-Export",
    "Zeiterfassung",
    "Kalender-Synchronisation",
    "Audit-Logs",
];
const PLANS: &[&str] = &["Starter", "Business", "Pro"];
const ITEMS_EN: &[&str] = &[
    "wireless headset",
    "standing desk",
    "office chair",
    "USB-C dock",
    "rain jacket",
    "hiking boots",
    "coffee grinder",
    "label printer",
];
const ITEMS_DE: &[&str] = &[
    "Headset",
    "Stehschreibtisch",
    "Bürostuhl",
    "USB-C-Dock",
    "Regenjacke",
    "Wanderschuhe",
    "Kaffeemühle",
    "Etikettendrucker",
];
const PRINTERS: &[&str] = &[
    "PRN-3OG-01",
    "HP-LaserJet-4F",
    "Kyocera-EG-2",
    "Canon-Empfang",
];
const CITIES_EN: &[&str] = &[
    "Manchester",
    "Leeds",
    "Dublin",
    "Bristol",
    "Glasgow",
    "Edinburgh",
    "Cardiff",
];
const CITIES_DE: &[&str] = &[
    "Hamburg",
    "München",
    "Köln",
    "Leipzig",
    "Stuttgart",
    "Wien",
    "Zürich",
];
const STREETS_EN: &[&str] = &[
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Mill Lane",
];
const STREETS_DE: &[&str] = &[
    "Hauptstraße",
    "Bahnhofstraße",
    "Gartenweg",
    "Lindenallee",
    "Industriestraße",
];
const WEEKDAYS_EN: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const WEEKDAYS_DE: &[&str] = &[
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
];
const MONTHS_EN: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_DE: &[&str] = &[
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const AGENTS: &[&str] = &["Alex", "Jana", "Sam", "support team"];

const SLOT_NAMES: [&str; 29] = [
    "app", "version", "error", "device", "date", "code", "time", "product", "count", "row",
    "feature", "plan", "order", "address", "person", "customer", "asset", "printer", "user",
    "invoice", "amount", "company", "item", "tracking", "service", "city", "weekday", "month",
    "employee",
];

/// Per-ticket slot values, drawn lazily and then fixed.
pub struct Slots {
    pub lang: Language,
    pub created: DateTime<Utc>,
    /// The requester's company (for `{company}` when they have one).
    pub company: Option<&'static str>,
    values: [Option<String>; 30],
}

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

impl Slots {
    pub fn new(lang: Language, created: DateTime<Utc>, company: Option<&'static str>) -> Self {
        Self {
            lang,
            created,
            company,
            values: Default::default(),
        }
    }

    /// The order number, if the text used one.
    pub fn order(&self) -> Option<&str> {
        self.values[12].as_deref()
    }

    fn de(&self) -> bool {
        self.lang == Language::De
    }

    fn draw(&self, name: &str, rng: &mut Rng) -> String {
        let de = self.de();
        let l = |en: &'static [&'static str], de_list: &'static [&'static str]| {
            if de { de_list } else { en }
        };
        match name {
            "app" => rng.pick(l(APPS_EN, APPS_DE)).to_string(),
            "version" => format!("{}.{}.{}", 3 + rng.below(3), rng.below(13), rng.below(21)),
            "error" if de && rng.chance(0.4) => rng.pick(ERRORS_DE).to_string(),
            "error" => rng.pick(ERRORS).to_string(),
            "device" => rng.pick(DEVICES).to_string(),
            "date" => {
                let d = self.created - Duration::days(rng.below(20) as i64);
                if de {
                    format!("{:02}.{:02}.", d.day(), d.month())
                } else {
                    format!("{} {}", d.day(), MONTHS_EN[d.month0() as usize])
                }
            }
            "code" => rng
                .pick(&["500", "502", "503", "401", "403", "429", "504"])
                .to_string(),
            "time" => format!("{:02}:{:02}", 6 + rng.below(16), rng.below(4) * 15),
            "product" => rng.pick(PRODUCTS).to_string(),
            "count" => (2 + rng.below(58)).to_string(),
            "row" => (2 + rng.below(4998)).to_string(),
            "feature" => rng.pick(l(FEATURES_EN, FEATURES_DE)).to_string(),
            "plan" => rng.pick(PLANS).to_string(),
            "order" => match rng.below(3) {
                0 => format!("A-{}-{}", 2023 + rng.below(3), digits(rng, 5)),
                1 => format!("100{}", digits(rng, 5)),
                _ => format!("WEB-{}", digits(rng, 6)),
            },
            "address" => {
                if de {
                    format!(
                        "{} {}, {} {}",
                        rng.pick(STREETS_DE),
                        1 + rng.below(120),
                        digits(rng, 5),
                        rng.pick(CITIES_DE)
                    )
                } else {
                    format!(
                        "{} {}, {}",
                        1 + rng.below(220),
                        rng.pick(STREETS_EN),
                        rng.pick(CITIES_EN)
                    )
                }
            }
            "person" => person_name(self.lang, rng),
            "customer" => format!("K-{}", digits(rng, 6)),
            "asset" => format!("IT-{}", digits(rng, 5)),
            "printer" => rng.pick(PRINTERS).to_string(),
            "user" => {
                let first = rng.pick(l(FIRST_EN, FIRST_DE));
                let last = rng.pick(l(LAST_EN, LAST_DE));
                format!("{}{}", &first[..1], last).to_lowercase()
            }
            "invoice" => format!(
                "{}-{}-{}",
                if de { "RE" } else { "INV" },
                2023 + rng.below(3),
                digits(rng, 5)
            ),
            "amount" => {
                let (units, cents) = (9 + rng.below(2400), rng.below(100));
                if de {
                    format!("{units},{cents:02} €")
                } else {
                    format!("{}{units}.{cents:02}", rng.pick(&["£", "$", "€"]))
                }
            }
            "company" => self
                .company
                .unwrap_or_else(|| rng.pick(l(COMPANIES_EN, COMPANIES_DE)))
                .to_string(),
            "item" => rng.pick(l(ITEMS_EN, ITEMS_DE)).to_string(),
            "tracking" => format!("1Z{}", digits(rng, 16)),
            "service" => rng.pick(l(SERVICES, SERVICES_DE)).to_string(),
            "city" => rng.pick(l(CITIES_EN, CITIES_DE)).to_string(),
            "weekday" => rng.pick(l(WEEKDAYS_EN, WEEKDAYS_DE)).to_string(),
            "month" => rng.pick(l(MONTHS_EN, MONTHS_DE)).to_string(),
            "employee" => digits(rng, 5),
            "agent" => rng.pick(AGENTS).to_string(),
            other => format!("{{{other}}}"),
        }
    }

    /// The value of `{name}`, drawn on first use.
    pub fn get(&mut self, name: &str, rng: &mut Rng) -> String {
        let idx = SLOT_NAMES.iter().position(|n| *n == name).unwrap_or(29);
        if idx == 29 {
            return self.draw(name, rng);
        }
        if let Some(v) = &self.values[idx] {
            return v.clone();
        }
        let v = self.draw(name, rng);
        self.values[idx] = Some(v.clone());
        v
    }

    /// Appends `template` with its placeholders filled.
    pub fn fill_into(&mut self, template: &str, rng: &mut Rng, out: &mut String) {
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    out.push_str(&self.get(&after[..end], rng));
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }

    /// `template` with its placeholders filled.
    pub fn fill(&mut self, template: &str, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(template.len() + 16);
        self.fill_into(template, rng, &mut s);
        s
    }
}

/// A full name in the language.
pub fn person_name(lang: Language, rng: &mut Rng) -> String {
    match lang {
        Language::En => format!("{} {}", rng.pick(FIRST_EN), rng.pick(LAST_EN)),
        Language::De => format!("{} {}", rng.pick(FIRST_DE), rng.pick(LAST_DE)),
    }
}

/// An e-mail address for a person, at their company's domain or a mail provider.
pub fn email_for(name: &str, company: Option<&str>, rng: &mut Rng) -> String {
    let local: String = name
        .to_lowercase()
        .replace(' ', ".")
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
        .replace('ı', "i")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let domain = match company {
        Some(c) => {
            let base: String = c
                .to_lowercase()
                .replace('ä', "ae")
                .replace('ö', "oe")
                .replace('ü', "ue")
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(18)
                .collect();
            format!("{base}.example")
        }
        None => rng.pick(DOMAINS_PRIVATE).to_string(),
    };
    let n = rng.below(100);
    if company.is_none() && n < 40 {
        format!("{local}{n}@{domain}")
    } else {
        format!("{local}@{domain}")
    }
}
