//! Hand-written SVG figures (no dependency): Kaplan-Meier curves with a numbers-at-risk table
//! (the paper's Fig. 3) and the subgroup forest plot (its Fig. 5).

use crate::pipeline::{KmCurve, Subgroup, AT_RISK_TIMES};
use crate::report::{hr_text, p_text};
use ecvkit::cox::SubgroupLevel;
use ecvkit::Status;
use std::fmt::Write;

const COLORS: [&str; 2] = ["#1f5fbf", "#c8302c"]; // lower: blue, higher: red (as Fig. 3)

/// A P value as SVG text ("&lt;0.001").
fn p_svg(p: f64) -> String {
    esc(&p_text(p))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Kaplan-Meier plot of the groups with medians, the log-rank P and numbers at risk.
pub fn kaplan_meier(title: &str, y_label: &str, curves: &[KmCurve], p_value: f64) -> String {
    let (w, h) = (760.0, 560.0);
    let (x0, x1, y0, y1) = (90.0, 720.0, 50.0, 370.0);
    let t_max = AT_RISK_TIMES.last().copied().unwrap_or(36.0);
    let sx = |t: f64| x0 + (x1 - x0) * t.min(t_max) / t_max;
    let sy = |s: f64| y1 - (y1 - y0) * s;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif" font-size="13">"#
    );
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        o,
        r#"<text x="{}" y="28" font-size="16" font-weight="bold">{}</text>"#,
        x0,
        esc(title)
    );
    // grid and axes
    for k in 0..=5 {
        let s = k as f64 / 5.0;
        let y = sy(s);
        let _ = writeln!(
            o,
            r##"<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="#e4e4e4"/>"##
        );
        let _ = writeln!(
            o,
            r#"<text x="{}" y="{}" text-anchor="end">{:.1}</text>"#,
            x0 - 8.0,
            y + 4.0,
            s
        );
    }
    for &t in &AT_RISK_TIMES {
        let x = sx(t);
        let _ = writeln!(
            o,
            r##"<line x1="{x}" y1="{y1}" x2="{x}" y2="{}" stroke="#444"/>"##,
            y1 + 5.0
        );
        let _ = writeln!(
            o,
            r#"<text x="{x}" y="{}" text-anchor="middle">{t:.0}</text>"#,
            y1 + 20.0
        );
    }
    let _ = writeln!(
        o,
        r##"<polyline points="{x0},{y0} {x0},{y1} {x1},{y1}" fill="none" stroke="#222"/>"##
    );
    let _ = writeln!(
        o,
        r#"<text x="{}" y="{}" text-anchor="middle">Months</text>"#,
        (x0 + x1) / 2.0,
        y1 + 40.0
    );
    let _ = writeln!(
        o,
        r#"<text transform="translate(28 {}) rotate(-90)" text-anchor="middle">{}</text>"#,
        (y0 + y1) / 2.0,
        esc(y_label)
    );
    // curves
    for (c, color) in curves.iter().zip(COLORS) {
        let mut d = format!("M{},{}", sx(0.0), sy(1.0));
        let mut s = 1.0;
        let mut marks = String::new();
        for r in c.rows.iter().take_while(|r| r.time <= t_max) {
            let _ = write!(d, " H{:.2}", sx(r.time));
            if r.n_event > 0 {
                let _ = write!(d, " V{:.2}", sy(r.surv));
            }
            s = r.surv;
            if r.n_censor > 0 {
                let (x, y) = (sx(r.time), sy(s));
                let _ = write!(marks, "M{:.2},{:.2} v-6 M{:.2},{:.2} v6 ", x, y, x, y);
            }
        }
        let last = c.rows.last().map_or(0.0, |r| r.time).min(t_max);
        let _ = write!(d, " H{:.2}", sx(last));
        let _ = writeln!(
            o,
            r#"<path d="{d}" fill="none" stroke="{color}" stroke-width="2"/>"#
        );
        let _ = writeln!(
            o,
            r#"<path d="{marks}" stroke="{color}" stroke-width="1.5"/>"#
        );
        let _ = s;
    }
    // legend
    for (k, (c, color)) in curves.iter().zip(COLORS).enumerate() {
        let y = y0 + 10.0 + 20.0 * k as f64;
        let _ = writeln!(
            o,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{color}" stroke-width="3"/>"#,
            x1 - 250.0,
            y,
            x1 - 225.0,
            y
        );
        let median = if c.median.median.is_nan() {
            "not reached".to_string()
        } else {
            format!("{:.1} mo", c.median.median)
        };
        let _ = writeln!(
            o,
            r#"<text x="{}" y="{}">{} (median {median})</text>"#,
            x1 - 218.0,
            y + 4.0,
            esc(&c.label)
        );
    }
    let _ = writeln!(
        o,
        r#"<text x="{}" y="{}">log-rank P {}</text>"#,
        x1 - 250.0,
        y0 + 10.0 + 20.0 * curves.len() as f64 + 4.0,
        if p_value < 0.001 {
            "&lt; 0.001".to_string()
        } else {
            format!("= {}", p_svg(p_value))
        }
    );
    // numbers at risk
    let ty = y1 + 75.0;
    let _ = writeln!(
        o,
        r#"<text x="{}" y="{ty}" font-weight="bold">Number at risk</text>"#,
        10.0
    );
    for (k, (c, color)) in curves.iter().zip(COLORS).enumerate() {
        let y = ty + 24.0 + 22.0 * k as f64;
        let short: String = c.label.split_whitespace().next().unwrap_or("").to_string();
        let _ = writeln!(
            o,
            r#"<text x="10" y="{y}" fill="{color}">{}</text>"#,
            esc(&short)
        );
        for (&t, n) in AT_RISK_TIMES.iter().zip(&c.at_risk) {
            let _ = writeln!(
                o,
                r#"<text x="{}" y="{y}" text-anchor="middle" fill="{color}">{n}</text>"#,
                sx(t)
            );
        }
    }
    o.push_str("</svg>\n");
    o
}

