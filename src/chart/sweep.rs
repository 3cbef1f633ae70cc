//! Charts of a sweep (`fupin sweep`), drawn into `OUT/charts/` as PNG and
//! SVG like a run's, for each reported arm or difference and each outcome:
//!
//! | file stem | what it shows |
//! |---|---|
//! | `points.<outcome>.<period>.<arm>` | the outcome at every design point against each numeric parameter |
//! | `morris.<outcome>.<period>.<arm>` | μ* against σ of the Morris elementary effects, one dot per parameter |
//! | `sobol.<outcome>.<period>.<arm>` | first-order S1 and total ST Sobol indices with 95% bootstrap intervals |

use super::*;
use crate::sweep::results::Results;

/// Most parameter panels drawn in one `points` chart.
const MAX_PANELS: usize = 12;

/// A drawn chart: its SVG and PNG paths and a caption for the report.
pub struct Figure {
    pub stem: String,
    pub files: Vec<PathBuf>,
    pub caption: String,
}

/// `<metric>.<period>.<arm>` of reported `k` and outcome `o`, every
/// character but letters, digits, `-`, `_` and `.` replaced by `_`.
fn cleaned(r: &Results, k: usize, o: usize) -> String {
    let (rep, out) = (&r.sweep.reported[k], &r.sweep.outcomes[o]);
    let arm = match rep.minus {
        None => rep.name.clone(),
        Some(_) => format!("{}-minus-{}", rep.name, rep.minus_name),
    };
    let raw = format!("{}.{}.{arm}", out.metric, out.period);
    raw.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect()
}

/// The file stem of chart `kind` of reported `k` and outcome `o`. A file
/// name has at most 255 bytes: a long (or Chinese) name is cut at 150 bytes,
/// on a character boundary, and one that is cut, or that another arm's
/// would equal once cleaned (`a b` and `a_b`), gets `~k-o` to stay distinct.
fn stem(kind: &str, r: &Results, k: usize, o: usize) -> String {
    let name = cleaned(r, k, o);
    let mut cut = 150.min(name.len());
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let clashes = (0..r.sweep.reported.len())
        .flat_map(|k2| (0..r.sweep.outcomes.len()).map(move |o2| (k2, o2)))
        .any(|(k2, o2)| (k2, o2) != (k, o) && cleaned(r, k2, o2) == name);
    if cut < name.len() || clashes {
        format!("{kind}.{}~{k}-{o}", &name[..cut])
    } else {
        format!("{kind}.{name}")
    }
}

/// What chart (`k`, `o`) shows: the outcome (its metric and period) and the
/// arm or difference, in `l`.
pub fn what(r: &Results, k: usize, o: usize, l: Lang) -> String {
    let out = &r.sweep.outcomes[o];
    let period = if out.period == "run" { l.tr("whole run").to_string() } else { out.period.clone() };
    let outcome = l.fill("{metric} ({period})", &[("metric", &out.metric), ("period", &period)]);
    l.fill("{outcome} — {arm}", &[("outcome", &outcome), ("arm", &r.sweep.reported[k].label())])
}

