//! Chinese text in the SVGs, drawn as outlines.
//!
//! plotters writes each label as an SVG `<text>` that names the family
//! `sans-serif`, which a viewer resolves with its own fonts: on a machine
//! without a Chinese font, Chinese labels would show as boxes. So every
//! `<text>` element holding a CJK character is replaced by the outlines of
//! its glyphs (`<path>`), taken from the fonts compiled into fupin (DejaVu
//! Sans, then the CJK fallback for what it lacks, as in the PNGs) and placed
//! as a browser would place the text: same position, anchor, baseline,
//! size, colour and rotation. Such an SVG shows the same on any machine; its
//! Chinese is no longer selectable text. Elements without CJK are left
//! byte for byte as plotters wrote them, so an English chart is unchanged.

use super::fonts::{font_for, is_cjk};
use ab_glyph::{Font, FontRef, OutlineCurve};
use std::fmt::Write as _;

/// DejaVu Sans's x-height in em (1120 of 2048 units): what `ex` means in
/// the `dy` plotters writes.
const EX: f64 = 0.547;

/// `svg` with every `<text>` element that holds a CJK character replaced
/// by the outlines of its glyphs in `fonts` (the first with a glyph for a
/// character draws it).
pub(crate) fn outline_cjk(svg: &str, fonts: &[FontRef<'static>; 2]) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let Some(end) = rest[start..].find("</text>").map(|e| start + e + "</text>".len()) else { break };
        out.push_str(&rest[..start]);
        let element = &rest[start..end];
        match Text::parse(element).filter(|t| t.content.chars().any(is_cjk)) {
            Some(t) => out.push_str(&t.outlined(fonts)),
            None => out.push_str(element),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The attributes and content of one `<text>` element as plotters writes it.
struct Text {
    x: f64,
    y: f64,
    /// `dy` in em (an `ex` value converted).
    dy_em: f64,
    anchor: String,
    size: f64,
    fill: String,
    opacity: String,
    transform: Option<String>,
    content: String,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

impl Text {
    fn parse(element: &str) -> Option<Text> {
        let open_end = element.find('>')?;
        let tag = &element[..open_end];
        let content = element[open_end + 1..element.rfind("</text>")?].trim();
        let dy = attr(tag, "dy").unwrap_or("0");
        let dy_em = if let Some(v) = dy.strip_suffix("em") {
            v.parse().ok()?
        } else if let Some(v) = dy.strip_suffix("ex") {
            v.parse::<f64>().ok()? * EX
        } else {
            0.0
        };
        Some(Text {
            x: attr(tag, "x")?.parse().ok()?,
            y: attr(tag, "y")?.parse().ok()?,
            dy_em,
            anchor: attr(tag, "text-anchor").unwrap_or("start").to_string(),
            size: attr(tag, "font-size")?.parse().ok()?,
            fill: attr(tag, "fill").unwrap_or("#000000").to_string(),
            opacity: attr(tag, "opacity").unwrap_or("1").to_string(),
            transform: attr(tag, "transform").map(str::to_string),
            content: unescape(content),
        })
    }

    /// A `<g>` of glyph outlines in place of the text.
    fn outlined(&self, fonts: &[FontRef<'static>; 2]) -> String {
        // Each glyph with its font and its pen position, in em.
        let mut glyphs = Vec::new();
        let mut pen = 0.0f64;
        let mut prev = None;
        for c in self.content.chars() {
            let k = font_for(fonts, c);
            let f = &fonts[k];
            let em = f64::from(f.units_per_em().unwrap_or(1000.0));
            let id = f.glyph_id(c);
            if let Some((_, p)) = prev.filter(|&(pk, _)| pk == k) {
                pen += f64::from(f.kern_unscaled(p, id)) / em;
            }
            glyphs.push((k, id, pen, em));
            pen += f64::from(f.h_advance_unscaled(id)) / em;
            prev = Some((k, id));
        }
        let width = pen * self.size;
        let x0 = self.x
            - match self.anchor.as_str() {
                "middle" => width / 2.0,
                "end" => width,
                _ => 0.0,
            };
        let baseline = self.y + self.dy_em * self.size;
        let mut d = String::new();
        for (k, id, at, em) in glyphs {
            let Some(outline) = fonts[k].outline(id) else { continue };
            let s = self.size / em;
            let px = |p: ab_glyph::Point| (x0 + at * self.size + f64::from(p.x) * s, baseline - f64::from(p.y) * s);
            let mut last: Option<ab_glyph::Point> = None;
            for curve in &outline.curves {
                let (first, rest): (ab_glyph::Point, Vec<ab_glyph::Point>) = match *curve {
                    OutlineCurve::Line(a, b) => (a, vec![b]),
                    OutlineCurve::Quad(a, b, c) => (a, vec![b, c]),
                    OutlineCurve::Cubic(a, b, c, e) => (a, vec![b, c, e]),
                };
                if last != Some(first) {
                    let (x, y) = px(first);
                    let _ = write!(d, "{}M{x:.2} {y:.2}", if last.is_some() { "Z" } else { "" });
                }
                let letter = ["L", "Q", "C"][rest.len() - 1];
                d.push_str(letter);
                for (i, p) in rest.iter().enumerate() {
                    let (x, y) = px(*p);
                    let _ = write!(d, "{}{x:.2} {y:.2}", if i > 0 { " " } else { "" });
                }
                last = rest.last().copied();
            }
            if last.is_some() {
                d.push('Z');
            }
        }
        let transform = self.transform.as_ref().map(|t| format!(" transform=\"{t}\"")).unwrap_or_default();
        let label = self.content.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        format!(
            "<g fill=\"{}\" opacity=\"{}\"{transform}><title>{label}</title><path d=\"{d}\"/></g>",
            self.fill, self.opacity
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_labels_become_outlines_and_english_ones_stay_text() {
        let fonts = super::super::fonts::png_fonts().unwrap();
        let svg = "<svg>\n<text x=\"20\" y=\"14\" dy=\"0.76em\" text-anchor=\"start\" font-family=\"sans-serif\" \
                   font-size=\"19.35\" opacity=\"1\" fill=\"#000000\">\n贫困发生率（township）\n</text>\n\
                   <text x=\"78\" y=\"534\" dy=\"0.5ex\" text-anchor=\"end\" font-family=\"sans-serif\" \
                   font-size=\"12.1\" opacity=\"1\" fill=\"#000000\">\n4% &amp; more\n</text>\n</svg>";
        let out = outline_cjk(svg, &fonts);
        assert!(!out.contains("贫困发生率（township）\n</text>"), "the Chinese label is no longer text");
        assert!(out.contains("<title>贫困发生率（township）</title><path d=\"M"), "{out}");
        assert!(out.contains(">\n4% &amp; more\n</text>"), "an English label is left as it was");
        assert!(out.starts_with("<svg>\n") && out.ends_with("\n</svg>"));
        // The outlines sit where the text was: right of x, below y, within the line.
        let d = &out[out.find(" d=\"").unwrap() + 4..];
        let d = &d[..d.find('"').unwrap()];
        let nums: Vec<f64> =
            d.split(|c: char| c.is_ascii_alphabetic() || c == ' ').filter_map(|t| t.parse().ok()).collect();
        let xs: Vec<f64> = nums.iter().step_by(2).copied().collect();
        let ys: Vec<f64> = nums.iter().skip(1).step_by(2).copied().collect();
        assert!(xs.iter().all(|&x| (19.0..20.0 + 14.0 * 19.35).contains(&x)), "x within the line");
        let (top, bottom) = ys.iter().fold((f64::MAX, f64::MIN), |(a, b), &y| (a.min(y), b.max(y)));
        // dy = 0.76em puts the baseline 0.76 em below y; glyphs reach about an em above it and a quarter below.
        assert!(top > 14.0 - 0.35 * 19.35 && bottom < 14.0 + 1.1 * 19.35, "y from {top} to {bottom}");
        assert!(bottom - top > 0.6 * 19.35, "the glyphs have height: {top} to {bottom}");
        assert_eq!(outline_cjk("<svg><text x=\"1\">no end", &fonts), "<svg><text x=\"1\">no end");
    }
}
