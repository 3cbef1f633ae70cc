//! Charts and the HTML report, drawn from a real output folder.
//!
//! `tests/data/sample_township/` is the output of
//! `fupin run scenarios/township.toml --replicates 20`, with `timeseries.csv`
//! and `prices.csv` cut to replicates 0 and 1 to keep the repository small
//! (the summaries still say 20 replicates; nothing here compares them).

use fupin::chart::{write_charts, Lang, CHARTS, HEIGHT, WIDTH};
use fupin::report::write_report;
use serde_json::Value;
use std::path::{Path, PathBuf};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sample_township");

/// A fresh copy of the sample output folder.
/// The sample run as stored: it predates `enterprise_capital` and `local_multiplier`.
fn stored_sample() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(SAMPLE).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).unwrap();
    }
    tmp
}

/// The sample run with the two metrics of the newer charts added to every
/// policy year (capital for the enterprise arm, a multiplier for the arms
/// that are not the reference), as a current run writes them.
fn sample() -> tempfile::TempDir {
    let tmp = stored_sample();
    edit_summary(tmp.path(), |v| {
        let interval = |m: f64| serde_json::json!({"mean": m, "lo": 0.9 * m, "hi": 1.1 * m});
        for (i, arm) in v["arms"].as_array_mut().unwrap().iter_mut().enumerate() {
            let name = arm["name"].as_str().unwrap().to_string();
            for (k, y) in arm["years"].as_array_mut().unwrap().iter_mut().enumerate() {
                let capital = if name == "enterprise" { 5e6 * k as f64 } else { 0.0 };
                y["enterprise_capital"] = interval(capital);
                y["local_multiplier"] =
                    if i == 0 { serde_json::json!({"mean": null}) } else { interval(0.5 + i as f64) };
            }
        }
    });
    tmp
}

/// A run that predates a chart's metric draws every other chart.
#[test]
fn charts_of_metrics_a_run_lacks_are_skipped() {
    let tmp = stored_sample();
    let charts = write_charts(tmp.path(), Lang::En).unwrap();
    let drawn = stems(&charts, "svg");
    assert_eq!(drawn.len(), CHARTS.len() - 2);
    assert!(!drawn.contains(&"enterprise_capital".to_string()) && !drawn.contains(&"local_multiplier".to_string()));
}

fn stems(paths: &[PathBuf], ext: &str) -> Vec<String> {
    paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn edit_summary(dir: &Path, edit: impl FnOnce(&mut Value)) {
    let path = dir.join("summary.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

/// Check the PNG signature and the IHDR size by hand, then decode it.
fn assert_png(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}: not a PNG", path.display());
    assert_eq!(&bytes[12..16], b"IHDR", "{}: IHDR is not the first chunk", path.display());
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (1000, 600), "{}", path.display());
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).unwrap();
    assert_eq!((frame.width, frame.height), (WIDTH, HEIGHT));
    // Something was drawn: not a single flat colour.
    let first = &buf[..3];
    assert!(buf.chunks(3).any(|px| px != first), "{}: blank image", path.display());
}

/// A cheap well-formedness check: one root `<svg>` of the right size,
/// closed at the end, with balanced `<text>` elements.
fn assert_svg(path: &Path) {
    let svg = std::fs::read_to_string(path).unwrap();
    let body = svg.trim();
    assert!(body.starts_with("<svg") || body.starts_with("<?xml"), "{}: no <svg> start", path.display());
    assert!(body.ends_with("</svg>"), "{}: not closed", path.display());
    assert_eq!(body.matches("<svg").count(), 1, "{}", path.display());
    let root = &body[body.find("<svg").unwrap()..];
    let tag = &root[..root.find('>').unwrap()];
    assert!(tag.contains("width=\"1000\"") && tag.contains("height=\"600\""), "{}: {tag}", path.display());
    assert_eq!(body.matches("<text").count(), body.matches("</text>").count(), "{}", path.display());
    assert!(body.matches("<text").count() > 10, "{}: hardly any text", path.display());
}

