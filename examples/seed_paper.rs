//! The seed paper end to end (Fu et al., Sci Rep 2025: tumor ECV from equilibrium CT as a
//! prognostic marker in HCC patients receiving immune checkpoint inhibitors), on the synthetic
//! cohort the repository ships or on your own CSV.
//!
//! Run: `make demo`, or `cargo run --release --example seed_paper [-- OPTIONS]`
//!
//! Options:
//! - `--csv FILE`: your cohort (columns: see `examples/seed_paper/cohort.rs` or README); default
//!   `examples/data/cohort.csv` (211 synthetic patients with CT phantoms).
//! - `--out DIR`: where the figures go (default `out/`): `km_os.svg`, `km_pfs.svg`,
//!   `forest_os.svg`, and `results.csv` (every number as key,value).
//! - `--write-measurements FILE`: also write the per-reader HU table of the ROI step (how
//!   `examples/data/measurements.csv` was made).
//!
//! Steps: synthetic CT phantoms → ROI statistics by two simulated readers (ecvkit's image/ROI
//! API) → tumor and liver ECV → ICC between the readers → Spearman tumor vs liver ECV → optimal
//! cutoff on OS (maxstat scan + X-tile view) → Kaplan-Meier medians and log-rank per group →
//! univariable screen and multivariable Cox → subgroup hazard ratios with interaction P → the
//! validation cohort with the training cutoffs. Progress goes to stderr, the report to stdout.

#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "seed_paper/cohort.rs"]
mod cohort;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "seed_paper/measure.rs"]
mod measure;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "seed_paper/paper.rs"]
mod paper;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "seed_paper/phantom.rs"]
mod phantom;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "seed_paper/pipeline.rs"]
mod pipeline;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "seed_paper/report.rs"]
mod report;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "seed_paper/svg.rs"]
mod svg;

use pipeline::Endpoint;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/cohort.csv");

struct Args {
    csv: PathBuf,
    out: PathBuf,
    measurements: Option<PathBuf>,
}

const USAGE: &str = "usage: seed_paper [--csv FILE] [--out DIR] [--write-measurements FILE]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        csv: PathBuf::from(DEFAULT_CSV),
        out: PathBuf::from("out"),
        measurements: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match a.as_str() {
            "--csv" => args.csv = PathBuf::from(value("--csv")?),
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--write-measurements" => {
                args.measurements = Some(PathBuf::from(value("--write-measurements")?))
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    Ok(args)
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let text = std::fs::read_to_string(&args.csv)
        .map_err(|e| format!("cannot read {}: {e}", args.csv.display()))?;
    let cohort = cohort::parse(&text).map_err(|e| format!("{}: {e}", args.csv.display()))?;
    let source = if args.csv == Path::new(DEFAULT_CSV) {
        "the shipped synthetic cohort (examples/data/cohort.csv)".to_string()
    } else {
        args.csv.display().to_string()
    };

    let stderr = std::io::stderr();
    let total_steps = 3;
    let started = std::time::Instant::now();
    eprintln!(
        "[1/{total_steps}] ROI statistics: {} patients{}",
        cohort.patients.len(),
        if cohort.has_phantoms() {
            " (phantoms drawn from the CSV, two readers, tumor + 3 liver + aorta ROIs per phase)"
        } else {
            " (HU from the CSV)"
        }
    );
    let measurements = measure::measure_cohort(&cohort, |done, total| {
        if done % 10 == 0 || done == total {
            let mut e = stderr.lock();
            let _ = write!(e, "\r      {done}/{total} patients measured");
            if done == total {
                let _ = writeln!(e);
            }
        }
    })?;
    if let Some(path) = &args.measurements {
        write_file(path, &measure::measurements_csv(&measurements))?;
        eprintln!("      wrote {}", path.display());
    }
    eprintln!("[2/{total_steps}] statistics");
    let results = pipeline::run(&cohort, &measurements, |step| eprintln!("      {step}"))?;
    eprintln!("[3/{total_steps}] report and figures");

    print!("{}", report::render(&cohort, &results, &source));

    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let t = &results.training;
    for (k, e) in Endpoint::BOTH.iter().enumerate() {
        let fixed = &t.groups[0][k];
        let svg = svg::kaplan_meier(
            &format!(
                "{} by tumor ECV group (cutoff {:.1} %), training cohort",
                e.name(),
                100.0 * t.cutoffs[0]
            ),
            &format!(
                "{} probability",
                if *e == Endpoint::Os {
                    "Overall survival"
                } else {
                    "Progression-free survival"
                }
            ),
            &t.curves[k],
            fixed.test.p_value,
        );
        write_file(&args.out.join(format!("km_{}.svg", e.key())), &svg)?;
    }
    if let Some(first) = t.subgroups[1].first() {
        let svg = svg::forest(
            "Overall survival: higher vs lower tumor ECV by subgroup (training cohort)",
            &first.result.overall,
            &t.subgroups[1],
        );
        write_file(&args.out.join("forest_os.svg"), &svg)?;
    }
    let mut csv = String::from("key,value\n");
    for (k, v) in results.key_values() {
        csv.push_str(&format!("{k},{v:?}\n"));
    }
    write_file(&args.out.join("results.csv"), &csv)?;
    println!(
        "\nFigures: {dir}/km_os.svg, {dir}/km_pfs.svg, {dir}/forest_os.svg; every number: {dir}/results.csv",
        dir = args.out.display()
    );
    eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("seed_paper: {e}");
            ExitCode::from(2)
        }
    }
}
