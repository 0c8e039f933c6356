//! Which toolchain builds guests, and how it is called.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

pub enum Toolchain {
    /// rustup with the target installed.
    Rustup,
    /// Debian's rustc 1.96 + rust-src, building std for the target.
    Debian,
}

const DEBIAN_RUST_SRC: &str = "/usr/lib/rustlib/src/rust";

pub fn choose(target: &str) -> Result<Toolchain> {
    match std::env::var("TRIAGE_GUEST_TOOLCHAIN").as_deref() {
        Ok("rustup") => return Ok(Toolchain::Rustup),
        Ok("debian") => return Ok(Toolchain::Debian),
        _ => {}
    }
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == target)
        })
        .unwrap_or(false);
    if installed {
        Ok(Toolchain::Rustup)
    } else if Path::new("/usr/bin/rustc").exists() && Path::new(DEBIAN_RUST_SRC).exists() {
        Ok(Toolchain::Debian)
    } else {
        bail!(
            "no way to build for {target}: run `rustup target add {target}`, or offline on \
             Debian/Ubuntu `apt-get install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 wasi-libc`"
        )
    }
}

impl Toolchain {
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Rustup => "rustup's target std",
            Self::Debian => "Debian rustc + build-std",
        }
    }

    pub fn build(&self, workspace: &Path, target: &str, packages: &[&str]) -> Result<()> {
        let mut cmd = match self {
            Self::Rustup => Command::new("cargo"),
            Self::Debian => {
                let mut c = Command::new("/usr/bin/cargo");
                let path = std::env::var("PATH").unwrap_or_default();
                c.env("PATH", format!("/usr/bin:{path}:/usr/lib/llvm-22/bin"))
                    .env("RUSTC", "/usr/bin/rustc")
                    .env("RUSTC_BOOTSTRAP", "1")
                    .env_remove("RUSTUP_TOOLCHAIN")
                    .env_remove("CARGO");
                if target == "wasm32-wasip2" {
                    c.env("RUSTFLAGS", "-L /usr/lib/wasm32-wasi");
                }
                c
            }
        };
        cmd.current_dir(workspace)
            .env("CARGO_TARGET_DIR", crate::guest_target_dir(workspace))
            .env_remove("RUSTC_WRAPPER")
            .args(["build", "--release", "--target", target]);
        if let Self::Rustup = self {
            cmd.env_remove("RUSTFLAGS");
        } else {
            cmd.arg("-Zbuild-std=std,panic_abort");
        }
        for p in packages {
            cmd.args(["-p", p]);
        }
        let status = cmd.status().context("running cargo for the guests")?;
        if !status.success() {
            bail!("building guests for {target} failed ({status})");
        }
        Ok(())
    }
}