#[test]
fn every_chart_is_written_as_png_and_svg() {
    let tmp = sample();
    let charts = write_charts(tmp.path(), Lang::En).unwrap();
    let all: Vec<String> = CHARTS.iter().map(|(s, _)| s.to_string()).collect();
    assert_eq!(stems(&charts, "png"), all);
    assert_eq!(stems(&charts, "svg"), all);
    for path in &charts {
        assert_eq!(path.parent().unwrap(), tmp.path().join("charts"));
        match path.extension().and_then(|e| e.to_str()) {
            Some("png") => assert_png(path),
            Some("svg") => assert_svg(path),
            other => panic!("unexpected file {other:?}"),
        }
    }
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(tmp.path().join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2 * CHARTS.len(), "{names:?}");
}

#[test]
fn svg_bytes_are_reproduced_exactly() {
    let tmp = sample();
    let read = |paths: &[PathBuf]| -> Vec<(PathBuf, Vec<u8>)> {
        paths.iter().map(|p| (p.clone(), std::fs::read(p).unwrap())).collect()
    };
    let first = read(&write_charts(tmp.path(), Lang::En).unwrap());
    let second = read(&write_charts(tmp.path(), Lang::En).unwrap());
    assert_eq!(first.len(), second.len());
    for ((path, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{} changed between two runs", path.display());
    }
    // And in another folder with the same input.
    let other = sample();
    let third = read(&write_charts(other.path(), Lang::En).unwrap());
    for ((path, a), (_, b)) in first.iter().zip(&third) {
        if path.extension().is_some_and(|e| e == "svg") {
            assert!(a == b, "{} differs between folders", path.display());
        }
    }
}

#[test]
fn report_inlines_every_chart_and_the_table_offline() {
    let tmp = sample();
    let charts = write_charts(tmp.path(), Lang::En).unwrap();
    let report = write_report(tmp.path(), &charts, Lang::En).unwrap();
    assert_eq!(report, tmp.path().join("report.html"));
    let html = std::fs::read_to_string(&report).unwrap();

    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for (stem, caption) in CHARTS {
        assert!(html.contains(&format!("<figure id=\"chart-{stem}\">")), "no figure for {stem}");
        let escaped = caption.replace('\'', "&#39;");
        assert!(html.contains(&escaped), "no caption for {stem}");
    }
    assert_eq!(html.matches("<svg").count(), CHARTS.len());
    assert_eq!(html.matches("</svg>").count(), CHARTS.len());

    // Scenario, arms, the table and the manifest.
    assert!(html.contains("<h1>township</h1>"));
    assert!(html.contains("The field report&#39;s township"));
    assert!(html.contains("<table>") && html.contains("</table>"));
    for arm in ["none", "cash", "enterprise"] {
        assert!(html.contains(&format!("<tr><td>{arm}</td>")), "no table row for {arm}");
    }
    assert!(html.contains("16.0% <span class=\"ci\">[15.1, 16.9]</span>"), "initial headcount rate");
    assert!(html.contains("−5.47 pp"), "enterprise − none difference in 2020");
    assert!(html.contains("6b534995eb7e2c3c3ac376ee935545cac9a58126fb7b1e0489e403893ca46487"));
    assert!(html.contains("<dt>seed</dt><dd>20150101</dd>"));
    assert!(html.contains("<dt>replicates</dt><dd>20</dd>"));
    assert!(html.contains("<dt>fupin version</dt><dd>0.1.0</dd>"));

    // Nothing is loaded from outside the file. The SVG namespace is a name,
    // not a location; once it is taken out no URL may remain.
    let lower = html.to_lowercase();
    for needle in ["src=", "href=", "<link", "<script", "@import", "url("] {
        assert!(!lower.contains(needle), "report contains {needle}");
    }
    let without_ns = lower.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!without_ns.contains("http://") && !without_ns.contains("https://"));
    // Written atomically: no temporary file left.
    assert!(std::fs::read_dir(tmp.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains("tmp")));
}

