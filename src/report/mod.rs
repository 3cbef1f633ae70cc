//! An offline HTML report of a finished run.
//!
//! [`write_report`] writes `OUT/report.html`: one self-contained file with
//! the scenario and its arms, a table of headline numbers, the charts of
//! [`crate::chart::write_charts`] inlined as SVG with a caption each, and the
//! run's manifest. It loads nothing from anywhere: no scripts, style sheets,
//! fonts or images outside the file, so it opens the same offline, from an
//! e-mail attachment or years later. Every piece of text taken from the
//! output files is HTML-escaped.

use crate::chart::{caption, thousands, write_atomic, Interval, Summary};
use crate::error::{Error, Result};
use crate::lang::Lang;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub mod sweep;

/// Write `out/report.html` for the run in `out`, inlining the SVG files
/// among `charts` (as returned by [`crate::chart::write_charts`]) in the
/// order given; other files in `charts` (the PNGs) are not used. Returns
/// the report's path.
///
/// Fails when `out/summary.json` is missing or malformed, when a chart
/// cannot be read, or when the report cannot be written. A missing or
/// malformed `manifest.json` only leaves the run section short.
pub fn write_report(out: &Path, charts: &[PathBuf], l: Lang) -> Result<PathBuf> {
    let summary = Summary::read(out)?;
    let manifest: Option<Value> =
        std::fs::read_to_string(out.join("manifest.json")).ok().and_then(|s| serde_json::from_str(&s).ok());
    let mut figures = Vec::new();
    for path in charts.iter().filter(|p| p.extension().is_some_and(|e| e == "svg")) {
        let svg = std::fs::read_to_string(path)
            .map_err(|e| Error::Other(format!("cannot read chart {}: {e}", path.display())))?;
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        figures.push((stem, svg));
    }
    let html = render(&summary, manifest.as_ref(), &figures, l);
    let path = out.join("report.html");
    write_atomic(&path, html.as_bytes())?;
    Ok(path)
}

/// The CSS that draws the report's Chinese text with the font compiled into
/// fupin (the charts' CJK fallback, embedded as a data URL and used for CJK
/// characters only, before any system font) when the report is in Chinese
/// or `names` (the run's own names and descriptions) hold Chinese: the
/// report then shows it on a machine with no Chinese font. The inlined
/// charts need no font (their Chinese is outlines). Otherwise nothing (the
/// file stays 1.7 MB smaller).
pub(crate) fn cjk_font_css(names: &str, l: Lang) -> String {
    if l != Lang::Zh && !names.chars().any(crate::chart::is_cjk) {
        return String::new();
    }
    use base64::Engine as _;
    let data = base64::engine::general_purpose::STANDARD.encode(crate::chart::CJK_FONT_DATA);
    format!(
        "\n@font-face {{ font-family: 'fupin-cjk'; src: url(data:font/ttf;base64,{data}) format('truetype'); \
         unicode-range: U+2E80-9FFF, U+FF00-FFEF; }}\n\
         body {{ font-family: 'fupin-cjk', system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; }}\n"
    )
}

/// Escape text for HTML element content and quoted attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Strip what may precede the `<svg` element in a file (XML declaration,
/// doctype, comments): inside HTML it is not allowed or not wanted.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| &svg[i..]).trim_end()
}

fn signed(x: f64, decimals: usize) -> String {
    let s = format!("{:+.*}", decimals, x);
    // "+0.00" / "-0.00" for values that round to zero read as a change.
    if s[1..].chars().all(|c| c == '0' || c == '.') {
        return s[1..].to_string();
    }
    s.replace('-', "−")
}

/// A share as a percentage with its interval: `16.0% [15.4, 16.7]`.
fn rate(i: Option<Interval>) -> String {
    let Some(Interval { mean: Some(m), lo, hi }) = i else { return "–".into() };
    let pct = |v: f64| format!("{:.1}", v * 100.0);
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{}% <span class=\"ci\">[{}, {}]</span>", pct(m), pct(lo), pct(hi)),
        _ => format!("{}%", pct(m)),
    }
}

