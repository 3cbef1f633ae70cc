//! Charts of a finished run.
//!
//! [`write_charts`] reads an output folder written by `fupin run`
//! (`summary.json`, and `prices.csv` when it exists) and draws these charts
//! into `OUT/charts/`, each as a 1000×600 PNG and an SVG:
//!
//! | file stem | what it shows | read from |
//! |---|---|---|
//! | `headcount_rate` | headcount rate per arm and year, with 95% bands | `summary.json` arms |
//! | `differences` | each arm minus the reference arm, with 95% bands | `summary.json` differences |
//! | `income_distribution` | mean and median per-capita income, start and end | `summary.json` arms |
//! | `prices` | prices and planted area by month, first arm | `prices.csv` |
//! | `money` | budget shares of the ledger sinks, per arm | `summary.json` totals |
//! | `cost_per_sustained_exit` | cost per sustained exit, per arm | `summary.json` totals |
//!
//! A chart whose data is absent (no `prices.csv` after `--timeseries none` or `summary`,
//! every mean `null`, …) is skipped, and any copy of it left by an earlier
//! call is removed so that the folder describes this run only.
//!
//! Text is drawn with DejaVu Sans compiled into the binary and registered
//! with plotters' `ab_glyph` renderer, so no system font is looked up and the
//! PNGs come out the same on a bare machine. The SVGs name the family
//! `sans-serif`, which a browser resolves to its own face; their bytes are a
//! pure function of the input files. DejaVu has no CJK glyphs, so the PNGs
//! draw every character it lacks with a subset of WenQuanYi Micro Hei (the
//! 7,489 characters of GB 2312 and CJK punctuation, Apache 2.0,
//! `assets/WenQuanYi-LICENSE.txt`), also compiled in: Chinese arm, village
//! and commodity names come out in any PNG on any machine. In the SVGs, a
//! label that holds Chinese is drawn as the outlines of the same glyphs
//! ([`outline`]), so it too shows on a machine with no Chinese font. Layout
//! measures text as the PNG draws it (`text_width`), and notes break between
//! Chinese characters. Titles, axes, legends and notes are in English or in
//! Chinese (`--lang`, [`crate::lang`]).

use crate::error::{Error, Result};
pub use crate::lang::Lang;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
// `BackendStyle` is not imported: its `stroke_width` would clash with `Color`'s.
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, DrawingErrorKind};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

mod fonts;
mod outline;
pub mod sweep;

pub(crate) use fonts::is_cjk;
pub use fonts::CJK_FONT_DATA;
use fonts::{font_for, png_fonts, FONT_DATA};

/// Width of every chart, in pixels.
pub const WIDTH: u32 = 1000;
/// Height of every chart, in pixels.
pub const HEIGHT: u32 = 600;

/// Every chart [`write_charts`] can draw, in drawing order, with a one-line
/// caption saying what it shows.
pub const CHARTS: [(&str, &str); 15] = [
    (
        "headcount_rate",
        "Share of people below the poverty line each December, per arm: lines are means over replicates, shaded \
         bands their 95% confidence intervals; the first point is the pre-policy year.",
    ),
    (
        "differences",
        "Paired difference in the headcount rate between each arm and the reference (first) arm, in percentage \
         points, with its 95% confidence interval; below zero means fewer poor people than the reference.",
    ),
    (
        "income_distribution",
        "Per-capita net income before the policy and in the final year, summarised by its mean and median (the run \
         records no fuller distribution), with 95% confidence intervals and the poverty line of each year.",
    ),
    (
        "prices",
        "Commodity prices and planted area (township and outside farmers) by month, mean over replicates of the \
         first arm; when there are more than four commodities, the four whose price moved most.",
    ),
    (
        "money",
        "Where each arm's budget went over the whole run: mean share of the budget ending in each ledger sink; \
         sinks near zero in every arm are left out.",
    ),
    (
        "cost_per_sustained_exit",
        "Budget spent per sustained exit from poverty, per arm, with its 95% confidence interval; it divides by all \
         sustained exits in the arm, not by the exits it adds over the reference.",
    ),
    (
        "gap_differences",
        "Paired difference in the poverty gap (FGT 1) between each arm and the reference arm each December, in \
         percentage points, with its 95% confidence interval; below zero means the poor are less far below the line.",
    ),
    (
        "income_differences",
        "Paired difference in mean per-capita net income between each arm and the reference arm each December, in \
         yuan per person per year, with its 95% confidence interval.",
    ),
    (
        "cost_effectiveness",
        "Extra budget spent over the reference per poverty person-year averted over the whole run, per arm, with \
         Fieller's 95% interval; the reference, and arms that do not avert poverty on average, are marked as such.",
    ),
    (
        "deciles",
        "Mean change in per-capita net income against the reference, by decile of income before the policy (1 = \
         poorest), over the policy years: each household compared with itself under the reference arm.",
    ),
    (
        "winners_losers",
        "Share of households better off, unchanged and worse off than under the reference arm, averaged over the \
         policy years: each household compared with itself.",
    ),
    (
        "register",
        "Households on the register (建档立卡) each December, per arm, with 95% confidence intervals; exits, \
         re-entries and new entrants by year are in the report's table.",
    ),
    (
        "reentries",
        "Households poor again after an earlier exit (返贫) at each December, per arm, with 95% confidence \
         intervals: the churn that support stopping at exit produces.",
    ),
    (
        "enterprise_capital",
        "The enterprises' capital stock each December, per arm, with 95% confidence intervals: the fund and the \
         owners' co-investment as invested, less depreciation when the enterprise is a firm; drawn when an \
         arm funds an enterprise.",
    ),
    (
        "local_multiplier",
        "Township income gained over the reference arm per yuan of budget and dibao spent more than it, each \
         year, per arm, with 95% confidence intervals (local sales and prices included with [local_economy]); \
         drawn when an arm spends more than the reference.",
    ),
];

/// The caption of chart `stem` (a file name without extension), if it is
/// one of [`CHARTS`].
pub fn caption(stem: &str) -> Option<&'static str> {
    CHARTS.iter().find(|(s, _)| *s == stem).map(|(_, c)| *c)
}

/// Draw every chart the data of output folder `out` allows into
/// `out/charts/`, as `NAME.png` and `NAME.svg`, and return the paths
/// written, PNG then SVG for each chart in [`CHARTS`] order.
///
/// Fails when `out` has no readable `summary.json`, when `prices.csv` exists
/// but is malformed, or when a file cannot be written.
pub fn write_charts(out: &Path, l: Lang) -> Result<Vec<PathBuf>> {
    register_font()?;
    let summary = Summary::read(out)?;
    // prices.csv holds names as CSV cells (see `output::csv_text`).
    let reference = summary.arms.first().map(|a| crate::output::csv_text(&a.name));
    let mut prices = read_prices(&out.join("prices.csv"), reference.as_deref())?;
    if let Some(p) = &mut prices {
        // prices.csv holds commodity names as CSV cells too.
        p.units = summary.commodity_units.iter().map(|(c, u)| (crate::output::csv_text(c), u.clone())).collect();
    }
    let dir = out.join("charts");
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;

    let mut written = Vec::new();
    let s = &summary;
    written.extend(emit(&dir, "headcount_rate", headcount_chart(s, l).as_ref())?);
    written.extend(emit(&dir, "differences", differences_chart(s, l).as_ref())?);
    written.extend(emit(&dir, "income_distribution", income_chart(s, l).as_ref())?);
    written.extend(emit(&dir, "prices", prices.as_ref().and_then(|p| prices_chart(p, l)).as_ref())?);
    written.extend(emit(&dir, "money", money_chart(s, l).as_ref())?);
    written.extend(emit(&dir, "cost_per_sustained_exit", cost_chart(s, l).as_ref())?);
    let gap =
        difference_chart(s, l, ("poverty_gap", 100.0), l.tr("poverty gap"), l.tr("difference (percentage points)"));
    written.extend(emit(&dir, "gap_differences", gap.as_ref())?);
    let income =
        difference_chart(s, l, ("mean_income_pc", 1.0), l.tr("mean income"), l.tr("difference (yuan/person/year)"));
    written.extend(emit(&dir, "income_differences", income.as_ref())?);
    written.extend(emit(&dir, "cost_effectiveness", effectiveness_chart(s, l).as_ref())?);
    written.extend(emit(&dir, "deciles", decile_chart(s, l).as_ref())?);
    written.extend(emit(&dir, "winners_losers", winners_chart(s, l).as_ref())?);
    let register =
        level_chart(s, l, ("registered_households", 1.0), l.tr("Households on the register"), l.tr("households"));
    written.extend(emit(&dir, "register", register.as_ref())?);
    let back = level_chart(s, l, ("reentries", 1.0), l.tr("Re-entries into poverty (返贫)"), l.tr("households a year"));
    written.extend(emit(&dir, "reentries", back.as_ref())?);
    let capital = level_chart(s, l, ("enterprise_capital", 1e-6), l.tr("Enterprises' capital"), l.tr("million yuan"));
    written.extend(emit(&dir, "enterprise_capital", capital.filter(any_nonzero).as_ref())?);
    let per_yuan = l.tr("yuan of township income per yuan spent");
    let multiplier = level_chart(s, l, ("local_multiplier", 1.0), l.tr("Township income per yuan spent"), per_yuan)
        .filter(any_nonzero)
        .map(|c| BandChart { zero_line: true, ..c });
    written.extend(emit(&dir, "local_multiplier", multiplier.as_ref())?);
    Ok(written)
}

// ---------------------------------------------------------------------------
// Reading summary.json

pub(crate) use crate::summary::{Arm, Block, Interval, Summary};

/// What the charts need of a summary beyond its fields.
trait SummaryExt {
    fn poverty_line_in(&self, year: i32) -> Option<f64>;
    fn arm_index(&self, name: &str) -> Option<usize>;
}

