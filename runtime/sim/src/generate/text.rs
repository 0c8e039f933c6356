//! Composes one ticket's subject and body from a language's phrase banks.
//!
//! A ticket is a random walk through optional parts (greeting, opener, 1–3 problem sentences,
//! an urgency cue that usually but not always matches the true priority, closing, signature,
//! "sent from my phone", a quoted earlier reply), then some human noise (typos, no capitals).
//! A share of tickets is vague on purpose: a classifier should be unsure about those.

use crate::freshdesk::Priority;
use crate::rng::Rng;

use super::slots::Slots;

/// One situation customers write about: subject variants and sentences to draw from.
pub struct Scenario {
    pub subjects: &'static [&'static str],
    pub lines: &'static [&'static str],
}

/// The scenarios of one queue.
pub struct QueueText {
    pub queue: &'static str,
    pub scenarios: &'static [Scenario],
}

/// Everything language-specific.
pub struct Lang {
    pub queues: &'static [QueueText],
    pub greetings: &'static [&'static str],
    pub openers: &'static [&'static str],
    pub closings: &'static [&'static str],
    pub signature_roles: &'static [&'static str],
    pub phone_prefix: &'static str,
    pub sent_from: &'static [&'static str],
    pub quote_header: &'static str,
    pub quoted_lines: &'static [&'static str],
    pub reply_prefix: &'static str,
    pub forward_prefix: &'static str,
    /// Cues by priority, low first.
    pub urgency: [&'static [&'static str]; 4],
    pub urgent_subject_prefixes: &'static [&'static str],
    pub vague_subjects: &'static [&'static str],
    pub vague_lines: &'static [&'static str],
}

/// A composed ticket text.
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Who writes: used for the signature.
pub struct Writer<'a> {
    pub name: &'a str,
    pub company: Option<&'a str>,
}

/// Knobs for the text noise.
#[derive(Debug, Clone, Copy)]
pub struct Noise {
    pub vague_share: f64,
    pub typo_share: f64,
}

fn capitalize(s: &mut String) {
    if let Some(c) = s.chars().next()
        && c.is_lowercase()
    {
        let upper: String = c.to_uppercase().collect();
        s.replace_range(..c.len_utf8(), &upper);
    }
}

/// Introduces 1–3 realistic typos: swapped, dropped or doubled letters inside longer words.
fn typos(s: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..1 + rng.below(3) {
        if chars.len() < 8 {
            break;
        }
        let i = 1 + rng.below(chars.len() - 3);
        if !(chars[i].is_alphabetic()
            && chars[i + 1].is_alphabetic()
            && chars[i - 1].is_alphabetic())
        {
            continue;
        }
        match rng.below(3) {
            0 => chars.swap(i, i + 1),
            1 => {
                chars.remove(i);
            }
            _ => chars.insert(i, chars[i]),
        }
    }
    chars.into_iter().collect()
}

fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            _ => out.push(c),
        }
    }
}

