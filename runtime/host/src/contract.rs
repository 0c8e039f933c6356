//! Version policy: which contract versions this runtime loads, decided from a
//! component's import and export names before anything is linked.
//!
//! Contract versions follow semver as the component model applies it: within
//! `0.x`, the minor version is the breaking one, so `0.1.0` and `0.1.3` load
//! alike while `0.2.0` does not.

/// The WIT package adapters implement.
pub const PACKAGE: &str = "triage:adapter";

/// The contract versions this runtime loads, as `major.minor` series.
pub const SUPPORTED: &[(u64, u64)] = &[(0, 1)];

/// The WASI version series provided (deny-all) to components that import WASI.
const WASI_SERIES: &str = "@0.2.";

/// A contract version found in a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractVersion {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl std::fmt::Display for ContractVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl ContractVersion {
    fn parse(text: &str) -> Option<Self> {
        let core = text.split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        Some(Self {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
        })
    }

    fn series(&self) -> (u64, u64) {
        if self.major == 0 {
            (0, self.minor)
        } else {
            (self.major, 0)
        }
    }

    /// Whether this runtime loads this version.
    pub fn is_supported(&self) -> bool {
        SUPPORTED.contains(&self.series())
    }
}

/// The supported versions, for messages: `0.1.x`.
pub fn supported_text() -> String {
    SUPPORTED
        .iter()
        .map(|(major, minor)| format!("{PACKAGE}@{major}.{minor}.x"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Check a component's names against the policy; returns the contract version.
pub fn check<'a>(
    imports: impl IntoIterator<Item = &'a str>,
    exports: impl IntoIterator<Item = &'a str>,
) -> Result<ContractVersion, String> {
    let exported = exports
        .into_iter()
        .find_map(|name| {
            name.strip_prefix(&format!("{PACKAGE}/adapter@"))
                .map(str::to_owned)
        })
        .ok_or_else(|| {
            format!(
                "does not export {PACKAGE}/adapter: not a triage adapter (this runtime loads {})",
                supported_text()
            )
        })?;
    let version = ContractVersion::parse(&exported)
        .ok_or_else(|| format!("exports {PACKAGE}/adapter@{exported}: not a semver version"))?;
    if !version.is_supported() {
        return Err(format!(
            "built for contract {PACKAGE}@{version}, but this runtime loads {}; rebuild the adapter against a supported contract or upgrade triage",
            supported_text()
        ));
    }
    for import in imports {
        if let Some(rest) = import.strip_prefix(&format!("{PACKAGE}/")) {
            let found = rest
                .split_once('@')
                .and_then(|(_, v)| ContractVersion::parse(v));
            if found.as_ref().map(ContractVersion::series) != Some(version.series()) {
                return Err(format!(
                    "imports {import}, which does not match its exported contract {PACKAGE}@{version}"
                ));
            }
        } else if !(import.starts_with("wasi:") && import.contains(WASI_SERIES)) {
            return Err(format!(
                "imports {import}, which this runtime does not provide (it provides {PACKAGE} and deny-all wasi:*@0.2)"
            ));
        }
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD_IMPORTS: &[&str] = &[
        "triage:adapter/types@0.1.0",
        "triage:adapter/http@0.1.0",
        "wasi:io/error@0.2.6",
    ];

    #[test]
    fn the_supported_series_loads_including_later_patches() {
        let v = check(
            GOOD_IMPORTS.iter().copied(),
            ["triage:adapter/adapter@0.1.4"],
        )
        .unwrap();
        assert_eq!(v.to_string(), "0.1.4");
    }

    #[test]
    fn another_minor_in_0x_is_refused_naming_both_versions() {
        let err = check([], ["triage:adapter/adapter@0.2.0"]).unwrap_err();
        assert!(err.contains("0.2.0") && err.contains("0.1.x"), "{err}");
    }

    #[test]
    fn a_component_without_the_export_is_not_an_adapter() {
        let err = check([], ["wasi:cli/run@0.2.0"]).unwrap_err();
        assert!(err.contains("not a triage adapter"), "{err}");
    }

    #[test]
    fn unknown_imports_are_named() {
        let err = check(
            ["wasi:sockets/tcp@0.2.0", "acme:secrets/get@1.0.0"],
            ["triage:adapter/adapter@0.1.0"],
        )
        .unwrap_err();
        assert!(err.contains("acme:secrets/get@1.0.0"), "{err}");
    }

    #[test]
    fn mixed_contract_versions_are_refused() {
        let err = check(
            ["triage:adapter/http@0.2.0"],
            ["triage:adapter/adapter@0.1.0"],
        )
        .unwrap_err();
        assert!(err.contains("http@0.2.0"), "{err}");
    }
}
