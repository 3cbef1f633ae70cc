//! The offline HTML report of a sweep: the design, the parameters, the
//! outcomes, the sensitivity indices ranked per outcome, and the charts,
//! all in one file that loads nothing from anywhere.

use super::{esc, inline_svg, STYLE};
use crate::chart::sweep::Figure;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::sweep::results::Results;
use crate::sweep::Design;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A number for a table: 3 significant decimals, a real minus sign.
fn num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let d = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 1.0 {
        2
    } else {
        3
    };
    format!("{x:.d$}").replace('-', "−")
}

/// Write `out/report.html` for the sweep in `out`.
pub fn write_report(out: &Path, r: &Results, figures: &[Figure], l: Lang) -> Result<PathBuf> {
    let s = r.sweep;
    let mut h = String::new();
    let name = esc(&s.name);
    let texts = format!("{}{}{}", s.name, s.description, s.reported.iter().map(|k| k.label()).collect::<String>());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<main>\n",
        l.code(),
        l.fill("fupin sweep: {name}", &[("name", &name)]),
        super::cjk_font_css(&texts, l)
    );
    let _ = writeln!(h, "<h1>{}</h1>", l.fill("Sweep {name}", &[("name", &name)]));
    if !s.description.is_empty() {
        let _ = writeln!(h, "<p class=\"lede\">{}</p>", esc(&s.description));
    }
    let design = match &s.design {
        Design::Grid(_) => l.tr("a full factorial grid").to_string(),
        Design::Lhs(_) => l.tr("a Latin hypercube").to_string(),
        Design::Morris(d) => l.fill(
            "Morris elementary effects, {n} trajectories on {levels} levels",
            &[("n", &d.steps.len()), ("levels", &d.levels)],
        ),
        Design::Sobol(d) => l.fill("Sobol indices by Saltelli sampling, {n} base samples", &[("n", &d.n)]),
    };
    let draws =
        if s.common_random_numbers { l.tr("common random numbers at every point") } else { l.tr("a seed per point") };
    let base = format!("<code>{}</code>", esc(&s.base.name));
    let args: [(&str, &dyn std::fmt::Display); 6] = [
        ("base", &base),
        ("design", &design),
        ("points", &s.points),
        ("n", &s.base.replicates),
        ("seed", &s.base.seed),
        ("draws", &draws),
    ];
    let _ = writeln!(
        h,
        "<p>{}</p>",
        l.fill(
            "Base scenario {base}; design: {design}; {points} points × {n} replicates; seed {seed}, {draws}.",
            &args
        )
    );
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        l.tr("Parameters"),
        l.tr("field"),
        l.tr("values")
    );
    for p in &s.parameters {
        let _ = writeln!(h, "<tr><td><code>{}</code></td><td>{}</td></tr>", esc(&p.path), esc(&p.describe()));
    }
    h.push_str("</tbody>\n</table>\n");
    indices_tables(&mut h, r, l);
    if !figures.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", l.tr("Charts"));
    }
    for f in figures {
        let Some(svg_path) = f.files.iter().find(|p| p.extension().is_some_and(|e| e == "svg")) else { continue };
        let svg = std::fs::read_to_string(svg_path)
            .map_err(|e| Error::Other(format!("cannot read chart {}: {e}", svg_path.display())))?;
        let _ = writeln!(
            h,
            "<figure id=\"chart-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
            esc(&f.stem),
            inline_svg(&svg),
            esc(&f.caption)
        );
    }
    h.push_str("</main>\n</body>\n</html>\n");
    let path = out.join("report.html");
    crate::atomic::write_atomic(&path, h.as_bytes())?;
    Ok(path)
}

/// One table per reported arm and outcome, parameters ranked by μ* or ST.
fn indices_tables(h: &mut String, r: &Results, l: Lang) {
    let s = r.sweep;
    let (main, cols): (&str, &[&str]) = match s.design {
        Design::Morris(_) => ("mu_star", &["mu_star", "mu", "sigma"]),
        Design::Sobol(_) => ("ST", &["S1", "ST"]),
        Design::Grid(_) | Design::Lhs(_) => return,
    };
    let _ = writeln!(h, "<h2>{}</h2>", l.tr("Sensitivity"));
    for k in 0..s.reported.len() {
        for o in 0..s.outcomes.len() {
            let rows: Vec<_> = r.indices.iter().filter(|i| i.reported == k && i.outcome == o).collect();
            let get = |j: usize, name: &str| rows.iter().find(|i| i.parameter == j && i.index == name).copied();
            let mut order: Vec<usize> = (0..s.parameters.len()).collect();
            order.sort_by(|&a, &b| {
                let v = |j| get(j, main).map_or(f64::NEG_INFINITY, |i| i.value);
                v(b).total_cmp(&v(a))
            });
            let _ = writeln!(h, "<h3>{}</h3>", esc(&crate::chart::sweep::what(r, k, o, l)));
            let _ = write!(h, "<table>\n<thead><tr><th>{}</th>", l.tr("parameter"));
            for c in cols {
                let _ = write!(h, "<th>{}</th>", c.replace("mu_star", "μ*").replace("mu", "μ").replace("sigma", "σ"));
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            for j in order {
                let _ = write!(h, "<tr><td><code>{}</code></td>", esc(&s.parameters[j].path));
                for c in cols {
                    let cell = match get(j, c) {
                        Some(i) => match (i.low, i.high) {
                            (Some(lo), Some(hi)) => format!("{} [{}, {}]", num(i.value), num(lo), num(hi)),
                            _ => num(i.value),
                        },
                        None => "–".into(),
                    };
                    let _ = write!(h, "<td>{cell}</td>");
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody>\n</table>\n");
        }
    }
}
