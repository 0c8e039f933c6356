//! What an adapter declares about itself outside the contract: the read-only routes its
//! searches need (see `triage_gateway::access`). The contract is frozen, so the declaration
//! is a custom section of the component's core module, [`READ_ROUTES_SECTION`], one
//! `METHOD /path` a line (the SDK's `read_only_routes!` writes it; several sections are
//! concatenated by the linker). A component without it gets GET and HEAD only in read-only
//! calls.
//!
//! The file is read again here (the compiled component keeps no custom sections) and used only
//! if its sha256 is the one that was loaded, so a file swapped in between cannot declare
//! more than the loaded code.

use std::path::Path;

use sha2::{Digest, Sha256};
use triage_gateway::ReadRoutes;

/// The custom section's name.
pub const READ_ROUTES_SECTION: &str = "triage:read-only-routes";

/// The declared routes of a component's bytes.
pub fn read_routes(bytes: &[u8]) -> Result<ReadRoutes, String> {
    let mut text = String::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| format!("reading custom sections: {e}"))?;
        if let wasmparser::Payload::CustomSection(section) = payload
            && section.name() == READ_ROUTES_SECTION
        {
            let part = std::str::from_utf8(section.data())
                .map_err(|_| format!("custom section {READ_ROUTES_SECTION} is not UTF-8"))?;
            text.push_str(part);
            text.push('\n');
        }
    }
    ReadRoutes::parse(&text)
}

/// The declared routes of the file at `path`, if it still has the loaded `sha256`.
pub fn read_routes_of(path: &Path, sha256: &str) -> Result<ReadRoutes, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !hex::encode(Sha256::digest(&bytes)).eq_ignore_ascii_case(sha256) {
        return Err(format!(
            "{} changed since it was loaded; no read-only routes used",
            path.display()
        ));
    }
    read_routes(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A core module with custom sections (id 0: name length, name, data).
    fn module(sections: &[(&str, &str)]) -> Vec<u8> {
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        for (name, data) in sections {
            let mut body = vec![name.len() as u8];
            body.extend_from_slice(name.as_bytes());
            body.extend_from_slice(data.as_bytes());
            bytes.push(0);
            bytes.push(body.len() as u8);
            bytes.extend(body);
        }
        bytes
    }

    #[test]
    fn sections_are_concatenated_and_parsed() {
        let bytes = module(&[
            (READ_ROUTES_SECTION, "POST /ticket-search\n"),
            ("other", "PUT /x"),
            (READ_ROUTES_SECTION, "POST /ticket-get"),
        ]);
        let routes = read_routes(&bytes).unwrap();
        let shown: Vec<String> = routes.routes().iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["POST /ticket-search", "POST /ticket-get"]);
        assert!(read_routes(&module(&[])).unwrap().routes().is_empty());
        assert!(read_routes(&module(&[(READ_ROUTES_SECTION, "POST nowhere")])).is_err());
    }
}