impl SummaryExt for Summary {
    /// The poverty line of calendar year `year`, in yuan of the pre-policy
    /// year. The pre-policy year's line is not listed in `summary.json`; it
    /// is recovered from the yearly indexation of the first two nominal
    /// lines (`line × price_index`, see docs/outputs.md), which needs at
    /// least two of them. Before the pre-policy year it is the nominal line.
    fn poverty_line_in(&self, year: i32) -> Option<f64> {
        let k = year - self.start_year;
        if k >= 0 {
            return self.poverty_line.get(k as usize).copied();
        }
        let nominal = |i: usize| Some(self.poverty_line.get(i)? * self.price_index.get(i).copied().unwrap_or(1.0));
        match (nominal(0), nominal(1)) {
            (Some(first), Some(second)) if first > 0.0 && second > 0.0 => Some(first * (first / second).powi(-k)),
            _ => None,
        }
    }

    fn arm_index(&self, name: &str) -> Option<usize> {
        self.arms.iter().position(|a| a.name == name)
    }
}

// ---------------------------------------------------------------------------
// Reading prices.csv

struct PricePanel {
    commodity: String,
    /// (x in fractional years, mean price, mean planted area).
    points: Vec<(f64, f64, f64)>,
}

struct Prices {
    arm: String,
    replicates: usize,
    panels: Vec<PricePanel>,
    /// Each commodity's sales unit, by name (`summary.json`'s `commodity_units`).
    units: BTreeMap<String, String>,
}

/// Sums over replicates for one commodity and month.
#[derive(Default)]
struct MonthSum {
    price: f64,
    area: f64,
    n: u32,
}

/// Mean price and planted area by commodity and month over the replicates of
/// arm `arm` (the first arm in the file when `None`). `Ok(None)` when the
/// file does not exist or has no row for the arm.
fn read_prices(path: &Path, arm: Option<&str>) -> Result<Option<Prices>> {
    if !path.exists() {
        return Ok(None);
    }
    let bad = |message: String| Error::Parse { path: path.to_path_buf(), message };
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(e.to_string()))?;
    let header = reader.headers().map_err(|e| bad(e.to_string()))?.clone();
    let col = |name: &str| header.iter().position(|h| h == name).ok_or_else(|| bad(format!("no `{name}` column")));
    let (c_arm, c_rep, c_year, c_month) = (col("arm")?, col("replicate")?, col("year")?, col("month")?);
    let (c_com, c_price, c_area) = (col("commodity")?, col("price")?, col("planted_area")?);

    let mut arm: Option<String> = arm.map(str::to_string);
    let mut order: Vec<String> = Vec::new();
    let mut sums: BTreeMap<String, BTreeMap<(i32, u32), MonthSum>> = BTreeMap::new();
    let mut replicates = BTreeSet::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| bad(e.to_string()))? {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize| record.get(i).unwrap_or("");
        let wanted = arm.get_or_insert_with(|| field(c_arm).to_string());
        if field(c_arm) != wanted.as_str() {
            continue;
        }
        let parse_err = |what: &str| bad(format!("line {line}: `{what}` is not a number"));
        let year: i32 = field(c_year).parse().map_err(|_| parse_err("year"))?;
        let month: u32 = field(c_month).parse().map_err(|_| parse_err("month"))?;
        let price: f64 = field(c_price).parse().map_err(|_| parse_err("price"))?;
        let area: f64 = field(c_area).parse().map_err(|_| parse_err("planted_area"))?;
        if !(1..=12).contains(&month) || !crate::summary::plausible(price) || !crate::summary::plausible(area) {
            continue;
        }
        let commodity = field(c_com).to_string();
        replicates.insert(field(c_rep).to_string());
        if !sums.contains_key(&commodity) {
            order.push(commodity.clone());
        }
        let cell = sums.entry(commodity).or_default().entry((year, month)).or_default();
        cell.price += price;
        cell.area += area;
        cell.n += 1;
    }
    let Some(arm) = arm else { return Ok(None) };
    let panels: Vec<PricePanel> = order
        .into_iter()
        .map(|commodity| {
            let points = sums[&commodity]
                .iter()
                .map(|(&(y, m), c)| (y as f64 + (m - 1) as f64 / 12.0, c.price / c.n as f64, c.area / c.n as f64))
                .collect();
            PricePanel { commodity, points }
        })
        .collect();
    if panels.is_empty() {
        return Ok(None);
    }
    Ok(Some(Prices { arm, replicates: replicates.len(), panels, units: BTreeMap::new() }))
}

// ---------------------------------------------------------------------------
// Output: font, files, rendering

const FONT: &str = "sans-serif";

/// Register the built-in font under the name `sans-serif` (once per process).
fn register_font() -> Result<()> {
    static REGISTERED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| plotters::style::register_font(FONT, FontStyle::Normal, FONT_DATA).is_ok());
    if ok {
        Ok(())
    } else {
        Err(Error::Other("the built-in chart font (DejaVu Sans) could not be loaded".into()))
    }
}

pub(crate) use crate::atomic::write_atomic;

type Area<DB> = DrawingArea<DB, Shift>;

type DrawResult<DB, T = ()> = std::result::Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart that can be drawn on any plotters backend, so that the PNG and
/// the SVG come from the same code.
trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// Render `chart` as `dir/stem.svg` and `dir/stem.png`, or, when there is
/// no chart, remove stale copies of both.
fn emit<C: Chart>(dir: &Path, stem: &str, chart: Option<&C>) -> Result<Vec<PathBuf>> {
    let svg_path = dir.join(format!("{stem}.svg"));
    let png_path = dir.join(format!("{stem}.png"));
    let Some(chart) = chart else {
        for p in [&svg_path, &png_path] {
            match std::fs::remove_file(p) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::Write { path: p.clone(), source: e })
                }
                _ => {}
            }
        }
        return Ok(Vec::new());
    };
    let fail = |e: String| Error::Other(format!("drawing chart {stem}: {e}"));
    let fonts = png_fonts().map_err(fail)?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        chart.draw(&root).map_err(|e| fail(e.to_string()))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    // Chinese labels as outlines, so that the SVG needs no Chinese font.
    let svg = outline::outline_cjk(&svg, &fonts);

    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let inner = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT));
        let root = PngBackend { inner, fonts }.into_drawing_area();
        chart.draw(&root).map_err(|e| fail(e.to_string()))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| fail(e.to_string()))?;
        w.write_image_data(&rgb).map_err(|e| fail(e.to_string()))?;
        w.finish().map_err(|e| fail(e.to_string()))?;
    }

    write_atomic(&png_path, &png_bytes)?;
    write_atomic(&svg_path, svg.as_bytes())?;
    Ok(vec![png_path, svg_path])
}

/// plotters' bitmap backend with text drawn here. plotters 0.3.7's
/// `ab_glyph` renderer places each glyph by its ink box instead of its pen
/// position, so letter spacing comes out uneven and full stops float above
/// the baseline. This wrapper lays glyphs out on the pen position with
/// kerning, at the same scale and so with the same widths that plotters
/// measures for layout (`estimate_text_size` is not overridden, so the PNG
/// and the SVG share one layout); every other primitive goes to
/// `BitMapBackend` unchanged.
struct PngBackend<'a> {
    inner: BitMapBackend<'a>,
    /// DejaVu Sans, then the CJK font for the characters it lacks.
    fonts: [ab_glyph::FontRef<'static>; 2],
}

type BitmapError = DrawingErrorKind<<BitMapBackend<'static> as DrawingBackend>::ErrorType>;

impl DrawingBackend for PngBackend<'_> {
    type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> std::result::Result<(), BitmapError> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> std::result::Result<(), BitmapError> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> std::result::Result<(), BitmapError> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> std::result::Result<(), BitmapError> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> std::result::Result<(), BitmapError> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> std::result::Result<(), BitmapError> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> std::result::Result<(), BitmapError> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> std::result::Result<(), BitmapError> {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> std::result::Result<(), BitmapError> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> std::result::Result<(), BitmapError> {
        use ab_glyph::{Font, ScaleFont};
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        let size = style.size() as f32;
        let mut caret = 0.0f32;
        let mut prev = None;
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let k = font_for(&self.fonts, c);
            let scaled = self.fonts[k].as_scaled(size);
            let id = scaled.glyph_id(c);
            // Kerning within one font only.
            if let Some((_, p)) = prev.filter(|&(pk, _)| pk == k) {
                caret += scaled.kern(p, id);
            }
            glyphs.push((k, id.with_scale_and_position(size, ab_glyph::point(caret, 0.0))));
            caret += scaled.h_advance(id);
            prev = Some((k, id));
        }
        // The box plotters reserved: the advance width by `size / 1.24`
        // (see its ab_glyph `estimate_layout`). Capitals fill it from the top
        // down to the baseline, placed at 80% of its height.
        let height = (style.size() / 1.24) as f32;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -caret / 2.0,
            HPos::Right => -caret,
        };
        let top = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        let (ox, oy) = (dx.round() as i32, (top + 0.8 * height).round() as i32);
        let transform = style.transform();
        let (w, h) = self.inner.get_size();
        let inner = &mut self.inner;
        for (k, glyph) in glyphs {
            let Some(outline) = self.fonts[k].outline_glyph(glyph) else { continue };
            let bounds = outline.px_bounds();
            let (bx, by) = (bounds.min.x as i32 + ox, bounds.min.y as i32 + oy);
            let mut result = Ok(());
            outline.draw(|x, y, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let (tx, ty) = transform.transform(bx + x as i32, by + y as i32);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                    let c = BackendColor { alpha: colour.alpha * f64::from(coverage.min(1.0)), rgb: colour.rgb };
                    result = inner.draw_pixel((px, py), c);
                }
            });
            result?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Style

/// Okabe–Ito colours, safe for the common colour-vision deficiencies.
const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
const INK: RGBColor = RGBColor(0x00, 0x00, 0x00);