/// Forest plot of the tumor ECV group's HR within each subgroup level, with interaction P.
pub fn forest(title: &str, overall: &SubgroupLevel, subgroups: &[Subgroup]) -> String {
    let rows: usize = 1 + subgroups
        .iter()
        .map(|s| 1 + s.result.n_levels as usize)
        .sum::<usize>();
    let row_h = 20.0;
    let top = 70.0;
    let h = top + row_h * rows as f64 + 60.0;
    let w = 900.0;
    let (px0, px1) = (420.0, 660.0);
    let (lmin, lmax) = (libm::log(0.05), libm::log(5.0));
    let sx =
        |hr: f64| px0 + (px1 - px0) * ((libm::log(hr).clamp(lmin, lmax) - lmin) / (lmax - lmin));
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(o, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        o,
        r#"<text x="10" y="24" font-size="15" font-weight="bold">{}</text>"#,
        esc(title)
    );
    let head = top - 16.0;
    for (x, t, anchor) in [
        (10.0, "Subgroup", "start"),
        (250.0, "n", "end"),
        (405.0, "HR (95% CI)", "end"),
        (740.0, "P", "end"),
        (860.0, "P interaction", "end"),
    ] {
        let _ = writeln!(
            o,
            r#"<text x="{x}" y="{head}" font-weight="bold" text-anchor="{anchor}">{t}</text>"#
        );
    }
    let mut y = top;
    let draw =
        |o: &mut String, y: f64, label: &str, l: &SubgroupLevel, interaction: &str, bold: bool| {
            let weight = if bold { r#" font-weight="bold""# } else { "" };
            let _ = writeln!(
                o,
                r#"<text x="10" y="{}"{weight}>{}</text>"#,
                y + 4.0,
                esc(label)
            );
            if l.status != Status::Ok {
                let _ = writeln!(
                    o,
                    r##"<text x="405" y="{}" text-anchor="end" fill="#888">not estimable</text>"##,
                    y + 4.0
                );
            } else {
                let _ = writeln!(
                    o,
                    r#"<text x="250" y="{}" text-anchor="end">{}</text>"#,
                    y + 4.0,
                    l.n
                );
                let _ = writeln!(
                    o,
                    r#"<text x="405" y="{}" text-anchor="end">{}</text>"#,
                    y + 4.0,
                    hr_text(l.hazard_ratio, l.hr_lower, l.hr_upper)
                );
                let _ = writeln!(
                    o,
                    r#"<text x="740" y="{}" text-anchor="end">{}</text>"#,
                    y + 4.0,
                    p_svg(l.p_value)
                );
                let (a, b, c) = (sx(l.hr_lower), sx(l.hazard_ratio), sx(l.hr_upper));
                let _ = writeln!(
                    o,
                    r##"<line x1="{a:.1}" y1="{y}" x2="{c:.1}" y2="{y}" stroke="#333"/>"##
                );
                let color = if bold { "#c8302c" } else { "#1f5fbf" };
                let _ = writeln!(
                    o,
                    r#"<rect x="{:.1}" y="{}" width="8" height="8" fill="{color}"/>"#,
                    b - 4.0,
                    y - 4.0
                );
            }
            let _ = writeln!(
                o,
                r#"<text x="860" y="{}" text-anchor="end">{}</text>"#,
                y + 4.0,
                interaction
            );
        };
    draw(&mut o, y, "All patients", overall, "", true);
    y += row_h;
    for s in subgroups {
        let r = &s.result;
        let interaction = if r.interaction_status == Status::Ok {
            p_svg(r.interaction_wald.p_value)
        } else {
            "NA".into()
        };
        let _ = writeln!(
            o,
            r#"<text x="10" y="{}" font-weight="bold">{}</text>"#,
            y + 4.0,
            esc(&s.column.label)
        );
        let _ = writeln!(
            o,
            r#"<text x="860" y="{}" text-anchor="end">{}</text>"#,
            y + 4.0,
            interaction
        );
        y += row_h;
        for level in r.levels.iter().take(r.n_levels as usize) {
            let name = if level.level == 0.0 {
                &s.column.reference
            } else {
                &s.column.level
            };
            draw(&mut o, y, &format!("    {name}"), level, "", false);
            y += row_h;
        }
    }
    // axis
    let _ = writeln!(
        o,
        r##"<line x1="{px0}" y1="{y}" x2="{px1}" y2="{y}" stroke="#222"/>"##
    );
    for t in [0.1, 0.2, 0.5, 1.0, 2.0, 5.0] {
        let x = sx(t);
        let _ = writeln!(
            o,
            r##"<line x1="{x:.1}" y1="{y}" x2="{x:.1}" y2="{}" stroke="#222"/>"##,
            y + 5.0
        );
        let _ = writeln!(
            o,
            r#"<text x="{x:.1}" y="{}" text-anchor="middle">{t}</text>"#,
            y + 18.0
        );
    }
    let one = sx(1.0);
    let _ = writeln!(
        o,
        r##"<line x1="{one:.1}" y1="{}" x2="{one:.1}" y2="{y}" stroke="#666" stroke-dasharray="4 3"/>"##,
        top - 10.0
    );
    let _ = writeln!(
        o,
        r#"<text x="{}" y="{}" text-anchor="end">favours higher tumor ECV</text>"#,
        one - 6.0,
        y + 36.0
    );
    let _ = writeln!(
        o,
        r#"<text x="{}" y="{}">favours lower</text>"#,
        one + 6.0,
        y + 36.0
    );
    o.push_str("</svg>\n");
    o
}
