//! Sample data: a backlog of realistic English and German tickets of any size, from a seed.
//!
//! Each ticket keeps its *true* queue and priority in [`Dataset::truth`] while its visible
//! `group_id` is unset and its `priority` is the default (1, Low), so a demo can classify the
//! backlog and measure accuracy against the truth. Timestamps are spread the way a real account
//! looks: ids grow with `created_at`, some tickets are older than the 30-day list window, and many
//! share an `updated_at` second (automation sweeps), which paging by `updated_since` must handle.
//!
//! Generation is a single pass of cheap string building: tens of thousands of tickets per second
//! even unoptimised, so tests can make a backlog beyond the 300-page cap on the fly.

mod corpus_de;
mod corpus_en;
mod slots;
mod text;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::freshdesk::{Contact, Dataset, Priority, QUEUES, Ticket, Truth};
use crate::rng::Rng;
use slots::{COMPANIES_DE, COMPANIES_EN, Language, Slots};
use text::{Noise, Writer};

pub use slots::Language as TextLanguage;

/// Requester ids start here.
pub const CONTACT_ID_BASE: u64 = 43_001_000_001;
/// Company ids start here.
pub const COMPANY_ID_BASE: u64 = 43_002_000_001;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub count: usize,
    pub seed: u64,
    /// "Now" for the timestamps; `None` means the current time.
    pub anchor: Option<DateTime<Utc>>,
    /// Share of German tickets (the rest are English).
    pub german_share: f64,
    /// Share of tickets created within the last 30 days (the list endpoint's default window).
    pub recent_share: f64,
    /// Share of tickets that are deliberately vague.
    pub vague_share: f64,
    /// Share of tickets with typos.
    pub typo_share: f64,
    /// Share of tickets whose `updated_at` is an automation sweep shared with others.
    pub sweep_share: f64,
    /// Share of tickets marked spam (hidden from the default list).
    pub spam_share: f64,
    /// Id of the first ticket.
    pub first_id: u64,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        Self {
            count: 100,
            seed: 1,
            anchor: None,
            german_share: 0.35,
            recent_share: 0.6,
            vague_share: 0.06,
            typo_share: 0.2,
            sweep_share: 0.45,
            spam_share: 0.0,
            first_id: 1,
        }
    }
}

impl GenerateOptions {
    /// `count` tickets from `seed`, other knobs default.
    pub fn new(count: usize, seed: u64) -> Self {
        Self {
            count,
            seed,
            ..Self::default()
        }
    }
}

/// Relative frequency of each queue (same order as [`QUEUES`]).
const QUEUE_WEIGHTS: [u32; 10] = [16, 12, 13, 10, 12, 9, 6, 8, 6, 8];

/// Priority weights (low, medium, high, urgent) per queue.
const PRIORITY_WEIGHTS: [[u32; 4]; 10] = [
    [15, 35, 35, 15],
    [35, 45, 15, 5],
    [25, 45, 22, 8],
    [20, 40, 28, 12],
    [20, 45, 28, 7],
    [25, 50, 20, 5],
    [5, 20, 40, 35],
    [30, 45, 20, 5],
    [35, 45, 15, 5],
    [45, 40, 12, 3],
];