/// Arm colours: the reference arm black, then the Okabe–Ito hues that read
/// best as thin lines on white (yellow last: it is faint as a line).
/// Past eight, four more from Paul Tol's colour-blind-safe "muted" scheme.
const ARM_COLOURS: [RGBColor; 12] =
    [INK, BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY, YELLOW, WINE, INDIGO, OLIVE, TEAL];
/// Colours for the spending sinks; admin and unspent get neutral greys, so
/// the eleven other sinks of the ledger all get a colour of their own.
const SINK_COLOURS: [RGBColor; 11] = [GREEN, BLUE, ORANGE, SKY, VERMILLION, PURPLE, YELLOW, INK, WINE, INDIGO, OLIVE];
const WINE: RGBColor = RGBColor(0x88, 0x22, 0x55);
const INDIGO: RGBColor = RGBColor(0x33, 0x22, 0x88);
const OLIVE: RGBColor = RGBColor(0x99, 0x99, 0x33);
const TEAL: RGBColor = RGBColor(0x44, 0xAA, 0x99);
const GREY_DARK: RGBColor = RGBColor(0x80, 0x80, 0x80);
const GREY_LIGHT: RGBColor = RGBColor(0xD0, 0xD0, 0xD0);
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);

fn arm_colour(i: usize) -> RGBColor {
    ARM_COLOURS[i % ARM_COLOURS.len()]
}

const TITLE_SIZE: f64 = 24.0;
const BODY_SIZE: f64 = 17.0;
const TICK_SIZE: f64 = 15.0;
const SMALL_SIZE: f64 = 15.0;
/// Width of the legend column to the right of the plot: legends live
/// outside the data so they can never cover it.
const LEGEND_WIDTH: u32 = 210;

fn font(size: f64, colour: RGBColor) -> TextStyle<'static> {
    let mut style = TextStyle::from((FONT, size).into_font());
    style.color = colour.to_backend_color();
    style
}

fn anchored(size: f64, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size, colour).pos(Pos::new(h, v))
}

/// Relative luminance, to choose black or white text on a colour.
fn is_dark(c: RGBColor) -> bool {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2) < 0.2
}

/// `x` with thousands separators and no decimals, e.g. `127,172`.
pub(crate) fn thousands(x: f64) -> String {
    let r = x.round();
    let digits = format!("{}", r.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if r < 0.0 {
        format!("−{out}")
    } else {
        out
    }
}

/// A tick label with a fixed number of decimals and a real minus sign.
fn fixed(x: f64, decimals: usize) -> String {
    // Avoid "−0.0" for values that round to zero.
    let s = format!("{:.*}", decimals, if x.abs() < 0.5 * 10f64.powi(-(decimals as i32)) { 0.0 } else { x });
    s.replace('-', "−")
}

/// Tick decimals for an axis spanning `span`: enough to tell ~7 ticks apart.
fn decimals_for(span: f64) -> usize {
    if span >= 8.0 {
        0
    } else if span >= 0.8 {
        1
    } else {
        2
    }
}

/// Width of `text` in pixels at `style`'s size, as the PNG draws it: each
/// character from DejaVu Sans, or from the CJK font where DejaVu has no
/// glyph. Layout measures with this (not plotters' estimate, which knows
/// DejaVu alone and takes a Chinese character for a narrow box), so that
/// Chinese labels, titles and notes get the room they take.
fn text_width(text: &str, style: &TextStyle) -> u32 {
    use ab_glyph::{Font, ScaleFont};
    static FONTS: std::sync::OnceLock<Option<[ab_glyph::FontRef<'static>; 2]>> = std::sync::OnceLock::new();
    let Some(fonts) = FONTS.get_or_init(|| png_fonts().ok()) else { return 0 };
    let size = style.font.get_size() as f32;
    let mut caret = 0.0f32;
    let mut prev = None;
    for c in text.chars() {
        let k = font_for(fonts, c);
        let scaled = fonts[k].as_scaled(size);
        let id = scaled.glyph_id(c);
        if let Some((_, p)) = prev.filter(|&(pk, _)| pk == k) {
            caret += scaled.kern(p, id);
        }
        caret += scaled.h_advance(id);
        prev = Some((k, id));
    }
    caret.ceil() as u32
}

/// Shorten `label` with an ellipsis until it fits `width` pixels.
fn fit(label: &str, style: &TextStyle, width: u32) -> String {
    let fits = |s: &str| text_width(s, style) <= width;
    if fits(label) {
        return label.to_string();
    }
    let chars: Vec<char> = label.chars().collect();
    for n in (1..chars.len()).rev() {
        let s: String = chars[..n].iter().collect::<String>() + "…";
        if fits(&s) {
            return s;
        }
    }
    "…".into()
}

/// The pieces `text` may break between, each with whether a space precedes
/// it: words, and single CJK characters.
fn break_points(text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for word in text.split_whitespace() {
        let mut first = true;
        let mut run = String::new();
        for c in word.chars() {
            if is_cjk(c) {
                if !run.is_empty() {
                    out.push((std::mem::take(&mut first), std::mem::take(&mut run)));
                }
                out.push((std::mem::take(&mut first), c.to_string()));
            } else {
                run.push(c);
            }
        }
        if !run.is_empty() {
            out.push((first, run));
        }
    }
    out
}

/// Break `text` into lines of at most `width` pixels, between words and
/// between Chinese characters.
fn wrap(text: &str, style: &TextStyle, width: u32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (spaced, word) in break_points(text) {
        let gap = if spaced && !line.is_empty() { " " } else { "" };
        let candidate = format!("{line}{gap}{word}");
        if text_width(&candidate, style) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Paint the background, the title and the subtitle, and return the plot
/// area and the legend column.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> DrawResult<DB, (Area<DB>, Area<DB>)> {
    root.fill(&WHITE)?;
    let title_style = font(TITLE_SIZE, INK);
    root.draw_text(&fit(title, &title_style, WIDTH - 40), &title_style, (20, 14))?;
    let sub_style = font(SMALL_SIZE, MUTED);
    root.draw_text(&fit(subtitle, &sub_style, WIDTH - 40), &sub_style, (20, 46))?;
    let (_, body) = root.split_vertically(74);
    let (plot, legend) = body.split_horizontally(WIDTH - LEGEND_WIDTH);
    Ok((plot, legend))
}

/// How a legend entry is drawn.
enum Key {
    /// A line over a translucent band.
    Band(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled box.
    Swatch(RGBColor),
    /// A filled circle.
    Dot(RGBColor),
    /// A filled triangle.
    Triangle(RGBColor),
    /// A plain line.
    Line(RGBColor),
    /// A vertical interval with caps.
    Whisker,
}

/// Draw the key of a legend entry centred at (`x`, `y`), 32 px wide.
fn key<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, key: &Key, x: i32, y: i32) -> DrawResult<DB> {
    let (x0, x1, xm) = (x, x + 32, x + 16);
    match *key {
        Key::Band(c) => {
            area.draw(&Rectangle::new([(x0, y - 8), (x1, y + 8)], c.mix(0.2).filled()))?;
            area.draw(&PathElement::new(vec![(x0, y), (x1, y)], c.stroke_width(3)))?;
        }
        Key::Line(c) => area.draw(&PathElement::new(vec![(x0, y), (x1, y)], c.stroke_width(3)))?,
        Key::Dashed(c) => area.draw(&DashedPathElement::new(vec![(x0, y), (x1, y)], 6, 4, c.stroke_width(2)))?,
        Key::Swatch(c) => {
            area.draw(&Rectangle::new([(x0 + 4, y - 9), (x1 - 4, y + 9)], c.filled()))?;
            area.draw(&Rectangle::new([(x0 + 4, y - 9), (x1 - 4, y + 9)], GREY_DARK.stroke_width(1)))?;
        }
        Key::Dot(c) => area.draw(&Circle::new((xm, y), 6, c.filled()))?,
        Key::Triangle(c) => area.draw(&TriangleMarker::new((xm, y), 8, c.filled()))?,
        Key::Whisker => {
            let s = INK.stroke_width(2);
            area.draw(&PathElement::new(vec![(xm, y - 9), (xm, y + 9)], s))?;
            area.draw(&PathElement::new(vec![(xm - 5, y - 9), (xm + 5, y - 9)], s))?;
            area.draw(&PathElement::new(vec![(xm - 5, y + 9), (xm + 5, y + 9)], s))?;
        }
    }
    Ok(())
}

/// A legend column: entries from the top, then a wrapped note. A label too
/// long for one line takes two; beyond that it is shortened with "…". When
/// everything does not fit the column's height the rows close up, and as a
/// last resort the note is cut short (the report's caption says the same).
fn legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: &[(Key, String)], note: &str) -> DrawResult<DB> {
    let label_style = anchored(BODY_SIZE, INK, HPos::Left, VPos::Center);
    let note_style = font(SMALL_SIZE, MUTED);
    let (x0, tx) = (8, 50);
    let width = LEGEND_WIDTH - tx as u32 - 12;
    let labels: Vec<Vec<String>> = entries
        .iter()
        .map(|(_, label)| {
            let mut lines = wrap(label, &label_style, width);
            if lines.len() > 2 {
                let rest = lines[1..].join(" ");
                lines.truncate(1);
                lines.push(rest);
            }
            lines.iter().map(|l| fit(l, &label_style, width)).collect()
        })
        .collect();
    let mut notes = wrap(note, &note_style, LEGEND_WIDTH - 16);
    let height = area.dim_in_pixel().1 as i32;
    let need = |row: i32, line: i32| {
        22 + labels.iter().map(|l| row + 20 * (l.len() as i32 - 1)).sum::<i32>() + 6 + line * notes.len() as i32
    };
    let (row, line) = if need(30, 20) <= height { (30, 20) } else { (24, 18) };

    let mut y = 22;
    for ((k, _), lines) in entries.iter().zip(&labels) {
        // Centre the key on the label's lines.
        let extra = 20 * (lines.len() as i32 - 1);
        key(area, k, x0, y + extra / 2)?;
        for (i, text) in lines.iter().enumerate() {
            area.draw_text(text, &label_style, (tx, y + 20 * i as i32))?;
        }
        y += row + extra;
    }
    y += 6;
    let room = ((height - y) / line).max(0) as usize;
    if notes.len() > room {
        notes.truncate(room);
        if let Some(last) = notes.last_mut() {
            *last = fit(&format!("{last} …"), &note_style, LEGEND_WIDTH - 16);
        }
    }
    for text in &notes {
        area.draw_text(text, &note_style, (x0, y))?;
        y += line;
    }
    Ok(())
}

/// Arm names shortened to fit their slots on a categorical axis.
fn slot_labels(names: &[String], slot: u32) -> Vec<String> {
    let style = font(TICK_SIZE, INK);
    names.iter().map(|n| fit(n, &style, slot.saturating_sub(8))).collect()
}

/// A legend in one row from (`x`, `y`), for charts whose plots need the
/// full width.
fn legend_row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(Key, String)],
    x: i32,
    y: i32,
) -> DrawResult<DB> {
    let label_style = anchored(BODY_SIZE, INK, HPos::Left, VPos::Center);
    let mut x = x;
    for (k, label) in entries {
        key(area, k, x, y)?;
        area.draw_text(label, &label_style, (x + 42, y))?;
        let w = text_width(label, &label_style) as i32;
        x += 42 + w + 36;
    }
    Ok(())
}