#[test]
fn without_prices_the_prices_chart_is_skipped_and_stale_copies_removed() {
    let tmp = sample();
    write_charts(tmp.path(), Lang::En).unwrap();
    assert!(tmp.path().join("charts/prices.svg").exists());
    std::fs::remove_file(tmp.path().join("prices.csv")).unwrap();
    std::fs::remove_file(tmp.path().join("timeseries.csv")).unwrap();
    let charts = write_charts(tmp.path(), Lang::En).unwrap();
    assert_eq!(charts.len(), 2 * (CHARTS.len() - 1));
    assert!(!stems(&charts, "svg").contains(&"prices".to_string()));
    assert!(!tmp.path().join("charts/prices.svg").exists());
    assert!(!tmp.path().join("charts/prices.png").exists());
    let html = std::fs::read_to_string(write_report(tmp.path(), &charts, Lang::En).unwrap()).unwrap();
    assert!(!html.contains("chart-prices"));
    assert!(html.contains("chart-money"));
}

#[test]
fn missing_means_and_intervals_are_skipped_not_invented() {
    let tmp = sample();
    // As with a single replicate: no interval anywhere; and no arm with a
    // sustained exit, so no cost per exit.
    edit_summary(tmp.path(), |v| {
        fn strip(v: &mut Value) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m.iter_mut() {
                        if k == "lo" || k == "hi" {
                            *x = Value::Null;
                        } else {
                            strip(x);
                        }
                    }
                }
                Value::Array(a) => a.iter_mut().for_each(strip),
                _ => {}
            }
        }
        strip(v);
        for arm in v["arms"].as_array_mut().unwrap() {
            arm["totals"]["cost_per_sustained_exit"]["mean"] = Value::Null;
        }
    });
    let charts = write_charts(tmp.path(), Lang::En).unwrap();
    let svgs = stems(&charts, "svg");
    assert!(!svgs.contains(&"cost_per_sustained_exit".to_string()), "{svgs:?}");
    assert!(svgs.contains(&"headcount_rate".to_string()) && svgs.contains(&"differences".to_string()));
    let html = std::fs::read_to_string(write_report(tmp.path(), &charts, Lang::En).unwrap()).unwrap();
    assert!(html.contains("<tr><td>none</td><td>16.0%</td>"), "a mean without interval");
    assert!(!html.contains("class=\"ci\""));
}

#[test]
fn text_from_the_files_is_escaped() {
    let tmp = sample();
    edit_summary(tmp.path(), |v| {
        v["scenario"] = "a<b>&c".into();
        v["description"] = "<script>alert(1)</script>".into();
        v["arms"][1]["name"] = "cash & \"more\"".into();
        v["differences"][0]["arm"] = "cash & \"more\"".into();
    });
    let charts = write_charts(tmp.path(), Lang::En).unwrap();
    let html = std::fs::read_to_string(write_report(tmp.path(), &charts, Lang::En).unwrap()).unwrap();
    assert!(html.contains("<h1>a&lt;b&gt;&amp;c</h1>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script"));
    assert!(html.contains("<tr><td>cash &amp; &quot;more&quot;</td>"));
    // The SVG writer escapes it too.
    let svg = std::fs::read_to_string(tmp.path().join("charts/headcount_rate.svg")).unwrap();
    assert!(svg.contains("cash &amp; &quot;more&quot;"));
}

#[test]
fn a_folder_without_summary_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let err = write_charts(tmp.path(), Lang::En).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    assert!(err.to_string().contains("summary.json"), "{err}");
    let err = write_report(tmp.path(), &[], Lang::En).unwrap_err();
    assert_eq!(err.exit_code(), 2);

    std::fs::write(tmp.path().join("summary.json"), "{ not json").unwrap();
    assert!(write_charts(tmp.path(), Lang::En).unwrap_err().to_string().contains("not valid JSON"));
}

