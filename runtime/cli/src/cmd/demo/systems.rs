//! The simulators `triage demo --system` can run against, and how a connection to each is
//! written: the same `auth` and `settings` an operator writes (see `examples/*.yml`), with
//! the secrets in files next to the demo's configuration.

use triage_sim::freshdesk::{Accuracy, Dataset};

/// A ticket system with a simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum System {
    Freshdesk,
    Zammad,
    Otobo,
    Redmine,
    Zendesk,
    Gitlab,
}

impl System {
    /// The adapter's artifact name (`dist/adapters/<name>.wasm`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Freshdesk => "freshdesk",
            Self::Zammad => "zammad",
            Self::Otobo => "otobo",
            Self::Redmine => "redmine",
            Self::Zendesk => "zendesk",
            Self::Gitlab => "gitlab",
        }
    }
}

/// A running simulator and the connection to it. Dropping it stops the simulator.
pub struct Running {
    pub title: &'static str,
    pub base_url: String,
    pub tickets: usize,
    /// The connection's `auth:` value (flow YAML).
    pub auth: String,
    /// The connection's `settings:` value (flow YAML).
    pub settings: String,
    /// `, mapping: {…}` from the model's labels (low/medium/high/urgent) to the system's
    /// priority names, where they differ.
    pub priority_mapping: String,
    /// The tag the demo writes (OTOBO's tags are a multiselect field with fixed values).
    pub tag: &'static str,
    /// Files the `auth` reads its secrets from: (name, content).
    pub secret_files: Vec<(&'static str, String)>,
    /// Visible queue/priority against the true labels, where the simulator measures it.
    pub accuracy: Box<dyn Fn() -> Option<Accuracy>>,
}

fn base_url_setting(url: &str) -> String {
    format!("{{ base_url: \"{url}\" }}")
}

/// Starts `system`'s simulator holding `data`.
pub async fn start(system: System, data: Dataset) -> anyhow::Result<Running> {
    let tickets = data.tickets.len();
    Ok(match system {
        System::Freshdesk => {
            use triage_sim::freshdesk::{FreshdeskSim, SimConfig};
            let sim = FreshdeskSim::start(SimConfig::default().with_data(data)).await?;
            let base_url = sim.base_url().to_owned();
            Running {
                tag: "triage",
                priority_mapping: String::new(),
                title: "Freshdesk API",
                settings: base_url_setting(&base_url),
                base_url,
                tickets: sim.ticket_count(),
                auth: "{ basic: { username: { file: api.key }, password: { value: X } } }".into(),
                secret_files: vec![("api.key", sim.api_key().to_owned())],
                accuracy: Box::new(move || Some(sim.accuracy())),
            }
        }
        System::Zendesk => {
            use triage_sim::zendesk::{SimConfig, ZendeskSim};
            let sim = ZendeskSim::start(SimConfig::default().with_data(data)).await?;
            let base_url = sim.base_url().to_owned();
            Running {
                tag: "triage",
                priority_mapping: String::new(),
                title: "Zendesk Support API v2",
                settings: base_url_setting(&base_url),
                base_url,
                tickets: sim.ticket_count(),
                auth: format!(
                    "{{ basic: {{ username: {{ value: \"{}/token\" }}, password: {{ file: api.token }} }} }}",
                    sim.email()
                ),
                secret_files: vec![("api.token", sim.api_token().to_owned())],
                accuracy: Box::new(move || Some(sim.accuracy())),
            }
        }
        System::Gitlab => {
            use triage_sim::gitlab::{GitlabSim, SimConfig};
            let sim = GitlabSim::start(SimConfig::default().with_data(data)).await?;
            let base_url = sim.base_url().to_owned();
            Running {
                tag: "triage",
                priority_mapping: String::new(),
                title: "GitLab issues API v4",
                settings: format!(
                    "{{ base_url: \"{base_url}\", project: \"{}\" }}",
                    sim.project_path()
                ),
                base_url,
                tickets: sim.issue_count(),
                auth: "{ header: { name: PRIVATE-TOKEN, value: { file: gitlab.token } } }".into(),
                secret_files: vec![("gitlab.token", sim.token().to_owned())],
                accuracy: Box::new(move || Some(sim.accuracy())),
            }
        }
        System::Zammad => {
            use triage_sim::zammad::{SimConfig, ZammadSim};
            // An admin's token, so `list-queues` has the group ids.
            let sim = ZammadSim::start(SimConfig::default().with_data(data).as_admin()).await?;
            let base_url = sim.base_url().to_owned();
            Running {
                tag: "triage",
                priority_mapping:
                    ", mapping: { low: \"1 low\", medium: \"2 normal\", \"*\": \"3 high\" }".into(),
                title: "Zammad REST API",
                settings: base_url_setting(&base_url),
                base_url,
                tickets: sim.ticket_count(),
                auth: "{ header: { name: Authorization, value: { file: zammad.auth } } }".into(),
                secret_files: vec![("zammad.auth", sim.auth_header())],
                accuracy: Box::new(move || Some(sim.accuracy())),
            }
        }
        System::Redmine => {
            use triage_sim::redmine::{RedmineSim, SimConfig};
            let sim = RedmineSim::start(SimConfig::default().with_data(data)).await?;
            let base_url = sim.base_url().to_owned();
            let key = sim.api_key().to_owned();
            Running {
                tag: "triage",
                priority_mapping:
                    ", mapping: { low: Low, medium: Normal, high: High, urgent: Urgent }".into(),
                title: "Redmine REST API",
                settings: base_url_setting(&base_url),
                base_url,
                tickets,
                auth: "{ header: { name: X-Redmine-API-Key, value: { file: redmine.key } } }"
                    .into(),
                secret_files: vec![("redmine.key", key)],
                accuracy: Box::new(move || {
                    let _running = &sim;
                    None
                }),
            }
        }
        System::Otobo => {
            use triage_sim::otobo::{OtoboSim, RouteStyle, SimConfig};
            let sim = OtoboSim::start(SimConfig::default().with_data(data)).await?;
            let base_url = sim.webservice_url(RouteStyle::Generic);
            let secs = sim.utc_offset().local_minus_utc();
            let timezone = format!(
                "{}{:02}:{:02}",
                if secs < 0 { '-' } else { '+' },
                secs.abs() / 3600,
                secs.abs() % 3600 / 60
            );
            let queues: Vec<String> = sim.queues().into_iter().map(|q| q.name).collect();
            Running {
                tag: "triaged",
                priority_mapping: ", mapping: { low: \"2 low\", medium: \"3 normal\", high: \"4 high\", urgent: \"5 very high\" }".into(),
                title: "OTOBO GenericInterface",
                settings: format!(
                    "{{ route_style: generic, timezone: \"{timezone}\", queues: \"{}\", tag_field: Tags }}",
                    queues.join(",")
                ),
                base_url,
                tickets,
                auth: format!(
                    "{{ fields: {{ UserLogin: {{ value: \"{}\" }}, Password: {{ file: otobo.password }} }} }}",
                    sim.login()
                ),
                secret_files: vec![("otobo.password", sim.password().to_owned())],
                accuracy: Box::new(move || Some(sim.accuracy())),
            }
        }
    })
}