/// Value range padded by `pad` of its span on both sides; never empty.
fn padded(lo: f64, hi: f64, pad: f64) -> (f64, f64) {
    let span = hi - lo;
    let span = if span > 1e-12 { span } else { lo.abs().max(1.0) * 0.1 };
    (lo - pad * span, hi + pad * span)
}

/// A linear f64 axis whose ticks are exactly `ticks`: whole years, or the
/// positions of categories. (plotters' own `with_key_points` loses the
/// label formatter on f64 axes.)
#[derive(Clone)]
struct Ticks {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Ticks {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Ticks {
        Ticks { range, ticks }
    }

    /// Whole years from `first` to `last`, with `pad` years of room each side.
    fn years(first: f64, last: f64, pad: f64) -> Ticks {
        let ticks = (first.ceil() as i32..=last.floor() as i32).map(f64::from).collect();
        Ticks::new(first - pad..last + pad, ticks)
    }

    /// Categories at 0, 1, …, n − 1.
    fn categories(n: usize) -> Ticks {
        Ticks::new(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect())
    }
}

impl Ranged for Ticks {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let (a, b) = (self.range.start, self.range.end);
        if b == a {
            return (limit.0 + limit.1) / 2;
        }
        let t = (v - a) / (b - a);
        let len = f64::from(limit.1 - limit.0);
        // The same rounding as plotters' own f64 axis, so shapes line up.
        if len >= 0.0 {
            limit.0 + (len * t + 1e-3).floor() as i32
        } else {
            limit.0 + (len * t - 1e-3).ceil() as i32
        }
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Ticks and grid lines only at the given points; no light lines.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

fn replicates_note(n: Option<u64>, l: Lang) -> String {
    match n {
        Some(n) => l.fill("Mean of {n} replicates.", &[("n", &n)]),
        None => String::new(),
    }
}

/// A chart's title: what it shows, then the scenario.
fn titled(l: Lang, title: &str, s: &Summary) -> String {
    l.fill("{title} — {scenario}", &[("title", &title), ("scenario", &s.scenario)])
}

// ---------------------------------------------------------------------------
// Lines with bands: headcount rate and differences

#[derive(Clone, Copy)]
struct Point {
    x: f64,
    mean: f64,
    lo: Option<f64>,
    hi: Option<f64>,
}

struct BandSeries {
    label: String,
    colour: RGBColor,
    points: Vec<Point>,
}

struct BandChart {
    title: String,
    subtitle: String,
    x_desc: String,
    y_desc: String,
    series: Vec<BandSeries>,
    /// Draw a dashed line at 0 and keep 0 in view.
    zero_line: bool,
    /// Appended to tick labels ("%" or "").
    unit: &'static str,
    /// Whole years on the x axis.
    years: (i32, i32),
    note: String,
    lang: Lang,
}

fn points(blocks: impl Iterator<Item = (i32, Option<Interval>)>, scale: f64) -> Vec<Point> {
    blocks
        .filter_map(|(year, i)| {
            let i = i?;
            Some(Point {
                x: year as f64,
                mean: i.mean? * scale,
                lo: i.lo.map(|v| v * scale),
                hi: i.hi.map(|v| v * scale),
            })
        })
        .collect()
}

fn headcount_chart(s: &Summary, l: Lang) -> Option<BandChart> {
    let series: Vec<BandSeries> = s
        .arms
        .iter()
        .enumerate()
        .map(|(i, arm)| {
            let initial = std::iter::once((s.start_year - 1, arm.initial.get("headcount_rate").copied()));
            let yearly = arm.years.iter().map(|y| (y.year, y.metrics.get("headcount_rate").copied()));
            BandSeries { label: arm.name.clone(), colour: arm_colour(i), points: points(initial.chain(yearly), 100.0) }
        })
        .filter(|b| !b.points.is_empty())
        .collect();
    let years = year_span(&series)?;
    Some(BandChart {
        title: titled(l, l.tr("Headcount rate"), s),
        subtitle: l.tr("Share of people below the poverty line in December of each year").into(),
        x_desc: l.fill("year ({year} = before the policy)", &[("year", &(s.start_year - 1))]),
        y_desc: l.tr("headcount rate (% of people)").into(),
        series,
        zero_line: false,
        unit: "%",
        years,
        note: l.fill(
            "{notes} Shaded: 95% confidence interval of the mean.",
            &[("notes", &replicates_note(s.replicates, l))],
        ),
        lang: l,
    })
}

fn differences_chart(s: &Summary, l: Lang) -> Option<BandChart> {
    let reference = s.differences.first().map(|d| d.versus.clone())?;
    let series: Vec<BandSeries> = s
        .differences
        .iter()
        .enumerate()
        .map(|(k, d)| {
            // Keep each arm's colour from the other charts.
            let colour = arm_colour(s.arm_index(&d.arm).unwrap_or(k + 1));
            let yearly = d.years.iter().map(|y| (y.year, y.metrics.get("headcount_rate").copied()));
            BandSeries { label: format!("{} − {}", d.arm, d.versus), colour, points: points(yearly, 100.0) }
        })
        .filter(|b| !b.points.is_empty())
        .collect();
    let years = year_span(&series)?;
    Some(BandChart {
        title: titled(
            l,
            &l.fill("Difference in headcount rate against “{reference}”", &[("reference", &reference)]),
            s,
        ),
        subtitle: l.tr("Each arm minus the reference arm, paired by replicate (same households and shocks)").into(),
        x_desc: l.tr("year").into(),
        y_desc: l.tr("difference (percentage points)").into(),
        series,
        zero_line: true,
        unit: "",
        years,
        note: l.fill(
            "{notes} Shaded: 95% confidence interval. Below 0: fewer poor than “{reference}”.",
            &[("notes", &replicates_note(s.replicates, l)), ("reference", &reference)],
        ),
        lang: l,
    })
}

/// The paired difference of yearly metric `metric` (times `scale`) of each
/// arm against the reference.
fn difference_chart(s: &Summary, l: Lang, (metric, scale): (&str, f64), what: &str, y_desc: &str) -> Option<BandChart> {
    let reference = s.differences.first().map(|d| d.versus.clone())?;
    let series: Vec<BandSeries> = s
        .differences
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let colour = arm_colour(s.arm_index(&d.arm).unwrap_or(k + 1));
            let yearly = d.years.iter().map(|y| (y.year, y.metrics.get(metric).copied()));
            BandSeries { label: format!("{} − {}", d.arm, d.versus), colour, points: points(yearly, scale) }
        })
        .filter(|b| !b.points.is_empty())
        .collect();
    let years = year_span(&series)?;
    Some(BandChart {
        title: titled(
            l,
            &l.fill("Difference in {what} against “{reference}”", &[("what", &what), ("reference", &reference)]),
            s,
        ),
        subtitle: l.tr("Each arm minus the reference arm, paired by replicate (same households and shocks)").into(),
        x_desc: l.tr("year").into(),
        y_desc: y_desc.into(),
        series,
        zero_line: true,
        unit: "",
        years,
        note: l.fill("{notes} Shaded: 95% confidence interval.", &[("notes", &replicates_note(s.replicates, l))]),
        lang: l,
    })
}

/// Yearly metric `metric` of every arm, from the pre-policy year.
fn level_chart(s: &Summary, l: Lang, (metric, scale): (&str, f64), title: &str, y_desc: &str) -> Option<BandChart> {
    let series: Vec<BandSeries> = s
        .arms
        .iter()
        .enumerate()
        .map(|(i, arm)| {
            let yearly = arm.years.iter().map(|y| (y.year, y.metrics.get(metric).copied()));
            BandSeries { label: arm.name.clone(), colour: arm_colour(i), points: points(yearly, scale) }
        })
        .filter(|b| !b.points.is_empty())
        .collect();
    let years = year_span(&series)?;
    Some(BandChart {
        title: titled(l, title, s),
        subtitle: l.tr("Each December, per arm").into(),
        x_desc: l.tr("year").into(),
        y_desc: y_desc.into(),
        series,
        zero_line: false,
        unit: "",
        years,
        note: l.fill(
            "{notes} Shaded: 95% confidence interval of the mean.",
            &[("notes", &replicates_note(s.replicates, l))],
        ),
        lang: l,
    })
}