/// A difference of shares in percentage points with its interval.
fn points(i: Option<Interval>) -> String {
    let Some(Interval { mean: Some(m), lo, hi }) = i else { return "–".into() };
    let pp = |v: f64| signed(v * 100.0, 2);
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{} pp <span class=\"ci\">[{}, {}]</span>", pp(m), pp(lo), pp(hi)),
        _ => format!("{} pp", pp(m)),
    }
}

/// An amount of yuan with its interval.
/// A ratio with two decimals and its interval.
fn ratio(i: Option<Interval>) -> String {
    let Some(Interval { mean: Some(m), lo, hi }) = i else { return "–".into() };
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{m:.2} <span class=\"ci\">[{lo:.2}, {hi:.2}]</span>"),
        _ => format!("{m:.2}"),
    }
}

fn yuan(i: Option<Interval>) -> String {
    let Some(Interval { mean: Some(m), lo, hi }) = i else { return "–".into() };
    match (lo, hi) {
        (Some(lo), Some(hi)) => {
            format!("{} <span class=\"ci\">[{}, {}]</span>", thousands(m), thousands(lo), thousands(hi))
        }
        _ => thousands(m),
    }
}

const STYLE: &str = "
body { margin: 0; background: #fafafa; color: #1a1a1a;
       font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; }