/// Composes a ticket about `queue` (one of the queue names) at `priority`.
pub fn compose(
    lang: &Lang,
    queue: &str,
    priority: Priority,
    writer: &Writer<'_>,
    slots: &mut Slots,
    noise: Noise,
    rng: &mut Rng,
) -> Composed {
    let scenarios = lang
        .queues
        .iter()
        .find(|q| q.queue == queue)
        .map_or(lang.queues[0].scenarios, |q| q.scenarios);
    let scenario = &scenarios[rng.below(scenarios.len())];
    let vague = rng.chance(noise.vague_share);

    let mut subject = if vague {
        (*rng.pick(lang.vague_subjects)).to_owned()
    } else {
        slots.fill(rng.pick(scenario.subjects), rng)
    };
    if priority == Priority::Urgent && rng.chance(0.35) {
        subject.insert_str(0, rng.pick(lang.urgent_subject_prefixes));
    } else if rng.chance(0.08) {
        subject.insert_str(0, lang.reply_prefix);
    } else if rng.chance(0.03) {
        subject.insert_str(0, lang.forward_prefix);
    }
    if rng.chance(0.04) {
        subject = subject.to_lowercase();
    }

    let mut paragraphs: Vec<String> = Vec::with_capacity(7);
    if rng.chance(0.85) {
        paragraphs.push(slots.fill(rng.pick(lang.greetings), rng));
        if rng.chance(0.25) {
            paragraphs.push((*rng.pick(lang.openers)).to_owned());
        }
    }

    let mut core = String::with_capacity(256);
    if vague {
        core.push_str(rng.pick(lang.vague_lines));
        if rng.chance(0.4) {
            core.push(' ');
            let mut hint = slots.fill(rng.pick(scenario.lines), rng);
            capitalize(&mut hint);
            core.push_str(&hint);
        }
    } else {
        let n = (1 + rng.below(3)).min(scenario.lines.len());
        let mut picked: Vec<usize> = Vec::with_capacity(n);
        while picked.len() < n {
            let i = rng.below(scenario.lines.len());
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        picked.sort_unstable();
        for (k, i) in picked.into_iter().enumerate() {
            if k > 0 {
                core.push_str(if rng.chance(0.25) { "\n\n" } else { " " });
            }
            let mut line = slots.fill(scenario.lines[i], rng);
            capitalize(&mut line);
            if line.ends_with(|c: char| c.is_alphanumeric()) {
                line.push('.');
            }
            core.push_str(&line);
        }
    }
    if rng.chance(0.72) {
        let level = priority as usize - 1;
        let level = if rng.chance(0.18) {
            if level == 0 || (level < 3 && rng.chance(0.5)) {
                level + 1
            } else {
                level - 1
            }
        } else {
            level
        };
        core.push_str(if rng.chance(0.5) { " " } else { "\n\n" });
        core.push_str(rng.pick(lang.urgency[level]));
    }
    if rng.chance(noise.typo_share) {
        core = typos(&core, rng);
    }
    if rng.chance(0.05) {
        core = core.to_lowercase();
    }
    paragraphs.push(core);

    let closed = rng.chance(0.8);
    if closed {
        paragraphs.push((*rng.pick(lang.closings)).to_owned());
    }
    if rng.chance(0.65) {
        let mut sig = String::from(writer.name);
        let role = rng.pick(lang.signature_roles);
        if !role.is_empty() {
            sig.push('\n');
            sig.push_str(role);
        }
        if let Some(c) = writer.company {
            sig.push('\n');
            sig.push_str(c);
        }
        if rng.chance(0.5) {
            sig.push('\n');
            sig.push_str(lang.phone_prefix);
            sig.push_str(&format!(
                "{} {}",
                1000 + rng.below(9000),
                1000 + rng.below(9000)
            ));
        }
        // A signature follows the closing line directly.
        match paragraphs.last_mut() {
            Some(last) if closed => {
                last.push('\n');
                last.push_str(&sig);
            }
            _ => paragraphs.push(sig),
        }
    } else if rng.chance(0.3) {
        paragraphs.push((*rng.pick(lang.sent_from)).to_owned());
    }

    let quoted = rng.chance(0.12).then(|| {
        let mut q = slots.fill(lang.quote_header, rng);
        for _ in 0..1 + rng.below(2) {
            q.push_str("\n> ");
            q.push_str(rng.pick(lang.quoted_lines));
        }
        q
    });

    let mut text = paragraphs.join("\n\n");
    let mut html = String::with_capacity(text.len() + 64);
    for p in &paragraphs {
        html.push_str("<div>");
        escape_html(p, &mut html);
        html.push_str("</div><div><br></div>");
    }
    if let Some(q) = quoted {
        text.push_str("\n\n");
        text.push_str(&q);
        html.push_str("<blockquote>");
        escape_html(&q, &mut html);
        html.push_str("</blockquote>");
    }
    Composed {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_change_little() {
        let mut rng = Rng::new(3);
        let s = "The import stops at row twelve with an error message";
        let t = typos(s, &mut rng);
        assert!(t.len().abs_diff(s.len()) <= 3);
    }
}