/// Draw every chart of a sweep into `out/charts/`. Returns the figures in
/// drawing order.
pub fn write_charts(out: &Path, r: &Results, l: Lang) -> Result<Vec<Figure>> {
    register_font()?;
    let dir = out.join("charts");
    std::fs::create_dir_all(&dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
    let mut figures = Vec::new();
    for k in 0..r.sweep.reported.len() {
        for o in 0..r.sweep.outcomes.len() {
            let what = what(r, k, o, l);
            let y = r.y(k, o);
            let points = PointsChart::new(r, o, (&what, l), &y);
            let s = stem("points", r, k, o);
            let args: [(&str, &dyn std::fmt::Display); 3] =
                [("what", &what), ("n", &r.sweep.base.replicates), ("points", &y.len())];
            let caption = l.fill(
                "{what}: the mean over {n} replicates at each of the {points} design points, against each parameter's value.",
                &args,
            );
            figures.push(Figure { files: emit(&dir, &s, points.as_ref())?, stem: s, caption });
            let rows: Vec<_> = r.indices.iter().filter(|i| i.reported == k && i.outcome == o).collect();
            let value = |j: usize, name: &str| rows.iter().find(|i| i.parameter == j && i.index == name).copied();
            let names: Vec<String> = r.sweep.parameters.iter().map(|p| p.path.clone()).collect();
            if let crate::sweep::Design::Morris(_) = r.sweep.design {
                let dots = (0..names.len())
                    .filter_map(|j| Some((names[j].clone(), value(j, "mu_star")?.value, value(j, "sigma")?.value)))
                    .filter(|(_, a, b)| a.is_finite() && b.is_finite())
                    .collect();
                let chart =
                    MorrisChart { title: l.fill("Morris screening: {what}", &[("what", &what)]), dots, lang: l };
                let s = stem("morris", r, k, o);
                let caption = l.fill(
                    "{what}: for each parameter, μ* (the mean absolute elementary effect, in the outcome's unit per \
                     the parameter's whole range) against σ (the spread of its effects: non-linearity or \
                     interactions), over {n} trajectories.",
                    &[("what", &what), ("n", &(r.sweep.points / (names.len() + 1)))],
                );
                figures.push(Figure { files: emit(&dir, &s, Some(&chart))?, stem: s, caption });
            }
            if let crate::sweep::Design::Sobol(d) = &r.sweep.design {
                let bars = (0..names.len())
                    .filter_map(|j| Some((names[j].clone(), value(j, "S1")?.clone(), value(j, "ST")?.clone())))
                    .collect();
                let chart = SobolChart { title: l.fill("Sobol indices: {what}", &[("what", &what)]), bars, lang: l };
                let s = stem("sobol", r, k, o);
                let args: [(&str, &dyn std::fmt::Display); 4] =
                    [("what", &what), ("n", &d.n), ("points", &r.sweep.points), ("resamples", &r.sweep.bootstrap)];
                let caption = l.fill(
                    "{what}: first-order (S1) and total (ST) Sobol indices of each parameter, from {n} base samples \
                     ({points} points), with 95% bootstrap intervals ({resamples} resamples). ST − S1 is the share of \
                     variance the parameter causes through interactions.",
                    &args,
                );
                figures.push(Figure { files: emit(&dir, &s, Some(&chart))?, stem: s, caption });
            }
        }
    }
    Ok(figures)
}

/// Tick decimals for an axis spanning `span`, one more than a run's charts
/// use below 0.08 (parameters and indices can span a few hundredths).
fn fine_decimals(span: f64) -> usize {
    decimals_for(span) + usize::from(span < 0.08)
}

/// A parameter's short name: the last segment of its path.
fn short(path: &str) -> String {
    path.rsplit('.').next().unwrap_or(path).to_string()
}

/// A message in the middle of the plot area, for a chart with nothing to show.
fn nothing<DB: DrawingBackend>(area: &Area<DB>, text: &str) -> DrawResult<DB> {
    let style = anchored(BODY_SIZE, MUTED, HPos::Center, VPos::Center);
    let (w, h) = area.dim_in_pixel();
    for (i, line) in wrap(text, &style, w.saturating_sub(80)).iter().enumerate() {
        area.draw_text(line, &style, (w as i32 / 2, h as i32 / 2 - 40 + 26 * i as i32))?;
    }
    Ok(())
}

struct Panel {
    name: String,
    xy: Vec<(f64, f64)>,
}

struct PointsChart {
    title: String,
    subtitle: String,
    panels: Vec<Panel>,
    lang: Lang,
}

impl PointsChart {
    fn new(r: &Results, o: usize, (what, l): (&str, Lang), y: &[f64]) -> Option<PointsChart> {
        let sweep = r.sweep;
        let numeric = |j: usize| match &sweep.parameters[j].range {
            crate::sweep::Range::Continuous { .. } => true,
            crate::sweep::Range::Values(v) => v.iter().all(|l| l.number.is_some()),
        };
        let panels: Vec<Panel> = (0..sweep.parameters.len())
            .filter(|&j| numeric(j))
            .take(MAX_PANELS)
            .map(|j| Panel {
                name: sweep.parameters[j].path.clone(),
                xy: (0..sweep.points)
                    .zip(y)
                    .filter_map(|(p, &v)| Some((sweep.level(p, j).number?, v)))
                    .filter(|(_, v)| v.is_finite())
                    .collect(),
            })
            .collect();
        (!panels.is_empty() && panels.iter().any(|p| !p.xy.is_empty())).then(|| PointsChart {
            title: l.fill("{what}, at every design point", &[("what", &what)]),
            subtitle: l.fill(
                "y: the outcome ({unit}), mean over {n} replicates; x: each parameter's value; darker dots are \
                 several points on top of each other",
                &[
                    ("unit", &crate::outcome::unit_in(&r.sweep.base.commodities, &r.sweep.outcomes[o].metric)),
                    ("n", &r.sweep.base.replicates),
                ],
            ),
            panels,
            lang: l,
        })
    }
}

impl Chart for PointsChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let title_style = font(TITLE_SIZE, INK);
        root.draw_text(&fit(&self.title, &title_style, WIDTH - 40), &title_style, (20, 14))?;
        let sub_style = font(SMALL_SIZE, MUTED);
        root.draw_text(&fit(&self.subtitle, &sub_style, WIDTH - 40), &sub_style, (20, 46))?;
        let (_, body) = root.split_vertically(74);
        let (body, _) = body.split_horizontally(WIDTH - 16);
        let n = self.panels.len();
        let cols = (n as f64).sqrt().ceil() as usize;
        let rows = n.div_ceil(cols);
        let ys = self.panels.iter().flat_map(|p| p.xy.iter().map(|&(_, y)| y));
        let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
        let (y0, y1) = if lo.is_finite() { padded(lo, hi, 0.08) } else { (0.0, 1.0) };
        let decimals = fine_decimals(y1 - y0);
        if hi - lo <= 1e-12 * hi.abs().max(1.0) {
            return nothing(
                &body,
                &self.lang.fill(
                    "The outcome is {value} at every design point: no parameter moves it.",
                    &[("value", &fixed(lo, 4))],
                ),
            );
        }
        for (panel, area) in self.panels.iter().zip(body.split_evenly((rows, cols))) {
            let (xl, xh) =
                panel.xy.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(x, _)| (a.min(x), b.max(x)));
            let (x0, x1) = if xl.is_finite() { padded(xl, xh, 0.05) } else { (0.0, 1.0) };
            let caption_style = font(SMALL_SIZE, INK);
            let width = area.dim_in_pixel().0.saturating_sub(20);
            let mut chart = ChartBuilder::on(&area)
                .margin(6)
                .margin_right(18)
                .caption(fit(&short(&panel.name), &caption_style, width), caption_style)
                .x_label_area_size(26)
                .y_label_area_size(64)
                .build_cartesian_2d(x0..x1, y0..y1)?;
            let xd = fine_decimals(x1 - x0);
            chart
                .configure_mesh()
                .bold_line_style(GRID)
                .light_line_style(TRANSPARENT)
                .x_labels(4)
                .y_labels(5)
                .x_label_formatter(&|x| fixed(*x, xd))
                .y_label_formatter(&|y| fixed(*y, decimals))
                .label_style(font(12.0, INK))
                .draw()?;
            chart.draw_series(panel.xy.iter().map(|&(x, y)| Circle::new((x, y), 3, BLUE.mix(0.6).filled())))?;
        }
        Ok(())
    }
}