/// Whether a chart has a point away from zero (a chart of zeros says nothing).
fn any_nonzero(c: &BandChart) -> bool {
    c.series.iter().any(|s| s.points.iter().any(|p| p.mean != 0.0))
}

fn year_span(series: &[BandSeries]) -> Option<(i32, i32)> {
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.x));
    let first = xs.clone().fold(f64::INFINITY, f64::min);
    let last = xs.fold(f64::NEG_INFINITY, f64::max);
    (first.is_finite() && last.is_finite()).then(|| (first.round() as i32, last.round() as i32))
}

impl Chart for BandChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (plot, legend_area) = frame(root, &self.title, &self.subtitle)?;
        let values = self.series.iter().flat_map(|s| s.points.iter().flat_map(|p| [Some(p.mean), p.lo, p.hi]));
        let values: Vec<f64> = values.flatten().chain(self.zero_line.then_some(0.0)).collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (mut y0, y1) = padded(lo, hi, 0.08);
        if !self.zero_line && lo >= 0.0 {
            y0 = y0.max(0.0); // a rate below zero would be meaningless
        }
        let decimals = decimals_for(y1 - y0);
        let (first, last) = self.years;
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(24)
            .margin_top(6)
            .margin_bottom(8)
            .x_label_area_size(56)
            .y_label_area_size(78)
            .build_cartesian_2d(Ticks::years(first as f64, last as f64, 0.25), y0..y1)?;
        let unit = self.unit;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .y_labels(7)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{}{unit}", fixed(*y, decimals)))
            .x_desc(self.x_desc.as_str())
            .y_desc(self.y_desc.as_str())
            .label_style(font(TICK_SIZE, INK))
            .axis_desc_style(font(BODY_SIZE, INK))
            .draw()?;

        // All bands first, then all lines, so no band ever hides a line.
        for s in &self.series {
            for run in s.points.split(|p| p.lo.is_none() || p.hi.is_none()) {
                if run.len() < 2 {
                    continue;
                }
                let upper = run.iter().map(|p| (p.x, p.hi.unwrap_or(p.mean)));
                let lower = run.iter().rev().map(|p| (p.x, p.lo.unwrap_or(p.mean)));
                chart.draw_series(std::iter::once(Polygon::new(
                    upper.chain(lower).collect::<Vec<_>>(),
                    s.colour.mix(0.16).filled(),
                )))?;
            }
        }
        if self.zero_line {
            chart.draw_series(DashedLineSeries::new(
                [(first as f64 - 0.25, 0.0), (last as f64 + 0.25, 0.0)],
                8,
                5,
                MUTED.stroke_width(2),
            ))?;
        }
        for s in &self.series {
            chart.draw_series(LineSeries::new(s.points.iter().map(|p| (p.x, p.mean)), s.colour.stroke_width(3)))?;
            chart.draw_series(s.points.iter().map(|p| Circle::new((p.x, p.mean), 4, s.colour.filled())))?;
        }

        let mut entries: Vec<(Key, String)> =
            self.series.iter().map(|s| (Key::Band(s.colour), s.label.clone())).collect();
        if self.zero_line {
            entries.push((Key::Dashed(MUTED), self.lang.tr("no difference").into()));
        }
        legend(&legend_area, &entries, &self.note)
    }
}

// ---------------------------------------------------------------------------
// Income: mean and median at start and end

struct IncomeArm {
    name: String,
    colour: RGBColor,
    /// [start, end] × (mean, median).
    periods: [(Interval, Interval); 2],
}

struct IncomeChart {
    title: String,
    labels: [String; 2],
    arms: Vec<IncomeArm>,
    /// Poverty line at start and end, when known.
    lines: [Option<f64>; 2],
    line_labels: [String; 2],
    note: String,
    lang: Lang,
}

fn income_chart(s: &Summary, l: Lang) -> Option<IncomeChart> {
    let last_year = s.arms.iter().filter_map(|a| a.years.last().map(|y| y.year)).max()?;
    let start_year = s.start_year - 1;
    let get = |b: &Block, k: &str| b.get(k).copied().unwrap_or_default();
    let arms: Vec<IncomeArm> = s
        .arms
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let end = a.years.iter().find(|y| y.year == last_year)?;
            let periods = [
                (get(&a.initial, "mean_income_pc"), get(&a.initial, "median_income_pc")),
                (get(&end.metrics, "mean_income_pc"), get(&end.metrics, "median_income_pc")),
            ];
            let any = periods.iter().any(|(m, d)| m.mean.is_some() || d.mean.is_some());
            any.then(|| IncomeArm { name: a.name.clone(), colour: arm_colour(i), periods })
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let lines = [s.poverty_line_in(start_year), s.poverty_line_in(last_year)];
    // Incomes and lines are in yuan of the pre-policy year (`[prices]`).
    let line_label = |y: i32, v: Option<f64>| {
        v.map(|v| {
            let args: [(&str, &dyn std::fmt::Display); 3] =
                [("year", &y), ("value", &thousands(v)), ("base", &start_year)];
            l.fill("poverty line {year}: {value} yuan ({base} prices)", &args)
        })
    };
    Some(IncomeChart {
        title: titled(l, l.tr("Per-capita income, start and end"), s),
        labels: [
            l.fill("December {year} (before the policy)", &[("year", &start_year)]),
            l.fill("December {year} (end)", &[("year", &last_year)]),
        ],
        arms,
        lines,
        line_labels: [
            line_label(start_year, lines[0]).unwrap_or_default(),
            line_label(last_year, lines[1]).unwrap_or_default(),
        ],
        note: l.fill(
            "{notes} The run records each income distribution only by its mean and median. Whiskers: 95% confidence \
             interval, drawn where wider than the marker. The {year} line is derived from the yearly \
             indexation of the later ones.",
            &[("notes", &replicates_note(s.replicates, l)), ("year", &start_year)],
        ),
        lang: l,
    })
}

/// A point with a 95% whisker, drawn with a thin white halo so the whisker
/// stays visible over bars and markers of any colour.
fn whisker<DB: DrawingBackend, X: Ranged<ValueType = f64>, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<DB, Cartesian2d<X, Y>>,
    x: f64,
    lo: f64,
    hi: f64,
    cap: f64,
) -> DrawResult<DB> {
    for (colour, width) in [(WHITE, 5), (INK, 2)] {
        let s = colour.stroke_width(width);
        chart.draw_series([
            PathElement::new(vec![(x, lo), (x, hi)], s),
            PathElement::new(vec![(x - cap, lo), (x + cap, lo)], s),
            PathElement::new(vec![(x - cap, hi), (x + cap, hi)], s),
        ])?;
    }
    Ok(())
}

/// Radius of the income chart's markers, in pixels.
const MARKER: i32 = 7;

impl Chart for IncomeChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (plot, legend_area) = frame(
            root,
            &self.title,
            self.lang.tr("Mean and median per-capita net income per arm (all arms start from the same population)"),
        )?;
        let mut hi = self.lines.iter().flatten().copied().fold(0.0, f64::max);
        for a in &self.arms {
            for (m, d) in &a.periods {
                for i in [m, d] {
                    hi = [i.mean, i.hi].into_iter().flatten().fold(hi, f64::max);
                }
            }
        }
        // Start at zero so distances to the poverty line read in proportion.
        let y1 = if hi > 0.0 { hi * 1.12 } else { 1.0 };
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(24)
            .margin_top(6)
            .margin_bottom(8)
            .x_label_area_size(56)
            .y_label_area_size(84)
            .build_cartesian_2d(Ticks::categories(2), 0f64..y1)?;
        let labels = &self.labels;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .y_labels(7)
            .x_label_formatter(&|x| labels[usize::from(*x > 0.5)].clone())
            .y_label_formatter(&|y| thousands(*y))
            .x_desc(self.lang.tr("point in time"))
            .y_desc(self.lang.tr("per-capita net income (yuan per person per year)"))
            .label_style(font(TICK_SIZE, INK))
            .axis_desc_style(font(BODY_SIZE, INK))
            .draw()?;

        // Poverty lines across each group, labelled above their left end.
        for (g, line) in self.lines.iter().enumerate() {
            let Some(line) = *line else { continue };
            let g = g as f64;
            chart.draw_series(DashedLineSeries::new(
                [(g - 0.45, line), (g + 0.45, line)],
                8,
                5,
                VERMILLION.stroke_width(2),
            ))?;
            chart.draw_series(std::iter::once(Text::new(
                self.line_labels[g as usize].clone(),
                (g - 0.44, line + y1 * 0.012),
                anchored(SMALL_SIZE, VERMILLION, HPos::Left, VPos::Bottom),
            )))?;
        }

        let n = self.arms.len() as f64;
        let slot = 0.8 / n;
        let mut whiskers = false;
        for (i, a) in self.arms.iter().enumerate() {
            for (g, (mean, median)) in a.periods.iter().enumerate() {
                let centre = g as f64 - 0.4 + (i as f64 + 0.5) * slot;
                let off = (slot * 0.22).min(0.06);
                for (k, iv) in [mean, median].into_iter().enumerate() {
                    let Some(m) = iv.mean else { continue };
                    let x = if k == 0 { centre - off } else { centre + off };
                    if let (Some(lo), Some(hi)) = (iv.lo, iv.hi) {
                        // An interval shorter than the marker would only
                        // look like a line struck through it.
                        let tall = chart.backend_coord(&(x, lo)).1 - chart.backend_coord(&(x, hi)).1;
                        if tall > 2 * MARKER + 4 {
                            whisker(&mut chart, x, lo, hi, off * 0.5)?;
                            whiskers = true;
                        }
                    }
                    if k == 0 {
                        chart.draw_series(std::iter::once(Circle::new((x, m), MARKER, a.colour.filled())))?;
                    } else {
                        chart.draw_series(std::iter::once(TriangleMarker::new(
                            (x, m),
                            MARKER + 2,
                            a.colour.filled(),
                        )))?;
                    }
                }
            }
        }

        let mut entries: Vec<(Key, String)> =
            self.arms.iter().map(|a| (Key::Swatch(a.colour), a.name.clone())).collect();
        let l = self.lang;
        entries.push((Key::Dot(GREY_DARK), l.tr("mean").into()));
        entries.push((Key::Triangle(GREY_DARK), l.tr("median").into()));
        if whiskers {
            entries.push((Key::Whisker, l.tr("95% interval").into()));
        }
        entries.push((Key::Dashed(VERMILLION), l.tr("poverty line").into()));
        legend(&legend_area, &entries, &self.note)
    }
}