struct Person {
    id: u64,
    lang: Language,
    name: String,
    company: Option<(u64, &'static str)>,
}

fn people(count: usize, opts: &GenerateOptions) -> Vec<Person> {
    let mut rng = Rng::new(opts.seed ^ 0xC0FFEE);
    let n = (count / 3).clamp(1, 20_000);
    (0..n)
        .map(|i| {
            let lang = if rng.chance(opts.german_share) {
                Language::De
            } else {
                Language::En
            };
            let companies = if lang == Language::De {
                COMPANIES_DE
            } else {
                COMPANIES_EN
            };
            let company = rng.chance(0.55).then(|| {
                let k = rng.below(companies.len());
                let offset = if lang == Language::De { 100 } else { 0 };
                (COMPANY_ID_BASE + offset + k as u64, companies[k])
            });
            Person {
                id: CONTACT_ID_BASE + i as u64,
                lang,
                name: slots::person_name(lang, &mut rng),
                company,
            }
        })
        .collect()
}

/// Creation times, oldest first, relative to `anchor`.
fn created_times(opts: &GenerateOptions, anchor: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut rng = Rng::new(opts.seed ^ 0x7157);
    let mut ages: Vec<i64> = (0..opts.count)
        .map(|_| {
            if rng.chance(opts.recent_share) {
                // Within the window, a little skewed towards today.
                let u = rng.unit();
                (u * u.sqrt() * 29.5 * 86_400.0) as i64 + 30
            } else {
                (31 * 86_400) + rng.below(370 * 86_400) as i64
            }
        })
        .collect();
    ages.sort_unstable_by(|a, b| b.cmp(a));
    let mut out: Vec<DateTime<Utc>> = Vec::with_capacity(ages.len());
    for age in ages {
        let t = anchor - Duration::seconds(age);
        // Imports and mail bursts: some tickets arrive in the same second as the previous one.
        match out.last() {
            Some(prev) if rng.chance(0.05) => out.push(*prev),
            _ => out.push(t),
        }
    }
    out
}

/// Last update: either an individual touch or the next two-hourly automation sweep.
fn updated_time(
    created: DateTime<Utc>,
    anchor: DateTime<Utc>,
    sweep: bool,
    rng: &mut Rng,
) -> DateTime<Utc> {
    let room = (anchor - created).num_seconds().max(0);
    if sweep {
        let after = created.timestamp() + rng.below(2 * 86_400) as i64;
        let slot = 2 * 3600;
        let t = (after / slot + 1) * slot;
        let t = DateTime::from_timestamp(t, 0).unwrap_or(anchor);
        if t <= anchor { t } else { created }
    } else {
        let span = room.min(5 * 86_400) as f64 * 0.4;
        created + Duration::seconds((rng.unit() * span) as i64)
    }
}

fn visible_status(rng: &mut Rng) -> u32 {
    [2, 3, 4, 5, 6][rng.weighted(&[82, 6, 6, 4, 2])]
}

/// Generates a data set; the same options always give the same tickets (for a fixed `anchor`).
pub fn generate(opts: &GenerateOptions) -> Dataset {
    let anchor = crate::freshdesk::whole_seconds(opts.anchor.unwrap_or_else(Utc::now));
    let people = people(opts.count, opts);
    let created = created_times(opts, anchor);
    let noise = Noise {
        vague_share: opts.vague_share,
        typo_share: opts.typo_share,
    };
    let mut tickets = Vec::with_capacity(opts.count);
    let mut truth = BTreeMap::new();
    let mut used_people = vec![false; people.len()];
    for (i, created_at) in created.into_iter().enumerate() {
        let id = opts.first_id + i as u64;
        let mut rng = Rng::new(opts.seed.wrapping_mul(0x9E37_79B9).wrapping_add(id));
        let person_idx = rng.below(people.len());
        used_people[person_idx] = true;
        let person = &people[person_idx];
        let queue = rng.weighted(&QUEUE_WEIGHTS);
        let priority = Priority::ALL[rng.weighted(&PRIORITY_WEIGHTS[queue])];
        let lang = match person.lang {
            Language::En => &corpus_en::EN,
            Language::De => &corpus_de::DE,
        };
        let mut slots = Slots::new(person.lang, created_at, person.company.map(|c| c.1));
        let writer = Writer {
            name: &person.name,
            company: person.company.map(|c| c.1),
        };
        let composed = text::compose(
            lang,
            QUEUES[queue],
            priority,
            &writer,
            &mut slots,
            noise,
            &mut rng,
        );
        let updated_at = updated_time(created_at, anchor, rng.chance(opts.sweep_share), &mut rng);
        let mut custom = BTreeMap::new();
        custom.insert(
            "cf_order_number".to_owned(),
            slots
                .order()
                .map_or(Value::Null, |o| Value::String(o.to_owned())),
        );
        custom.insert(
            "cf_language".to_owned(),
            Value::String(person.lang.code().to_owned()),
        );
        custom.insert(
            "cf_support_plan".to_owned(),
            match rng.below(4) {
                0 => Value::Null,
                1 => Value::String("Basic".into()),
                2 => Value::String("Premium".into()),
                _ => Value::String("Enterprise".into()),
            },
        );
        custom.insert("cf_triage_confidence".to_owned(), Value::Null);
        custom.insert("cf_vip".to_owned(), Value::Bool(rng.chance(0.05)));
        let mut tags = Vec::new();
        if rng.chance(0.2) {
            tags.push(
                (*rng.pick(&[
                    "web",
                    "mobile",
                    "phone-followup",
                    "newsletter",
                    "returning-customer",
                ]))
                .to_owned(),
            );
        }
        if rng.chance(0.05) {
            tags.push("vip".to_owned());
        }
        tickets.push(Ticket {
            id,
            subject: composed.subject,
            description: composed.html,
            description_text: composed.text,
            status: visible_status(&mut rng),
            priority: Priority::Low.code(),
            source: [1, 2, 3, 7, 9][rng.weighted(&[60, 22, 7, 9, 2])],
            ticket_type: [
                None,
                Some("Question"),
                Some("Incident"),
                Some("Problem"),
                Some("Feature Request"),
                Some("Refund"),
            ][rng.weighted(&[55, 18, 14, 6, 4, 3])]
            .map(str::to_owned),
            group_id: None,
            responder_id: None,
            requester_id: person.id,
            company_id: person.company.map(|c| c.0),
            product_id: None,
            tags,
            custom_fields: custom,
            spam: rng.chance(opts.spam_share),
            deleted: false,
            is_escalated: false,
            due_by: created_at + Duration::days(3),
            fr_due_by: created_at + Duration::days(1),
            created_at,
            updated_at,
        });
        truth.insert(
            id,
            Truth {
                queue: QUEUES[queue].to_owned(),
                priority,
            },
        );
    }
    let mut email_rng = Rng::new(opts.seed ^ 0xE3A1);
    let contacts = people
        .iter()
        .zip(used_people)
        .filter(|(_, used)| *used)
        .map(|(p, _)| Contact {
            id: p.id,
            name: p.name.clone(),
            email: slots::email_for(&p.name, p.company.map(|c| c.1), &mut email_rng),
            company_id: p.company.map(|c| c.0),
        })
        .collect();
    Dataset {
        tickets,
        contacts,
        truth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed() -> GenerateOptions {
        GenerateOptions {
            anchor: crate::freshdesk::parse_time("2026-03-01T12:00:00Z"),
            ..GenerateOptions::new(400, 9)
        }
    }

    #[test]
    fn every_queue_has_text_in_both_languages() {
        for lang in [&corpus_en::EN, &corpus_de::DE] {
            let names: Vec<&str> = lang.queues.iter().map(|q| q.queue).collect();
            assert_eq!(names, QUEUES);
            assert!(lang.queues.iter().all(|q| !q.scenarios.is_empty()));
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(generate(&fixed()), generate(&fixed()));
        let other = generate(&GenerateOptions {
            seed: 10,
            ..fixed()
        });
        assert_ne!(
            generate(&fixed()).tickets[0].subject,
            other.tickets[0].subject
        );
    }

    #[test]
    fn realistic_spread() {
        let d = generate(&fixed());
        let anchor = fixed().anchor.unwrap();
        assert_eq!(d.tickets.len(), 400);
        assert_eq!(d.truth.len(), 400);
        let old = d
            .tickets
            .iter()
            .filter(|t| anchor - t.created_at > Duration::days(30))
            .count();
        assert!((80..250).contains(&old), "{old}");
        assert!(
            d.tickets
                .windows(2)
                .all(|w| w[0].created_at <= w[1].created_at)
        );
        assert!(
            d.tickets
                .iter()
                .all(|t| t.updated_at >= t.created_at && t.updated_at <= anchor)
        );
        assert!(
            d.tickets
                .iter()
                .all(|t| t.group_id.is_none() && t.priority == 1)
        );
        let mut seen = std::collections::HashMap::new();
        for t in &d.tickets {
            *seen.entry(t.updated_at).or_insert(0) += 1;
        }
        assert!(
            seen.values().any(|n| *n >= 3),
            "ties in updated_at expected"
        );
        let de = d
            .tickets
            .iter()
            .filter(|t| t.custom_fields["cf_language"] == "de")
            .count();
        assert!((60..250).contains(&de), "{de}");
        let queues: std::collections::HashSet<_> =
            d.truth.values().map(|t| t.queue.clone()).collect();
        assert_eq!(queues.len(), 10);
        for t in &d.tickets {
            assert!(!t.subject.is_empty() && !t.description_text.is_empty());
            assert!(!t.description_text.contains('{'), "{}", t.description_text);
            assert!(!t.subject.contains('{'), "{}", t.subject);
        }
    }
}
