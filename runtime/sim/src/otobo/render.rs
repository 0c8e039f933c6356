//! Tickets and articles as `TicketGet` renders them: every value the database holds, ids as
//! strings (Perl's database values) unless configured otherwise, times local without a zone,
//! `Age` in seconds, dynamic fields as `[{Name, Value}]`.

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Map, Value, json};

use super::model::{Article, Ticket};
use super::store::Store;
use super::time::format_local;

/// What does not change while the instance runs, next to the store.
#[derive(Debug, Clone)]
pub struct Settings {
    pub agents: Vec<(String, String)>,
    pub utc_offset: FixedOffset,
    pub ids_as_strings: bool,
    pub default_search_limit: usize,
}

impl Settings {
    /// An id as the instance renders ids.
    pub fn id(&self, n: u64) -> Value {
        if self.ids_as_strings {
            Value::String(n.to_string())
        } else {
            Value::from(n)
        }
    }

    pub fn local(&self, t: DateTime<Utc>) -> String {
        format_local(t, self.utc_offset)
    }
}

/// Which articles to include (`AllArticles`, `ArticleLimit`, `ArticleOrder`).
#[derive(Debug, Clone, Copy)]
pub struct ArticleSelection {
    pub limit: usize,
    pub descending: bool,
}

/// The `OperationError` body: HTTP 200 with an `Error` object.
pub fn error(code: &str, message: &str) -> Value {
    json!({"Error": {"ErrorCode": code, "ErrorMessage": message}})
}

fn article(s: &Settings, a: &Article) -> Value {
    let charset = a
        .content_type
        .split("charset=")
        .nth(1)
        .unwrap_or("utf8")
        .trim();
    json!({
        "ArticleID": s.id(a.id),
        "TicketID": s.id(a.ticket_id),
        "From": a.from,
        "To": a.to,
        "Cc": "",
        "Subject": a.subject,
        "Body": a.body,
        "ContentType": a.content_type,
        "MimeType": a.mime_type(),
        "Charset": charset,
        "SenderType": a.sender_type,
        "SenderTypeID": s.id(match a.sender_type.as_str() { "agent" => 1, "system" => 2, _ => 3 }),
        "CommunicationChannel": a.channel,
        "CommunicationChannelID": s.id(match a.channel.as_str() { "Email" => 1, "Phone" => 2, _ => 3 }),
        "IsVisibleForCustomer": s.id(u64::from(a.visible_for_customer)),
        "CreateTime": s.local(a.created),
        "IncomingTime": a.created.timestamp().to_string(),
        "TimeUnit": 0,
    })
}

/// One ticket of a `TicketGet` answer.
pub fn ticket(
    store: &Store,
    s: &Settings,
    t: &Ticket,
    dynamic_fields: bool,
    articles: Option<ArticleSelection>,
    now: DateTime<Utc>,
) -> Value {
    let queue = store.queue(t.queue_id).map(|q| q.name.clone());
    let priority = store.priority(t.priority_id).map(|p| p.name.clone());
    let (state, state_type) = store.state(t.state_id).unwrap_or(("new", "new"));
    let owner = store.user(t.owner_id).map(|u| u.name.clone());
    let type_name = super::model::TICKET_TYPES
        .iter()
        .find(|(id, _)| *id == t.type_id)
        .map(|(_, n)| *n);
    let mut v = json!({
        "TicketID": s.id(t.id),
        "TicketNumber": t.number,
        "Title": t.title,
        "Queue": queue,
        "QueueID": s.id(t.queue_id),
        "State": state,
        "StateID": s.id(t.state_id),
        "StateType": state_type,
        "Priority": priority,
        "PriorityID": s.id(t.priority_id),
        "Lock": "unlock",
        "LockID": s.id(1),
        "Type": type_name,
        "TypeID": s.id(t.type_id),
        "Owner": owner,
        "OwnerID": s.id(t.owner_id),
        "Responsible": owner,
        "ResponsibleID": s.id(t.owner_id),
        "CustomerID": t.customer_id.clone().unwrap_or_default(),
        "CustomerUserID": t.customer_user,
        "Service": "",
        "ServiceID": "",
        "SLA": "",
        "SLAID": "",
        "Age": (now - t.created).num_seconds().max(0),
        "Created": s.local(t.created),
        "CreateBy": s.id(1),
        "Changed": s.local(t.changed),
        "ChangeBy": s.id(1),
        "ArchiveFlag": "n",
        "UnlockTimeout": "0",
        "EscalationTime": "0",
        "TimeUnit": 0,
    });
    let obj = v.as_object_mut().expect("an object");
    if dynamic_fields {
        let fields: Vec<Value> = store
            .dynamic_fields
            .iter()
            .map(|f| {
                let value = t
                    .dynamic_fields
                    .get(&f.name)
                    .cloned()
                    .unwrap_or(Value::Null);
                json!({"Name": f.name, "Value": value})
            })
            .collect();
        obj.insert("DynamicField".into(), Value::Array(fields));
    }
    if let Some(sel) = articles {
        let mut list: Vec<&Article> = store.articles.get(&t.id).into_iter().flatten().collect();
        if sel.descending {
            list.reverse();
        }
        if sel.limit > 0 {
            list.truncate(sel.limit);
        }
        if !list.is_empty() {
            let rendered = list.iter().map(|a| article(s, a)).collect();
            obj.insert("Article".into(), Value::Array(rendered));
        }
    }
    v
}

/// `{"TicketID":[…]}`, or `{}` when nothing matched (OTOBO sends no empty array).
pub fn id_list(s: &Settings, ids: &[u64]) -> Value {
    if ids.is_empty() {
        return Value::Object(Map::new());
    }
    json!({"TicketID": ids.iter().map(|id| s.id(*id)).collect::<Vec<_>>()})
}