// ---------------------------------------------------------------------------
// Prices and planted area

struct PricesChart<'a> {
    prices: &'a Prices,
    /// Indexes of the panels drawn, in file order.
    shown: Vec<usize>,
    lang: Lang,
}

fn prices_chart(p: &Prices, l: Lang) -> Option<PricesChart<'_>> {
    // Relative price movement: range over mean, so cheap and dear goods compare.
    let movement = |panel: &PricePanel| {
        let ps: Vec<f64> = panel.points.iter().map(|q| q.1).collect();
        let mean = ps.iter().sum::<f64>() / ps.len().max(1) as f64;
        let (lo, hi) = ps.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
        if mean > 0.0 && hi >= lo {
            (hi - lo) / mean
        } else {
            0.0
        }
    };
    let mut shown: Vec<usize> = (0..p.panels.len()).filter(|&i| !p.panels[i].points.is_empty()).collect();
    if shown.is_empty() {
        return None;
    }
    if shown.len() > 4 {
        shown.sort_by(|&a, &b| movement(&p.panels[b]).total_cmp(&movement(&p.panels[a])).then(a.cmp(&b)));
        shown.truncate(4);
        shown.sort_unstable();
    }
    Some(PricesChart { prices: p, shown, lang: l })
}

/// A sales unit in `l`: the common ones in Chinese, any other as written.
fn sales_unit(l: Lang, unit: &str) -> &str {
    match (l, unit) {
        (Lang::Zh, "jin") => "斤",
        (Lang::Zh, "plant") => "株",
        (Lang::Zh, "head") => "头",
        (Lang::Zh, "mu") => "亩",
        (Lang::Zh, "kg") => "公斤",
        _ => unit,
    }
}

/// Tick labels for an axis from 0 to `max`, in thousands or millions when
/// the numbers are long, with the same unit on every tick of the axis.
fn amount_label(max: f64) -> impl Fn(&f64) -> String {
    let (div, suffix) = if max >= 2e6 {
        (1e6, "M")
    } else if max >= 2e4 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let decimals = if div > 1.0 && max / div < 20.0 { 1 } else { 0 };
    move |v: &f64| {
        if v.abs() < 1e-9 {
            "0".to_string()
        } else if div > 1.0 {
            format!("{}{suffix}", fixed(v / div, decimals))
        } else {
            thousands(*v)
        }
    }
}

impl Chart for PricesChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let p = &self.prices;
        // The panels need the full width, so the legend is a row under the
        // title instead of the usual column.
        root.fill(&WHITE)?;
        let l = self.lang;
        root.draw_text(l.tr("Commodity prices and planted area"), &font(TITLE_SIZE, INK), (20, 14))?;
        let mut sub = l.fill("Arm “{arm}”, mean of {n} replicates, by month", &[("arm", &p.arm), ("n", &p.replicates)]);
        if self.shown.len() < p.panels.len() {
            let args: [(&str, &dyn std::fmt::Display); 2] = [("shown", &self.shown.len()), ("all", &p.panels.len())];
            sub.push_str(&l.fill("; the {shown} of {all} commodities whose price moved most", &args));
        }
        let sub_style = font(SMALL_SIZE, MUTED);
        root.draw_text(&fit(&sub, &sub_style, WIDTH - 40), &sub_style, (20, 46))?;
        legend_row(
            root,
            &[
                (Key::Line(BLUE), l.tr("price, yuan per sales unit (left axis)").into()),
                (Key::Dashed(VERMILLION), l.tr("planted area incl. outside farmers, mu or head (right axis)").into()),
            ],
            20,
            88,
        )?;
        let (_, body) = root.split_vertically(106);
        let (rows, cols) = match self.shown.len() {
            1 => (1, 1),
            2 => (2, 1),
            _ => (2, 2),
        };
        let cells = body.split_evenly((rows, cols));
        for (cell, &k) in cells.iter().zip(&self.shown) {
            let panel = &p.panels[k];
            let xs = panel.points.iter().map(|q| q.0);
            let x0 = xs.clone().fold(f64::INFINITY, f64::min);
            let x_last = xs.fold(f64::NEG_INFINITY, f64::max);
            // The last month is drawn as a point; keep one month of room after it.
            let x1 = x_last + 1.0 / 12.0;
            let pmax = panel.points.iter().map(|q| q.1).fold(0.0, f64::max);
            let amax = panel.points.iter().map(|q| q.2).fold(0.0, f64::max);
            let p1 = if pmax > 0.0 { pmax * 1.15 } else { 1.0 };
            // More headroom on the area axis: a flat planted area then sits
            // below the price peaks instead of on top of them.
            let a1 = if amax > 0.0 { amax * 1.35 } else { 1.0 };
            let years: Vec<f64> = (x0.ceil() as i32..=x_last.floor() as i32).map(f64::from).collect();
            let axis = Ticks::new(x0..x1, years);
            let mut chart = ChartBuilder::on(cell)
                .caption(&panel.commodity, font(BODY_SIZE, INK))
                .margin_top(4)
                .margin_bottom(4)
                .margin_left(12)
                .margin_right(12)
                .x_label_area_size(46)
                .y_label_area_size(72)
                .right_y_label_area_size(72)
                .build_cartesian_2d(axis.clone(), 0f64..p1)?
                .set_secondary_coord(axis, 0f64..a1);
            let price_decimals = decimals_for(p1);
            // An output folder written before units were recorded has none: "unit".
            let unit = p.units.get(&panel.commodity).map_or("unit", String::as_str);
            let price_desc = l.fill("price (yuan/{unit})", &[("unit", &sales_unit(l, unit))]);
            chart
                .configure_mesh()
                .disable_x_mesh()
                .bold_line_style(GRID)
                .light_line_style(TRANSPARENT)
                .y_labels(5)
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| fixed(*y, price_decimals))
                .x_desc(l.tr("year"))
                .y_desc(&price_desc)
                .label_style(font(TICK_SIZE, INK))
                .axis_desc_style(font(TICK_SIZE, INK))
                .draw()?;
            let area_label = amount_label(a1);
            chart
                .configure_secondary_axes()
                .y_labels(5)
                .y_label_formatter(&area_label)
                .y_desc(l.tr("area (mu or head)"))
                .label_style(font(TICK_SIZE, INK))
                .axis_desc_style(font(TICK_SIZE, INK))
                .draw()?;
            chart.draw_secondary_series(DashedLineSeries::new(
                panel.points.iter().map(|q| (q.0, q.2)),
                7,
                4,
                VERMILLION.stroke_width(2),
            ))?;
            chart.draw_series(LineSeries::new(panel.points.iter().map(|q| (q.0, q.1)), BLUE.stroke_width(3)))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Where the money went

struct MoneyChart {
    title: String,
    arms: Vec<(String, Vec<f64>)>,
    sinks: Vec<(String, RGBColor)>,
    note: String,
    lang: Lang,
}

fn sink_label(sink: &str, l: Lang) -> String {
    match sink {
        "to_poor_households" => l.tr("to poor households").into(),
        "to_nonpoor_households" => l.tr("to non-poor households").into(),
        "enterprise_equity" => l.tr("enterprise equity").into(),
        "enterprise_failed" => l.tr("failed enterprises").into(),
        "enterprise_owners" => l.tr("enterprise owners").into(),
        "coop_capital" => l.tr("cooperative capital").into(),
        "coop_founders" => l.tr("cooperative founders").into(),
        "diverted" => l.tr("diverted").into(),
        "lost_late" => l.tr("lost to late funds").into(),
        "admin" => l.tr("administration").into(),
        "unspent" => l.tr("unspent").into(),
        "public_works" => l.tr("public works").into(),
        "guarantee_capital" => l.tr("guarantee capital").into(),
        other => other.replace('_', " "),
    }
}

fn money_chart(s: &Summary, l: Lang) -> Option<MoneyChart> {
    // Sinks named in `sinks`, else whatever `sink_share.*` totals exist.
    let mut names: Vec<String> = s.sinks.clone();
    if names.is_empty() {
        let found: BTreeSet<String> = s
            .arms
            .iter()
            .flat_map(|a| a.totals.keys().filter_map(|k| k.strip_prefix("sink_share.").map(str::to_string)))
            .collect();
        names = found.into_iter().collect();
    }
    let share = |a: &Arm, sink: &str| a.totals.get(&format!("sink_share.{sink}")).and_then(|i| i.mean);
    // A sink under 0.1% of the budget in every arm would be an invisible sliver.
    // Colours follow a sink's place among all sinks, not among those shown,
    // so a sink has the same colour in every scenario's chart.
    let coloured: Vec<&String> = names.iter().filter(|k| !matches!(k.as_str(), "admin" | "unspent")).collect();
    let colour_of = |k: &str| match k {
        "admin" => GREY_DARK,
        "unspent" => GREY_LIGHT,
        _ => SINK_COLOURS[coloured.iter().position(|c| *c == k).unwrap_or(0) % SINK_COLOURS.len()],
    };
    let kept: Vec<&String> =
        names.iter().filter(|k| s.arms.iter().any(|a| share(a, k).is_some_and(|v| v.abs() >= 0.001))).collect();
    if kept.is_empty() {
        return None;
    }
    let arms: Vec<(String, Vec<f64>)> = s
        .arms
        .iter()
        .filter(|a| kept.iter().any(|k| share(a, k).is_some()))
        .map(|a| (a.name.clone(), kept.iter().map(|k| share(a, k).unwrap_or(0.0).max(0.0) * 100.0).collect()))
        .collect();
    let sinks = kept.iter().map(|k| (sink_label(k, l), colour_of(k))).collect();
    Some(MoneyChart {
        title: titled(l, l.tr("Where the money went"), s),
        arms,
        sinks,
        note: l.fill(
            "{notes} Shares of the budget credited over the whole run; sinks below 0.1% in every arm are left out.",
            &[("notes", &replicates_note(s.replicates, l))],
        ),
        lang: l,
    })
}