#[test]
fn a_malformed_prices_file_is_an_error() {
    let tmp = sample();
    std::fs::write(
        tmp.path().join("prices.csv"),
        "arm,replicate,year,month,commodity,price,planted_area\nnone,0,2015,1,grain,cheap,1\n",
    )
    .unwrap();
    let err = write_charts(tmp.path(), Lang::En).unwrap_err();
    assert!(err.to_string().contains("price"), "{err}");
}

/// Each commodity's price axis is in yuan per its own sales unit, from
/// `summary.json`'s `commodity_units`; a folder written before units were
/// recorded says "unit".
#[test]
fn the_prices_chart_names_each_commodity_s_unit() {
    let tmp = sample();
    write_charts(tmp.path(), Lang::En).unwrap();
    let svg = std::fs::read_to_string(tmp.path().join("charts/prices.svg")).unwrap();
    assert!(svg.contains("price (yuan/unit)") && !svg.contains("yuan/jin"), "the stored sample has no units");
    edit_summary(tmp.path(), |v| {
        v["commodity_units"] =
            serde_json::json!({"grain": "jin", "apple": "jin", "pepper": "jin", "seedlings": "plant", "pig": "head"});
    });
    write_charts(tmp.path(), Lang::En).unwrap();
    let svg = std::fs::read_to_string(tmp.path().join("charts/prices.svg")).unwrap();
    assert!(svg.contains("price (yuan/jin)"), "the crops' panels");
    assert!(!svg.contains("yuan/unit"));
}

/// `--lang zh`: Chinese titles, axes and captions in the charts and the
/// report, with the CJK font embedded in the report; in English the report
/// of a run with English names carries no font.
#[test]
fn charts_and_report_speak_chinese_with_lang_zh() {
    let tmp = sample();
    let charts = write_charts(tmp.path(), Lang::Zh).unwrap();
    let svg = std::fs::read_to_string(tmp.path().join("charts/headcount_rate.svg")).unwrap();
    assert!(svg.contains("贫困发生率"), "the title is in Chinese");
    assert!(svg.contains("年份"), "the x axis is in Chinese");
    assert!(!svg.contains("Headcount rate"), "no English title left");
    // Chinese is drawn as outlines, so the SVG needs no Chinese font; English labels stay text.
    for element in svg.split("<text").skip(1) {
        let content = &element[..element.find("</text>").unwrap()];
        assert!(!content.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "Chinese left as text: {content}");
    }
    assert!(svg.contains("<title>贫困发生率") && svg.contains("<path d=\"M"));
    assert!(svg.contains("<text"), "the numbers on the axes are still text");
    let money = std::fs::read_to_string(tmp.path().join("charts/money.svg")).unwrap();
    assert!(money.contains("钱去了哪里") && money.contains("到贫困户手中"));
    let html = std::fs::read_to_string(write_report(tmp.path(), &charts, Lang::Zh).unwrap()).unwrap();
    assert!(html.contains("<html lang=\"zh\">"));
    assert!(html.contains("<h2>图表</h2>") && html.contains("减少的贫困人年"));
    assert!(html.contains("各方案每年 12 月收入低于贫困线的人口比例"), "the headcount chart's caption in Chinese");
    assert!(html.contains("@font-face { font-family: 'fupin-cjk'; src: url(data:font/ttf;base64,"));

    let en = sample();
    let charts = write_charts(en.path(), Lang::En).unwrap();
    let html = std::fs::read_to_string(write_report(en.path(), &charts, Lang::En).unwrap()).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("<h2>Charts</h2>"));
    assert!(!html.contains("@font-face"), "an English report of English names needs no embedded font");
}

/// A Chinese arm name in an English report brings the embedded font with it.
#[test]
fn a_chinese_arm_name_embeds_the_font_in_the_report() {
    let tmp = sample();
    edit_summary(tmp.path(), |v| v["arms"][1]["name"] = serde_json::json!("发现金"));
    let charts = write_charts(tmp.path(), Lang::En).unwrap();
    let html = std::fs::read_to_string(write_report(tmp.path(), &charts, Lang::En).unwrap()).unwrap();
    assert!(html.contains("发现金") && html.contains("@font-face { font-family: 'fupin-cjk'"));
}