struct MorrisChart {
    title: String,
    /// (parameter, μ*, σ).
    dots: Vec<(String, f64, f64)>,
    lang: Lang,
}

impl Chart for MorrisChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (plot, legend_area) = frame(
            root,
            &self.title,
            self.lang
                .tr("μ* ranks the parameters by influence; σ near or above μ* flags non-linearity or interactions"),
        )?;
        let top = |f: fn(&(String, f64, f64)) -> f64| self.dots.iter().map(f).fold(0.0, f64::max);
        let (mx, sx) = (top(|d| d.1), top(|d| d.2));
        if mx <= 0.0 {
            let none = "Every elementary effect is zero: no parameter moves this outcome over its range.";
            return nothing(&plot, self.lang.tr(none));
        }
        let x1 = if mx > 0.0 { mx * 1.25 } else { 1.0 };
        let y1 = if sx > 0.0 { sx * 1.2 } else { 1.0 };
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(24)
            .margin_top(6)
            .margin_bottom(8)
            .x_label_area_size(56)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..x1, 0.0..y1)?;
        let (xd, yd) = (fine_decimals(x1), fine_decimals(y1));
        chart
            .configure_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|x| fixed(*x, xd))
            .y_label_formatter(&|y| fixed(*y, yd))
            .x_desc(self.lang.tr("μ*: mean |elementary effect| per whole range"))
            .y_desc(self.lang.tr("σ of the elementary effects"))
            .label_style(font(TICK_SIZE, INK))
            .axis_desc_style(font(BODY_SIZE, INK))
            .draw()?;
        let m = x1.min(y1);
        chart.draw_series(DashedLineSeries::new([(0.0, 0.0), (m, m)], 6, 4, MUTED.stroke_width(1)))?;
        for (i, (_, x, y)) in self.dots.iter().enumerate() {
            chart.draw_series(std::iter::once(Circle::new((*x, *y), 7, arm_colour(i).filled())))?;
        }
        let entries: Vec<(Key, String)> = self
            .dots
            .iter()
            .enumerate()
            .map(|(i, d)| (Key::Dot(arm_colour(i)), short(&d.0)))
            .chain(std::iter::once((Key::Dashed(MUTED), "σ = μ*".into())))
            .collect();
        legend(&legend_area, &entries, "")
    }
}

