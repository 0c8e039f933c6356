//! Ticket text as a classifier should see it: one function used both when a model is trained
//! (`triage train`) and when it classifies (the pipeline, `triage classify --jsonl`), so the
//! two never drift apart.
//!
//! What goes: HTML markup (converted to text, quoted `<blockquote>`s dropped), quoted earlier
//! mail (`On … wrote:`, `Am … schrieb …:`, `-----Original Message-----`, forwarded-message
//! markers, Outlook `From:`/`Sent:` header blocks, `>` lines), signatures (a `-- ` line, a
//! sign-off such as "Best regards" / "Mit freundlichen Grüßen" followed only by a short name
//! block, "Sent from my iPhone"). Those parts are long, shared by every class, and often about
//! another topic than the new message (a reply quoting last month's invoice thread).
//!
//! What stays: the subject (prefixes like `Re:` included: the models learnt them) and the new
//! message. When cleaning would leave an empty body (a mail that is only a quote), the
//! uncleaned body is kept: some text beats none.
//!
//! Whether a model gets cleaned or raw text is the model's choice (`config.json` `"text"`,
//! see [`TextForm`]); cleaned is the default.

use std::sync::LazyLock;

use regex::Regex;

/// Which text a model reads; from `config.json` `"text"` (`"clean"`, the default, or `"raw"`).
///
/// Clean is the default for every model, the bundled ones included, although those were trained
/// on raw text: measured with `cargo bench -p triage-classifier --bench text_form`, cleaning
/// raised their accuracy everywhere (queue: simulator tickets 0.769 → 0.786, hand-written
/// sets +0.8 to +1.5 points; priority +0.4 to +2.3 points). `"raw"` is there for a model that
/// was trained on uncleaned text and is hurt by cleaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextForm {
    /// Subject + "\n\n" + body as the ticket system returns it (HTML converted to text only
    /// when there is no plain-text body).
    Raw,
    /// [`clean_body`] applied to the body.
    #[default]
    Clean,
}

impl TextForm {
    /// The value written to `config.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::Clean => "clean",
        }
    }

    /// Parses a `config.json` value.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "raw" => Some(Self::Raw),
            "clean" => Some(Self::Clean),
            _ => None,
        }
    }
}

/// The text a model of form `form` reads for a ticket: subject, a blank line, the body.
///
/// `body_text` wins over `body_html` when it has content; HTML is turned into text.
pub fn ticket_text(
    subject: &str,
    body_text: Option<&str>,
    body_html: Option<&str>,
    form: TextForm,
) -> String {
    let body = match (body_text.filter(|b| !b.trim().is_empty()), body_html) {
        (Some(text), _) => text.to_string(),
        (None, Some(html)) if !html.trim().is_empty() => html_to_text(html, form),
        _ => String::new(),
    };
    let body = match form {
        TextForm::Raw => body,
        TextForm::Clean => clean_body(&body),
    };
    let body = body.trim();
    if body.is_empty() {
        subject.to_string()
    } else {
        format!("{subject}\n\n{body}")
    }
}

/// Drops quoted earlier mail and signatures from a plain-text body (see the module docs).
/// HTML is converted first when the body looks like markup.
pub fn clean_body(body: &str) -> String {
    let text = if looks_like_html(body) {
        html_to_text(body, TextForm::Clean)
    } else {
        body.replace("\r\n", "\n")
    };
    let lines: Vec<&str> = text.lines().collect();
    let end = quote_start(&lines).unwrap_or(lines.len());
    let kept: Vec<&str> = lines[..end]
        .iter()
        .copied()
        .filter(|l| !l.trim_start().starts_with('>'))
        .filter(|l| !SENT_FROM.is_match(l.trim()))
        .collect();
    let end = signature_start(&kept).unwrap_or(kept.len());
    let cleaned = squeeze_blank_lines(&kept[..end]);
    if cleaned.trim().is_empty() {
        squeeze_blank_lines(&lines)
    } else {
        cleaned
    }
}

/// `On Mon, 3 Mar 2025 at 10:04, Jane <jane@x.com> wrote:` (mail clients wrap it over two
/// lines, so a line is also tried joined with the next).
static ON_WROTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*on\s.{4,250}\swrote:\s*$").unwrap());
/// `Am 03.03.2025 um 10:04 schrieb Max Muster <max@x.de>:`
static AM_SCHRIEB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*am\s.{4,250}\sschrieb\b.{0,200}:\s*$").unwrap());
/// `-----Original Message-----`, `---------- Forwarded message ---------`, German variants.
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*-{2,}\s*(original message|forwarded message|ursprüngliche nachricht|urspr.ngliche nachricht|weitergeleitete nachricht|original-nachricht)\s*-{2,}",
    )
    .unwrap()
});
/// The first line of an Outlook header block.
static HEADER_FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*\*?(from|von)\s*:\*?\s+\S").unwrap());
/// A later line of the same block.
static HEADER_NEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*\*?(sent|date|gesendet|datum|to|an|subject|betreff|cc)\s*:\*?\s*").unwrap()
});
/// Mobile clients' footers.
static SENT_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(sent from my \w+.*|von meinem \w+ gesendet\.?|gesendet von meinem \w+.*|get outlook for \w+)$").unwrap()
});
/// A sign-off on a line of its own (optionally followed by a comma or a name on the same line).
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(best regards|kind regards|warm regards|regards|best wishes|best|cheers|thanks( (a lot|again|in advance))?|thank you( (very much|in advance))?|many thanks|sincerely|yours sincerely|yours|mit freundlichen gr(ü|ue|u)(ß|ss)en|freundliche gr(ü|ue|u)(ß|ss)e|viele gr(ü|ue|u)(ß|ss)e|beste gr(ü|ue|u)(ß|ss)e|liebe gr(ü|ue|u)(ß|ss)e|sch(ö|oe|o)ne gr(ü|ue|u)(ß|ss)e|gr(ü|ue|u)(ß|ss)e|gru(ß|ss)|mfg|lg|vg|danke( sch(ö|oe|o)n)?|vielen dank( im voraus)?)\s*[,.!]?\s*(?-i:[A-ZÄÖÜ][\w.\-]*( [A-ZÄÖÜ][\w.\-]*)?)?\s*$",
    )
    .unwrap()
});

