//! The web services the instance has configured, and how each maps routes to operations (the
//! `RouteOperationMapping` of their YAML). Both styles are served at once, as two web services
//! of one instance sharing its tickets — the way a real OTOBO runs them side by side.

/// Which route layout a web service uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteStyle {
    /// The shipped `GenericTicketConnectorREST` (Znuny `development/webservices/*.yml`):
    /// `GET /Ticket` search, `GET /Ticket/:TicketID`, `PATCH /Ticket/:TicketID`, `POST /Session`.
    Generic,
    /// Open Ticket AI's generated web service (otobo-znuny-python-client): JSON bodies on
    /// `POST /ticket-search`, `POST /ticket-get`, `PUT /ticket-update`.
    Otai,
}

impl RouteStyle {
    /// Both styles.
    pub const ALL: [RouteStyle; 2] = [Self::Generic, Self::Otai];

    /// The setting value adapters use for it (`generic`, `otai`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Generic => "generic",
            Self::Otai => "otai",
        }
    }
}

/// An operation the simulator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    SessionCreate,
    TicketGet,
    TicketSearch,
    TicketUpdate,
}

/// One configured web service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Webservice {
    pub id: u64,
    pub name: &'static str,
    pub style: RouteStyle,
    /// `IncludeTicketData` of its TicketUpdate operation.
    pub include_ticket_data: bool,
}

/// The instance's web services.
pub const WEBSERVICES: [Webservice; 2] = [
    Webservice {
        id: 1,
        name: "GenericTicketConnectorREST",
        style: RouteStyle::Generic,
        include_ticket_data: false,
    },
    Webservice {
        id: 2,
        name: "OpenTicketAI",
        style: RouteStyle::Otai,
        include_ticket_data: true,
    },
];

/// The web service behind `/Webservice/<name>` or `/WebserviceID/<id>`.
pub fn find(by_id: bool, key: &str) -> Option<Webservice> {
    WEBSERVICES.into_iter().find(|w| {
        if by_id {
            w.id.to_string() == key
        } else {
            w.name == key
        }
    })
}

/// The web service of a style.
pub fn of_style(style: RouteStyle) -> Webservice {
    WEBSERVICES
        .into_iter()
        .find(|w| w.style == style)
        .expect("every style has a web service")
}

/// `(operation, methods, route)`, in the order OTOBO tries them (sorted by operation name).
fn routes(style: RouteStyle) -> &'static [(Operation, &'static [&'static str], &'static str)] {
    match style {
        RouteStyle::Generic => &[
            (Operation::SessionCreate, &["POST"], "/Session"),
            (Operation::TicketGet, &["GET"], "/Ticket/:TicketID"),
            (Operation::TicketSearch, &["GET"], "/Ticket"),
            (Operation::TicketUpdate, &["PATCH"], "/Ticket/:TicketID"),
        ],
        RouteStyle::Otai => &[
            (Operation::TicketGet, &["POST"], "/ticket-get"),
            (Operation::TicketSearch, &["POST"], "/ticket-search"),
            (Operation::TicketUpdate, &["PUT"], "/ticket-update"),
        ],
    }
}

/// The operation a method and path (below the web service) map to, with the route's
/// parameters; `None` is OTOBO's "Error while determine Operation".
pub fn route(
    style: RouteStyle,
    method: &str,
    path: &str,
) -> Option<(Operation, Vec<(String, String)>)> {
    routes(style).iter().find_map(|(op, methods, route)| {
        if !methods.contains(&method) {
            return None;
        }
        let want: Vec<&str> = route.split('/').collect();
        let got: Vec<&str> = path.split('/').collect();
        if want.len() != got.len() {
            return None;
        }
        let mut params = Vec::new();
        for (w, g) in want.iter().zip(&got) {
            match w.strip_prefix(':') {
                Some(name) if !g.is_empty() => params.push((name.to_owned(), (*g).to_owned())),
                Some(_) => return None,
                None if w == g => {}
                None => return None,
            }
        }
        Some((*op, params))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_method_and_shape() {
        let (op, params) = route(RouteStyle::Generic, "GET", "/Ticket/12,13").unwrap();
        assert_eq!(op, Operation::TicketGet);
        assert_eq!(params, [("TicketID".to_owned(), "12,13".to_owned())]);
        assert_eq!(
            route(RouteStyle::Generic, "GET", "/Ticket").unwrap().0,
            Operation::TicketSearch
        );
        assert_eq!(
            route(RouteStyle::Generic, "PATCH", "/Ticket/1").unwrap().0,
            Operation::TicketUpdate
        );
        assert!(route(RouteStyle::Generic, "POST", "/ticket-search").is_none());
        assert!(route(RouteStyle::Otai, "GET", "/ticket-get").is_none());
        assert!(route(RouteStyle::Generic, "GET", "/Ticket/").is_none());
        assert_eq!(find(true, "2").unwrap().style, RouteStyle::Otai);
        assert_eq!(
            find(false, "GenericTicketConnectorREST").unwrap().style,
            RouteStyle::Generic
        );
    }
}