struct SobolChart {
    title: String,
    /// (parameter, S1, ST).
    bars: Vec<(String, crate::sweep::results::IndexRow, crate::sweep::results::IndexRow)>,
    lang: Lang,
}

impl Chart for SobolChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (plot, legend_area) = frame(
            root,
            &self.title,
            self.lang.tr("Share of the outcome's variance over the design due to each parameter"),
        )?;
        if self.bars.iter().all(|(_, a, b)| !a.value.is_finite() && !b.value.is_finite()) {
            return nothing(
                &plot,
                self.lang.tr("The outcome does not vary across the design points: its Sobol indices are undefined."),
            );
        }
        // Indices lie in [0, 1]; estimates and intervals beyond are cut at the axis.
        let (y0, y1) = (-0.1, 1.1);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(10)
            .margin_right(24)
            .margin_top(6)
            .margin_bottom(8)
            .x_label_area_size(56)
            .y_label_area_size(70)
            .build_cartesian_2d(Ticks::categories(self.bars.len()), y0..y1)?;
        let slot = chart.plotting_area().dim_in_pixel().0 / self.bars.len().max(1) as u32;
        let all: Vec<String> = self.bars.iter().map(|b| short(&b.0)).collect();
        let names = slot_labels(&all, slot);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .y_labels(6)
            .x_label_formatter(&|x| arm_label(&names, *x))
            .y_label_formatter(&|y| fixed(*y, 1))
            .x_desc(self.lang.tr("parameter"))
            .y_desc(self.lang.tr("Sobol index"))
            .label_style(font(TICK_SIZE, INK))
            .axis_desc_style(font(BODY_SIZE, INK))
            .draw()?;
        for (i, (_, s1, st)) in self.bars.iter().enumerate() {
            for (index, dx, colour) in [(s1, -0.2, BLUE), (st, 0.2, ORANGE)] {
                let x = i as f64 + dx;
                if !index.value.is_finite() {
                    continue;
                }
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.17, 0.0), (x + 0.17, index.value)],
                    colour.filled(),
                )))?;
                if let (Some(lo), Some(hi)) = (index.low, index.high) {
                    whisker(&mut chart, x, lo, hi, 0.05)?;
                }
            }
        }
        let entries = vec![
            (Key::Swatch(BLUE), self.lang.tr("S1, first order").to_string()),
            (Key::Swatch(ORANGE), self.lang.tr("ST, total").to_string()),
            (Key::Whisker, self.lang.tr("95% bootstrap interval").to_string()),
        ];
        let odd = self.bars.iter().any(|(_, a, b)| {
            let out = |v: f64| v.is_finite() && !(-0.05..=1.05).contains(&v);
            out(a.value) || out(b.value) || (a.value.is_finite() && b.value.is_finite() && a.value > b.value + 0.05)
        });
        let note = if odd {
            self.lang.tr(
                "Some estimates fall outside [0, 1] or have S1 > ST: too few base samples for this outcome; take more.",
            )
        } else {
            self.lang.tr("The axis is cut at −0.1 and 1.1.")
        };
        legend(&legend_area, &entries, note)
    }
}