/// Most non-empty lines a name block after a sign-off may have (name, role, company, phone,
/// address, a disclaimer paragraph); more means the "Thanks," was mid-message.
const MAX_SIGNATURE_LINES: usize = 12;

/// The first line of quoted earlier mail, if any.
fn quote_start(lines: &[&str]) -> Option<usize> {
    for (i, line) in lines.iter().enumerate() {
        let joined = lines
            .get(i + 1)
            .map(|next| format!("{} {}", line.trim_end(), next.trim()));
        let header =
            |re: &Regex| re.is_match(line) || joined.as_deref().is_some_and(|j| re.is_match(j));
        if SEPARATOR.is_match(line) || header(&ON_WROTE) || header(&AM_SCHRIEB) {
            return Some(i);
        }
        if HEADER_FROM.is_match(line)
            && lines[i + 1..]
                .iter()
                .take(4)
                .any(|l| HEADER_NEXT.is_match(l))
        {
            // An underscore rule right above the block belongs to it.
            let above = lines[..i].iter().rposition(|l| !l.trim().is_empty());
            return Some(match above {
                Some(a) if lines[a].trim().chars().all(|c| c == '_' || c == '-') => a,
                _ => i,
            });
        }
    }
    None
}

/// The first line of the signature, if any: a `-- ` delimiter, or the last sign-off line that
/// is followed by no more than [`MAX_SIGNATURE_LINES`] non-empty lines.
fn signature_start(lines: &[&str]) -> Option<usize> {
    if let Some(i) = lines.iter().position(|l| l.trim_end() == "--") {
        return Some(i);
    }
    let mut found = None;
    for (i, line) in lines.iter().enumerate() {
        if !SIGN_OFF.is_match(line) || i == 0 {
            continue;
        }
        let after = lines[i + 1..]
            .iter()
            .filter(|l| !l.trim().is_empty())
            .count();
        if after <= MAX_SIGNATURE_LINES {
            found = Some(i);
            break;
        }
    }
    found
}

fn squeeze_blank_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in lines {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

fn looks_like_html(text: &str) -> bool {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)<(html|body|div|p|br|table|span|blockquote|font|a\s)[\s/>]").unwrap()
    });
    TAG.is_match(text)
}

/// HTML to plain text: block elements become line breaks, entities are decoded, scripts,
/// styles and comments vanish. With [`TextForm::Clean`] `<blockquote>` elements (quoted mail
/// in Gmail, Outlook web, Thunderbird) and Gmail's quote container are dropped too.
pub fn html_to_text(html: &str, form: TextForm) -> String {
    static DROP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?is)<!--.*?-->|<(script|style|head|title)\b.*?</(script|style|head|title)\s*>",
        )
        .unwrap()
    });
    static BREAK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)<\s*(br|/p|/div|/li|/tr|/h[1-6]|/table|/blockquote|hr|p|div|li|tr|h[1-6])\b[^>]*>").unwrap()
    });
    static CELL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)</t[dh]\s*>").unwrap());
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
    let mut text = DROP.replace_all(html, "").into_owned();
    if form == TextForm::Clean {
        text = drop_quotes(&text);
    }
    let text = BREAK.replace_all(&text, "\n");
    let text = CELL.replace_all(&text, "\t");
    let text = TAG.replace_all(&text, "");
    let decoded = decode_entities(&text);
    let lines: Vec<&str> = decoded.lines().map(str::trim).collect();
    squeeze_blank_lines(&lines)
}

/// Removes `<blockquote>…</blockquote>` (nesting-aware) and everything from Gmail's
/// `<div class="gmail_quote">` on.
fn drop_quotes(html: &str) -> String {
    static GMAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?i)<div[^>]*class\s*=\s*["']?[^"'>]*(gmail_quote|moz-cite-prefix|divRplyFwdMsg)"#,
        )
        .unwrap()
    });
    static QUOTE_TAG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)<(/?)blockquote\b[^>]*>").unwrap());
    let html = match GMAIL.find(html) {
        Some(m) => &html[..m.start()],
        None => html,
    };
    let mut out = String::with_capacity(html.len());
    let mut depth = 0usize;
    let mut last = 0;
    for m in QUOTE_TAG.captures_iter(html) {
        let whole = m.get(0).expect("group 0");
        let closing = !m[1].is_empty();
        if depth == 0 && !closing {
            out.push_str(&html[last..whole.start()]);
        }
        depth = if closing {
            depth.saturating_sub(1)
        } else {
            depth + 1
        };
        last = whole.end();
    }
    if depth == 0 {
        out.push_str(&html[last..]);
    }
    out
}

fn decode_entities(text: &str) -> String {
    static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});").unwrap()
    });
    ENTITY
        .replace_all(text, |c: &regex::Captures<'_>| {
            let name = &c[1];
            let ch = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
            {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                named_entity(name)
            };
            ch.map_or_else(|| c[0].to_string(), String::from)
        })
        .into_owned()
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "euro" => '€',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "copy" => '©',
        _ => return None,
    })
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
