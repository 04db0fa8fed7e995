//! The checked-in C header must equal what cbindgen generates from the sources now.
//! Header drift is the most common bug in Rust C libraries; this test kills it.
//!
//! Regenerate with: `ECVKIT_UPDATE_HEADER=1 cargo test --test c_header`

use std::collections::HashMap;
use std::path::PathBuf;

fn generate() -> String {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let rename = config.export.rename.clone();
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not parse the crate")
        .write(&mut out);
    let body = String::from_utf8(out).expect("utf-8 header");
    let header = add_version_macros(&shorten_status_values(&body));
    c_names_in_comments(&header, &rename)
}

/// Rust items that doc comments copied into the header link to, and what a C reader sees instead,
/// where the general rules of [`c_name`] do not find it (functions whose C name is not `ecv_` +
/// the Rust name, items C has no name for).
const RUST_TO_C: &[(&str, &str)] = &[
    ("ct_ecv", "`ecv_ct`"),
    ("Roi", "`ecv_roi`"),
    ("kaplan_meier", "`ecv_km_estimate`"),
    ("scan_cutpoints", "`ecv_cutpoint_scan`"),
    ("apply_cutoff", "`ecv_cutpoint_apply`"),
    ("structure_ct_ecv", "`ecv_ct_structure_ecv`"),
    ("subgroup_effects", "`ecv_cox_subgroup`"),
    ("Lausen94Terms::p_value", "`ecv_lausen94_p`"),
    (
        "FixedCutoffScratch",
        "the scratch arrays of `ecv_cutpoint_apply`",
    ),
    ("DEFAULT_SEED", "0x9E3779B97F4A7C15"),
];

/// The C name of a Rust item a doc comment links to: a renamed type or constant
/// (cbindgen.toml's `[export.rename]`), `Status::X` → `ECV_X`, `QualityFlags::X` → `ECV_FLAG_X`,
/// `Enum::Variant` → `ECV_ENUM_VARIANT`, `Struct::field` → `ecv_struct.field`, a function `f` →
/// `ecv_f` when the header declares it; else [`RUST_TO_C`].
fn c_name(rust: &str, rename: &HashMap<String, String>, header: &str) -> Option<String> {
    if let Some((_, c)) = RUST_TO_C.iter().find(|(r, _)| *r == rust) {
        return Some(c.to_string());
    }
    if let Some(c) = rename.get(rust) {
        return Some(format!("`{c}`"));
    }
    if let Some((owner, member)) = rust.split_once("::") {
        let c = match owner {
            "Status" => format!("ECV_{}", screaming_snake(member)),
            "QualityFlags" => format!("ECV_FLAG_{member}"),
            _ => {
                let owner = rename.get(owner)?;
                if header.contains(&format!("enum {owner}\n")) {
                    format!("{}_{}", owner.to_uppercase(), screaming_snake(member))
                } else {
                    format!("{owner}.{member}")
                }
            }
        };
        return Some(format!("`{c}`"));
    }
    let function = format!("ecv_{rust}");
    header
        .contains(&format!(" {function}("))
        .then(|| format!("`{function}`"))
}

fn screaming_snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// The header's comments are the Rust doc comments; rustdoc's intra-doc links in them
/// (``[`CoxFit`]``, ``[`f`](super::f)``, link definition lines) become the C names, so that a C
/// reader meets only C identifiers. A link with no C name fails the generation, naming it.
fn c_names_in_comments(header: &str, rename: &HashMap<String, String>) -> String {
    let mut unresolved = Vec::new();
    let mut out = String::with_capacity(header.len());
    for line in header.lines() {
        let comment = line.trim_start();
        // ` * [`min_prop`]: CutpointOptions::min_prop`: a link definition, nothing for C.
        if comment.starts_with("* [`") && comment.contains("`]: ") {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("[`") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("`]") else { break };
            let name = &after[..end];
            out.push_str(&rest[..start]);
            if name.contains('`') {
                // `[`lo`, `hi`]`: an interval, not a link.
                out.push_str(&rest[start..start + 2]);
                rest = after;
                continue;
            }
            let mut tail = &after[end + 2..];
            if tail.starts_with('(') {
                if let Some(close) = tail.find(')') {
                    tail = &tail[close + 1..];
                }
            }
            match c_name(name, rename, header) {
                Some(c) => out.push_str(&c),
                None => {
                    unresolved.push(name.to_string());
                    out.push_str(name);
                }
            }
            rest = tail;
        }
        out.push_str(rest);
        out.push('\n');
    }
    assert!(
        unresolved.is_empty(),
        "doc comments copied into include/ecvkit.h link to Rust items with no C name: {unresolved:?}; \
         add them to RUST_TO_C in tests/c_header.rs or reword the doc comment"
    );
    out
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
fn header_comments_name_no_rust_item() {
    let header = generate();
    for (number, line) in header.lines().enumerate() {
        // ``[`name`]``, not an interval such as ``[`lo`, `hi`]`` or ``[`min_prop`, 1]``
        let link = line.match_indices("[`").any(|(i, _)| {
            let name = &line[i + 2..];
            name.find('`')
                .is_some_and(|end| name[end + 1..].starts_with(']'))
        });
        assert!(
            !link,
            "include/ecvkit.h line {}: a Rust intra-doc link: {line}",
            number + 1
        );
    }
}

/// Every C name the comment rewriting produced is declared in the header.
#[test]
fn c_names_of_links_exist() {
    let header = generate();
    for (_, c) in RUST_TO_C {
        for name in c.split('`').skip(1).step_by(2) {
            let declared =
                header.contains(&format!(" {name}(")) || header.contains(&format!("}} {name};"));
            assert!(declared, "{name} is not declared in the header");
        }
    }
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