fn arm_label(names: &[String], x: f64) -> String {
    let i = x.round();
    if i >= 0.0 && (i as usize) < names.len() {
        names[i as usize].clone()
    } else {
        String::new()
    }
}

impl Chart for MoneyChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (plot, legend_area) = frame(
            root,
            &self.title,
            self.lang.tr("Mean share of each arm's budget ending in each ledger sink, whole run"),
        )?;
        let max_total = self.arms.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(100.0, f64::max);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(24)
            .margin_top(6)
            .margin_bottom(8)
            .x_label_area_size(56)
            .y_label_area_size(78)
            .build_cartesian_2d(Ticks::categories(self.arms.len()), 0f64..max_total * 1.03)?;
        let slot = chart.plotting_area().dim_in_pixel().0 / self.arms.len().max(1) as u32;
        let all: Vec<String> = self.arms.iter().map(|(n, _)| n.clone()).collect();
        let names = slot_labels(&all, slot);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .y_labels(6)
            .x_label_formatter(&|x| arm_label(&names, *x))
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .x_desc(self.lang.tr("arm"))
            .y_desc(self.lang.tr("share of the budget (%)"))
            .label_style(font(TICK_SIZE, INK))
            .axis_desc_style(font(BODY_SIZE, INK))
            .draw()?;
        let half = 0.3;
        for (i, (_, shares)) in self.arms.iter().enumerate() {
            let x = i as f64;
            let mut base = 0.0;
            for (v, (_, colour)) in shares.iter().zip(&self.sinks) {
                if *v <= 0.0 {
                    continue;
                }
                let top = base + v;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - half, base), (x + half, top)],
                    colour.filled(),
                )))?;
                // A thin white edge keeps neighbouring segments apart.
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - half, base), (x + half, top)],
                    WHITE.stroke_width(1),
                )))?;
                // Label a segment only where it is tall enough to hold the text.
                if *v >= 4.5 {
                    let ink = if is_dark(*colour) { WHITE } else { INK };
                    let label = if *v >= 9.95 { format!("{v:.0}%") } else { format!("{v:.1}%") };
                    chart.draw_series(std::iter::once(Text::new(
                        label,
                        (x, base + v / 2.0),
                        anchored(BODY_SIZE, ink, HPos::Center, VPos::Center),
                    )))?;
                }
                base = top;
            }
        }
        // Legend top to bottom in the order the segments stack, top first.
        let entries: Vec<(Key, String)> =
            self.sinks.iter().rev().map(|(label, colour)| (Key::Swatch(*colour), label.clone())).collect();
        legend(&legend_area, &entries, &self.note)
    }
}

// ---------------------------------------------------------------------------
// Cost per sustained exit

struct CostBar {
    arm: String,
    colour: RGBColor,
    /// `None`: no bar, `status` written instead ("reference", "not defined").
    mean: Option<f64>,
    lo: Option<f64>,
    hi: Option<f64>,
    status: String,
}

struct CostChart {
    title: String,
    subtitle: String,
    y_desc: String,
    bars: Vec<CostBar>,
    note: String,
    lang: Lang,
}

fn cost_chart(s: &Summary, l: Lang) -> Option<CostChart> {
    let bars: Vec<_> = s
        .arms
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let c = a.totals.get("cost_per_sustained_exit")?;
            let mean = Some(c.mean?);
            Some(CostBar {
                arm: a.name.clone(),
                colour: arm_colour(i),
                mean,
                lo: c.lo,
                hi: c.hi,
                status: String::new(),
            })
        })
        .collect();
    if bars.is_empty() {
        return None;
    }
    Some(CostChart {
        title: titled(l, l.tr("Cost per sustained exit"), s),
        subtitle: l.tr("Budget spent per household exit from poverty that lasted, whole run, with 95% interval").into(),
        y_desc: l.tr("yuan per sustained exit").into(),
        bars,
        note: l.fill(
            "{notes} Budget spent ÷ all sustained exits in the arm (not the exits it adds over the reference). An arm \
             that spends nothing shows 0; arms with no sustained exit are left out.",
            &[("notes", &replicates_note(s.replicates, l))],
        ),
        lang: l,
    })
}

impl Chart for CostChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (plot, legend_area) = frame(root, &self.title, &self.subtitle)?;
        let tops = self.bars.iter().filter_map(|b| b.mean.map(|m| b.hi.unwrap_or(m).max(m)));
        let top = tops.fold(0.0, f64::max);
        let bottoms = self.bars.iter().filter_map(|b| b.mean.map(|m| b.lo.unwrap_or(m).min(m)));
        let bottom = bottoms.fold(0.0, f64::min);
        let y1 = if top > 0.0 { top * 1.15 } else { 1.0 };
        let y0 = if bottom < 0.0 { bottom * 1.15 } else { 0.0 };
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(24)
            .margin_top(6)
            .margin_bottom(8)
            .x_label_area_size(56)
            .y_label_area_size(90)
            .build_cartesian_2d(Ticks::categories(self.bars.len()), y0..y1)?;
        let slot = chart.plotting_area().dim_in_pixel().0 / self.bars.len().max(1) as u32;
        let all: Vec<String> = self.bars.iter().map(|b| b.arm.clone()).collect();
        let names = slot_labels(&all, slot);
        let value_style = anchored(BODY_SIZE, INK, HPos::Center, VPos::Bottom);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .y_labels(7)
            .x_label_formatter(&|x| arm_label(&names, *x))
            .y_label_formatter(&|y| thousands(*y))
            .x_desc(self.lang.tr("arm"))
            .y_desc(self.y_desc.as_str())
            .label_style(font(TICK_SIZE, INK))
            .axis_desc_style(font(BODY_SIZE, INK))
            .draw()?;
        for (i, bar) in self.bars.iter().enumerate() {
            let x = i as f64;
            let Some(mean) = bar.mean else {
                let note = anchored(BODY_SIZE, MUTED, HPos::Center, VPos::Bottom);
                chart.draw_series(std::iter::once(Text::new(bar.status.clone(), (x, y1 * 0.02), note)))?;
                continue;
            };
            chart
                .draw_series(std::iter::once(Rectangle::new([(x - 0.3, 0.0), (x + 0.3, mean)], bar.colour.filled())))?;
            if let (Some(lo), Some(hi)) = (bar.lo, bar.hi) {
                whisker(&mut chart, x, lo, hi, 0.06)?;
            }
            let label_at = bar.hi.unwrap_or(mean).max(mean);
            // Drop the unit (the axis gives it) when neighbours would touch.
            let mut label = self.lang.fill("{value} yuan", &[("value", &thousands(mean))]);
            if text_width(&label, &value_style) + 8 > slot {
                label = thousands(mean);
            }
            chart.draw_series(std::iter::once(Text::new(label, (x, label_at + y1 * 0.015), value_style.clone())))?;
        }
        let entries: Vec<(Key, String)> = self
            .bars
            .iter()
            .filter(|b| b.mean.is_some())
            .map(|b| (Key::Swatch(b.colour), b.arm.clone()))
            .chain(std::iter::once((Key::Whisker, self.lang.tr("95% interval").into())))
            .collect();
        legend(&legend_area, &entries, &self.note)
    }
}

/// Extra cost per poverty person-year averted, per arm, against the reference.
fn effectiveness_chart(s: &Summary, l: Lang) -> Option<CostChart> {
    if s.comparisons.len() < 2 {
        return None;
    }
    let bars = s
        .comparisons
        .iter()
        .map(|c| {
            let k = &c.cost_per_poverty_year_averted;
            let status = if c.role == "reference" { l.tr("reference") } else { l.tr("not defined") };
            CostBar {
                arm: c.arm.clone(),
                colour: arm_colour(s.arm_index(&c.arm).unwrap_or(0)),
                mean: k.mean,
                lo: k.lo,
                hi: k.hi,
                status: status.into(),
            }
        })
        .collect();
    let reference = &s.comparisons[0].arm;
    Some(CostChart {
        title: titled(l, l.tr("Cost per poverty person-year averted"), s),
        subtitle: l.fill(
            "Extra budget spent over “{reference}” per person-year out of poverty, whole run",
            &[("reference", reference)],
        ),
        y_desc: l.tr("yuan per person-year averted").into(),
        bars,
        note: l.fill(
            "{notes} Ratio of paired means with Fieller's 95% interval (no whiskers where it is unbounded). \
             \"not defined\": the arm does not avert poverty person-years on average.",
            &[("notes", &replicates_note(s.replicates, l))],
        ),
        lang: l,
    })
}

// ---------------------------------------------------------------------------
// Who gains and who loses

struct DecileChart {
    title: String,
    /// Per arm: its label, colour and the change in each decile.
    arms: Vec<(String, RGBColor, Vec<f64>)>,
    note: String,
    lang: Lang,
}