main { max-width: 1060px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; background: #fff; }
h1 { font-size: 1.8rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid #ddd; }
.lede { font-size: 1.1rem; color: #333; margin-top: 0; }
dl.arms dt { font-weight: 600; margin-top: 0.6rem; }
dl.arms dd { margin: 0.1rem 0 0 1.25rem; color: #333; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 0.45rem 0.6rem; border-bottom: 1px solid #e3e3e3; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #999; font-weight: 600; }
.ci { color: #666; white-space: nowrap; }
.note { color: #555; font-size: 0.92rem; }
figure { margin: 1.5rem 0 2rem; }
figure svg { display: block; width: 100%; max-width: 1000px; height: auto; border: 1px solid #eee; }
figcaption { margin-top: 0.4rem; color: #444; font-size: 0.95rem; }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.25rem; }
dl.run dt { color: #555; }
dl.run dd { margin: 0; font-family: ui-monospace, 'DejaVu Sans Mono', monospace; overflow-wrap: anywhere; }
";

fn render(s: &Summary, manifest: Option<&Value>, figures: &[(String, String)], l: Lang) -> String {
    let mut h = String::new();
    let title = if s.scenario.is_empty() { "fupin run".to_string() } else { s.scenario.clone() };
    // `write!` into a String cannot fail; the results are ignored on purpose.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<main>\n",
        l.code(),
        esc(&l.fill("fupin report: {scenario}", &[("scenario", &title)])),
        cjk_font_css(&serde_json::to_string(s).unwrap_or_default(), l)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    if !s.description.is_empty() {
        let _ = writeln!(h, "<p class=\"lede\">{}</p>", esc(&s.description));
    }

    let _ = writeln!(h, "<h2>{}</h2>\n<dl class=\"arms\">", l.tr("Arms"));
    for (i, a) in s.arms.iter().enumerate() {
        let role = if i == 0 { format!(" <span class=\"note\">({})</span>", l.tr("reference")) } else { String::new() };
        let _ = writeln!(h, "<dt>{}{role}</dt>\n<dd>{}</dd>", esc(&a.name), esc(&a.description));
    }
    h.push_str("</dl>\n");

    whole_run_table(&mut h, s, l);
    winners_table(&mut h, s, l);
    headline_table(&mut h, s, l);
    register_table(&mut h, s, l);

    if !figures.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", l.tr("Charts"));
    }
    for (stem, svg) in figures {
        let text =
            caption(stem).map(|c| l.tr(c).to_string()).unwrap_or_else(|| l.fill("Chart {stem}.", &[("stem", stem)]));
        let _ = writeln!(
            h,
            "<figure id=\"chart-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
            esc(stem),
            inline_svg(svg),
            esc(&text)
        );
    }

    let _ = writeln!(h, "<h2>{}</h2>\n<dl class=\"run\">", l.tr("Run"));
    let fields = [
        (l.tr("fupin version"), "fupin_version"),
        (l.tr("scenario"), "scenario_name"),
        (l.tr("scenario file"), "scenario_path"),
        (l.tr("scenario SHA-256"), "scenario_sha256"),
        (l.tr("seed"), "seed"),
        (l.tr("replicates"), "replicates"),
        (l.tr("households"), "households"),
        (l.tr("policy months"), "months"),
    ];
    match manifest {
        Some(m) => {
            for (label, key) in fields {
                let value = match m.get(key) {
                    Some(Value::String(v)) => v.clone(),
                    Some(Value::Null) | None => continue,
                    Some(v) => v.to_string(),
                };
                let _ = writeln!(h, "<dt>{label}</dt><dd>{}</dd>", esc(&value));
            }
        }
        None => {
            let _ =
                writeln!(h, "<dt>{}</dt><dd>{}</dd>", l.tr("manifest"), l.tr("manifest.json is missing or unreadable"));
        }
    }
    h.push_str("</dl>\n</main>\n</body>\n</html>\n");
    h
}

/// The whole run against the reference: poverty person-years averted, the
/// mean yearly effect, how often each arm beats the reference, and the
/// incremental cost per person-year averted and per additional sustained exit.
fn whole_run_table(h: &mut String, s: &Summary, l: Lang) {
    let Some(reference) = s.comparisons.first().map(|c| c.versus.clone()) else { return };
    let years = s.arms.first().map_or(0, |a| a.years.len());
    let (first, last) = (s.start_year, s.start_year + years as i32 - 1);
    let r = esc(&reference);
    let args: [(&str, &dyn std::fmt::Display); 3] = [("first", &first), ("last", &last), ("reference", &r)];
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         </tr></thead>\n<tbody>\n",
        l.fill("The whole run, {first}–{last}, against {reference}", &args),
        l.tr("arm"),
        l.tr("poverty person-years averted"),
        l.tr("mean yearly effect on the headcount rate"),
        l.fill("beats {reference} in", &args),
        l.tr("yuan per person-year averted"),
        l.tr("yuan per additional sustained exit"),
        l.tr("township income per yuan spent"),
    );
    let count = |i: crate::summary::Interval| match i {
        Interval { mean: Some(m), lo: Some(l), hi: Some(u) } => {
            format!("{} [{}, {}]", thousands(m), thousands(l), thousands(u))
        }
        Interval { mean: Some(m), .. } => thousands(m),
        _ => "–".into(),
    };
    let cost = |c: &crate::summary::Cost| match (c.mean, c.lo, c.hi) {
        (Some(m), Some(l), Some(u)) => format!("{} [{}, {}]", thousands(m), thousands(l), thousands(u)),
        (Some(m), _, _) => format!("{} <span class=\"note\">[{}]</span>", thousands(m), l.tr("unbounded")),
        (None, _, _) if c.status == "reference" => format!("<span class=\"note\">{}</span>", l.tr("reference")),
        (None, _, _) => format!("<span class=\"note\">{}</span>", l.tr("not defined")),
    };
    for c in &s.comparisons {
        if c.role == "reference" {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td colspan=\"6\"><span class=\"note\">{}</span></td></tr>",
                esc(&c.arm),
                l.tr("reference")
            );
            continue;
        }
        let beats = c
            .p_beats_reference
            .map_or("–".into(), |p| l.fill("{share}% of replicates", &[("share", &format!("{:.0}", 100.0 * p))]));
        let multiplier =
            s.arms.iter().find(|a| a.name == c.arm).and_then(|a| a.totals.get("local_multiplier").copied());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.arm),
            count(c.poverty_years_averted),
            points(Some(c.mean_headcount_rate_effect)),
            beats,
            cost(&c.cost_per_poverty_year_averted),
            cost(&c.cost_per_additional_sustained_exit),
            ratio(multiplier),
        );
    }
    h.push_str("</tbody>\n</table>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>",
        l.tr("Paired by replicate (same households and shocks). Person-years averted: poor people \
             summed over the policy years, reference minus arm. The costs divide the extra budget spent over the \
             reference by the person-years averted, or by the sustained exits added, as ratios of means with Fieller's \
             95% interval; they are not defined where the arm does not beat the reference on average. Township income \
             per yuan spent (<code>local_multiplier</code>): the township's income gained over the reference, over the \
             run, per yuan of budget and dibao spent more than the reference (with <code>[local_economy]</code>, local \
             sales and prices included).")
    );
}

/// Who gains and who loses against the reference, household by household:
/// the shares better and worse off, averaged over the policy years, and the
/// mean income change by pre-policy income decile.
fn winners_table(h: &mut String, s: &Summary, l: Lang) {
    if s.arms.len() < 2 {
        return;
    }
    let reference = esc(&s.arms[0].name);
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th>",
        l.fill("Who gains and who loses against {reference}", &[("reference", &reference)]),
        l.tr("arm"),
        l.tr("households better off"),
        l.tr("households worse off"),
    );
    for k in 1..=10 {
        let _ = write!(h, "<th>{}</th>", l.fill("decile {k}", &[("k", &k)]));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let mean_over_years = |a: &crate::summary::Arm, m: &str| {
        let v: Vec<f64> = a.years.iter().filter_map(|y| y.metrics.get(m).and_then(|i| i.mean)).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    for a in &s.arms[1..] {
        let pct = |x: Option<f64>| x.map_or("–".into(), |v| format!("{:.1}%", 100.0 * v));
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td>",
            esc(&a.name),
            pct(mean_over_years(a, "winners_share")),
            pct(mean_over_years(a, "losers_share"))
        );
        for k in 1..=10 {
            let v = a.totals.get(&format!("income_change.decile_{k}")).and_then(|i| i.mean);
            let _ = write!(h, "<td>{}</td>", v.map_or("–".into(), |x| format!("{x:+.0}")));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>",
        l.fill(
            "Each household is compared with itself under {reference} (same households and shocks). \
             Shares of households, averaged over the policy years. Deciles of income before the policy, poorest first: \
             the mean change in yuan per person per year over the policy years.",
            &[("reference", &reference)]
        )
    );
}

/// The register's flows by year and arm: its size, exits, re-entries (返贫)
/// and new entrants; a sentence when the register churns.
fn register_table(h: &mut String, s: &Summary, l: Lang) {
    let flows = ["registered_households", "exits", "reentries", "new_entrants"];
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         </tr></thead>\n<tbody>\n",
        l.tr("The register, year by year"),
        l.tr("arm"),
        l.tr("year"),
        l.tr("registered households"),
        l.tr("exits"),
        l.tr("re-entries (返贫)"),
        l.tr("new entrants"),
    );
    let value = |y: &crate::summary::Year, m: &str| y.metrics.get(m).and_then(|i| i.mean);
    for a in &s.arms {
        for y in &a.years {
            let _ = write!(h, "<tr><td>{}</td><td>{}</td>", esc(&a.name), y.year);
            for m in flows {
                let _ = write!(h, "<td>{}</td>", value(y, m).map_or("–".into(), thousands));
            }
            h.push_str("</tr>\n");
        }
    }
    h.push_str("</tbody>\n</table>\n");
    for a in &s.arms {
        let mean = |m: &str| {
            let v: Vec<f64> = a.years.iter().filter_map(|y| value(y, m)).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        if let (Some(reg), Some(exits), Some(back)) = (mean("registered_households"), mean("exits"), mean("reentries"))
        {
            if reg > 0.0 && back > 0.1 * reg {
                let (arm, exits, back, reg) = (esc(&a.name), thousands(exits), thousands(back), thousands(reg));
                let args: [(&str, &dyn std::fmt::Display); 4] =
                    [("arm", &arm), ("exits", &exits), ("back", &back), ("register", &reg)];
                let text = l.fill(
                    "In {arm}, about {exits} households leave poverty each year and {back} fall back into it \
                     (返贫), against a register of about {register}. Support stops in the December a household is \
                     counted out of poverty, so many exits do not last and the register churns; compare the arms over \
                     the whole run, not by one year.",
                    &args,
                );
                let _ = writeln!(h, "<p class=\"note\">{text}</p>");
            }
        }
    }
}

/// Headcount rate at the start and the end per arm, the end difference
/// against the reference, and the cost per sustained exit.
fn headline_table(h: &mut String, s: &Summary, l: Lang) {
    let Some(last) = s.arms.iter().filter_map(|a| a.years.last().map(|y| y.year)).max() else { return };
    let reference = s.arms.first().map(|a| a.name.as_str()).unwrap_or_default();
    let (before, r) = (s.start_year - 1, esc(reference));
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table>\n<thead><tr><th>{}</th>\
         <th>{}<br><span class=\"note\">{}</span></th>\
         <th>{}<br><span class=\"note\">{}</span></th>\
         <th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        l.tr("Before the policy and in the final year"),
        l.tr("arm"),
        l.fill("headcount rate, December {year}", &[("year", &before)]),
        l.tr("before the policy"),
        l.fill("headcount rate, December {year}", &[("year", &last)]),
        l.tr("end"),
        l.fill("difference against {reference}, {year}", &[("reference", &r), ("year", &last)]),
        l.tr("cost per sustained exit (yuan)"),
    );
    for (i, a) in s.arms.iter().enumerate() {
        let hr = "headcount_rate";
        let end = a.years.iter().find(|y| y.year == last).and_then(|y| y.metrics.get(hr).copied());
        let diff = if i == 0 {
            format!("<span class=\"note\">{}</span>", l.tr("reference"))
        } else {
            let d = s.differences.iter().find(|d| d.arm == a.name);
            points(d.and_then(|d| d.years.iter().find(|y| y.year == last)).and_then(|y| y.metrics.get(hr).copied()))
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.name),
            rate(a.initial.get(hr).copied()),
            rate(end),
            diff,
            yuan(a.totals.get("cost_per_sustained_exit").copied()),
        );
    }
    h.push_str("</tbody>\n</table>\n");
    let reps = s
        .replicates
        .map(|n| l.fill("Means over {n} replicates.", &[("n", &n)]))
        .unwrap_or_else(|| l.tr("Means.").into());
    let _ = writeln!(
        h,
        "<p class=\"note\">{reps} {}</p>",
        l.tr("95% confidence intervals in brackets. Differences are paired by replicate (same households and \
             shocks) and given in percentage points (pp). The cost divides the budget spent by all sustained exits \
             in the arm, not by the exits it adds over the reference.")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    }

    #[test]
    fn strips_the_xml_declaration() {
        assert_eq!(inline_svg("<?xml version=\"1.0\"?>\n<svg a=\"1\"></svg>\n"), "<svg a=\"1\"></svg>");
    }

    #[test]
    fn formats_intervals() {
        let i = Interval { mean: Some(0.1604), lo: Some(0.154), hi: Some(0.1669) };
        assert_eq!(rate(Some(i)), "16.0% <span class=\"ci\">[15.4, 16.7]</span>");
        let d = Interval { mean: Some(-0.0538), lo: Some(-0.0556), hi: None };
        assert_eq!(points(Some(d)), "−5.38 pp");
        assert_eq!(points(Some(Interval { mean: Some(0.00001), lo: None, hi: None })), "0.00 pp");
        assert_eq!(rate(Some(Interval::default())), "–");
    }
}
