//! The checked-in C header must equal what cbindgen generates from the sources now.
//! Header drift is the most common bug in Rust C libraries; this test kills it.
//!
//! Regenerate with: `ECVKIT_UPDATE_HEADER=1 cargo test --test c_header`

use std::path::PathBuf;

fn generate() -> String {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not parse the crate")
        .write(&mut out);
    let body = String::from_utf8(out).expect("utf-8 header");
    add_version_macros(&shorten_status_values(&body))
}

/// `ECV_STATUS_OK` → `ECV_OK`: the status values are the most written names of the API.
fn shorten_status_values(header: &str) -> String {
    header.replace("ECV_STATUS_", "ECV_")
}

/// Inserts the ECVKIT_VERSION_* macros from Cargo.toml after the include guard.
fn add_version_macros(header: &str) -> String {
    let macros = format!(
        "\n#define ECVKIT_VERSION_MAJOR {}\n#define ECVKIT_VERSION_MINOR {}\n#define ECVKIT_VERSION_PATCH {}\n#define ECVKIT_VERSION_STRING \"{}\"\n",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION"),
    );
    let guard = "#define ECVKIT_H\n";
    header.replacen(guard, &format!("{guard}{macros}"), 1)
}

#[test]
fn checked_in_header_matches_the_sources() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("include/ecvkit.h");
    let generated = generate();
    if std::env::var_os("ECVKIT_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write include/ecvkit.h");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "include/ecvkit.h is out of date with the Rust sources.\n\
         Regenerate it with:  ECVKIT_UPDATE_HEADER=1 cargo test --test c_header"
    );
}

#[test]
fn version_macros_match_cargo_toml() {
    let header = generate();
    assert!(header.contains(&format!(
        "#define ECVKIT_VERSION_STRING \"{}\"",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(header.contains(&format!(
        "#define ECVKIT_VERSION_MAJOR {}",
        env!("CARGO_PKG_VERSION_MAJOR")
    )));
}