fn decile_chart(s: &Summary, l: Lang) -> Option<DecileChart> {
    let arms: Vec<_> = s
        .arms
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, a)| {
            let v: Option<Vec<f64>> =
                (1..=10).map(|k| a.totals.get(&format!("income_change.decile_{k}")).and_then(|x| x.mean)).collect();
            Some((a.name.clone(), arm_colour(i), v?))
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    let reference = s.arms.first().map(|a| a.name.clone()).unwrap_or_default();
    Some(DecileChart {
        title: titled(l, &l.fill("Income change by decile against “{reference}”", &[("reference", &reference)]), s),
        arms,
        note: l.fill(
            "{notes} Deciles of per-capita income before the policy, person-weighted; mean change per person per year \
             over the policy years.",
            &[("notes", &replicates_note(s.replicates, l))],
        ),
        lang: l,
    })
}

impl Chart for DecileChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (plot, legend_area) =
            frame(root, &self.title, self.lang.tr("Each household compared with itself under the reference arm"))?;
        let values = self.arms.iter().flat_map(|a| a.2.iter().copied()).chain([0.0]);
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
        let (y0, y1) = padded(lo, hi, 0.08);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(24)
            .margin_top(6)
            .margin_bottom(8)
            .x_label_area_size(56)
            .y_label_area_size(90)
            .build_cartesian_2d(Ticks::categories(10), y0..y1)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .y_labels(7)
            .x_label_formatter(&|x| format!("{:.0}", x + 1.0))
            .y_label_formatter(&|y| thousands(*y))
            .x_desc(self.lang.tr("decile of income before the policy (1 = poorest)"))
            .y_desc(self.lang.tr("change (yuan/person/year)"))
            .label_style(font(TICK_SIZE, INK))
            .axis_desc_style(font(BODY_SIZE, INK))
            .draw()?;
        let width = 0.8 / self.arms.len() as f64;
        for (k, (_, colour, values)) in self.arms.iter().enumerate() {
            let offset = -0.4 + width * k as f64;
            chart.draw_series(values.iter().enumerate().map(|(d, &v)| {
                let x = d as f64 + offset;
                Rectangle::new([(x, 0.0), (x + width * 0.9, v)], colour.filled())
            }))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(vec![(-0.5, 0.0), (9.5, 0.0)], MUTED.stroke_width(2))))?;
        let entries: Vec<(Key, String)> = self.arms.iter().map(|(n, c, _)| (Key::Swatch(*c), n.clone())).collect();
        legend(&legend_area, &entries, &self.note)
    }
}

struct WinnersChart {
    title: String,
    /// Per arm: its name and the mean shares better off and worse off.
    arms: Vec<(String, f64, f64)>,
    note: String,
    lang: Lang,
}

fn winners_chart(s: &Summary, l: Lang) -> Option<WinnersChart> {
    let mean = |a: &crate::summary::Arm, m: &str| -> Option<f64> {
        let v: Vec<f64> = a.years.iter().filter_map(|y| y.metrics.get(m).and_then(|i| i.mean)).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let arms: Vec<_> = s.arms[1.min(s.arms.len())..]
        .iter()
        .filter_map(|a| Some((a.name.clone(), mean(a, "winners_share")?, mean(a, "losers_share")?)))
        .collect();
    if arms.is_empty() {
        return None;
    }
    let reference = s.arms.first().map(|a| a.name.clone()).unwrap_or_default();
    Some(WinnersChart {
        title: titled(l, &l.fill("Winners and losers against “{reference}”", &[("reference", &reference)]), s),
        arms,
        note: l.fill(
            "{notes} Shares of households, averaged over the policy years.",
            &[("notes", &replicates_note(s.replicates, l))],
        ),
        lang: l,
    })
}

impl Chart for WinnersChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (plot, legend_area) =
            frame(root, &self.title, self.lang.tr("Each household compared with itself under the reference arm"))?;
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(24)
            .margin_top(6)
            .margin_bottom(8)
            .x_label_area_size(56)
            .y_label_area_size(78)
            .build_cartesian_2d(Ticks::categories(self.arms.len()), 0f64..100.0)?;
        let slot = chart.plotting_area().dim_in_pixel().0 / self.arms.len().max(1) as u32;
        let all: Vec<String> = self.arms.iter().map(|a| a.0.clone()).collect();
        let names = slot_labels(&all, slot);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .y_labels(6)
            .x_label_formatter(&|x| arm_label(&names, *x))
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .x_desc(self.lang.tr("arm"))
            .y_desc(self.lang.tr("share of households"))
            .label_style(font(TICK_SIZE, INK))
            .axis_desc_style(font(BODY_SIZE, INK))
            .draw()?;
        for (i, (_, better, worse)) in self.arms.iter().enumerate() {
            let x = i as f64;
            let (b, w) = (better * 100.0, worse * 100.0);
            let parts = [(0.0, b, GREEN), (b, 100.0 - w, GREY_LIGHT), (100.0 - w, 100.0, VERMILLION)];
            chart
                .draw_series(parts.iter().map(|&(a, z, c)| Rectangle::new([(x - 0.3, a), (x + 0.3, z)], c.filled())))?;
        }
        let entries = [
            (Key::Swatch(GREEN), self.lang.tr("better off").to_string()),
            (Key::Swatch(GREY_LIGHT), self.lang.tr("unchanged").to_string()),
            (Key::Swatch(VERMILLION), self.lang.tr("worse off").to_string()),
        ];
        legend(&legend_area, &entries, &self.note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_breaks_between_characters_and_english_between_words() {
        let pieces = break_points("20 次重复的平均值。 Shaded band");
        let texts: Vec<&str> = pieces.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(texts, ["20", "次", "重", "复", "的", "平", "均", "值", "。", "Shaded", "band"]);
        assert!(pieces[1].0 && !pieces[2].0 && pieces[9].0, "spaces kept only where the text had them");
        let style = font(SMALL_SIZE, INK);
        // A Chinese character is drawn wider than a Latin letter, and measured so.
        assert!(text_width("贫困", &style) > text_width("ab", &style));
        let lines = wrap("每个收入分布只记录均值和中位数。须线：95% 置信区间。", &style, 120);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, &style) <= 120), "{lines:?}");
    }

    /// `text` drawn black at 30 px on a white 120 × 50 PNG canvas, as RGB.
    fn drawn(text: &str) -> Vec<u8> {
        register_font().unwrap();
        let mut rgb = vec![255u8; 120 * 50 * 3];
        {
            let inner = BitMapBackend::with_buffer(&mut rgb, (120, 50));
            let root = PngBackend { inner, fonts: png_fonts().unwrap() }.into_drawing_area();
            root.draw_text(text, &TextStyle::from((FONT, 30)).color(&BLACK), (5, 5)).unwrap();
            root.present().unwrap();
        }
        rgb
    }

    #[test]
    fn chinese_text_is_drawn_with_its_own_glyphs_not_boxes() {
        let fonts = png_fonts().unwrap();
        // Every character of the township's likely Chinese names comes from the CJK font, Latin from DejaVu.
        for c in "扶贫现金企业带动合作社不花钱龙头太子参党参苹果刘家邓家郑坪村乡镇，（）：".chars()
        {
            assert_eq!(font_for(&fonts, c), 1, "{c}");
        }
        for c in "cash 2020 yuan/mu".chars() {
            assert_eq!(font_for(&fonts, c), 0, "{c}");
        }
        // Two different characters leave different ink (missing glyphs would be the same box), and ink there is.
        let (fu, pin, blank) = (drawn("扶"), drawn("贫"), drawn(""));
        assert_ne!(fu, blank);
        assert_ne!(pin, blank);
        assert_ne!(fu, pin);
        // A Latin label is drawn as before, by DejaVu alone.
        assert_ne!(drawn("cash"), blank);
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(127172.14), "127,172");
        assert_eq!(thousands(999.6), "1,000");
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(-4001.1), "−4,001");
    }

    #[test]
    fn amount_labels_share_one_unit() {
        let f = amount_label(25_000.0);
        assert_eq!((f(&0.0), f(&5000.0), f(&20000.0)), ("0".into(), "5k".into(), "20k".into()));
        let f = amount_label(3e6);
        assert_eq!((f(&5e5), f(&2.5e6)), ("0.5M".into(), "2.5M".into()));
        let f = amount_label(4_500.0);
        assert_eq!(f(&4000.0), "4,000");
        let f = amount_label(3e7);
        assert_eq!(f(&2.5e7), "25M");
    }

    #[test]
    fn fixed_has_no_negative_zero() {
        assert_eq!(fixed(-0.001, 1), "0.0");
        assert_eq!(fixed(-1.26, 1), "−1.3");
    }

    #[test]
    fn pre_policy_line_follows_the_indexation() {
        let v = serde_json::json!({"start_year": 2015, "arms": [], "poverty_line": [2800.0, 3007.2]});
        let s: Summary = serde_json::from_value(v).unwrap();
        assert_eq!(s.poverty_line_in(2015), Some(2800.0));
        assert_eq!(s.poverty_line_in(2016), Some(3007.2));
        assert!((s.poverty_line_in(2014).unwrap() - 2800.0 / 1.074).abs() < 1e-9);
        assert_eq!(s.poverty_line_in(2017), None);
        // Lines in yuan of the pre-policy year, with the index that makes them nominal.
        let v = serde_json::json!({"start_year": 2015, "arms": [], "poverty_line": [2800.0 / 1.074, 2800.0 / 1.074],
            "price_index": [1.074, 1.074 * 1.074]});
        let s: Summary = serde_json::from_value(v).unwrap();
        assert!((s.poverty_line_in(2014).unwrap() - 2800.0 / 1.074).abs() < 1e-9);
    }

    #[test]
    fn null_means_are_missing() {
        let v = serde_json::json!({"start_year": 2015, "arms": [{"name": "a", "totals":
            {"cost_per_sustained_exit": {"mean": null, "lo": null, "hi": null}}}]});
        let s: Summary = serde_json::from_value(v).unwrap();
        assert_eq!(s.arms[0].totals["cost_per_sustained_exit"], Interval::default());
        assert!(cost_chart(&s, Lang::En).is_none());
    }
}
