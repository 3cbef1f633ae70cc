//! The fonts compiled into the binary and which of them draws a character:
//! DejaVu Sans, then a GB 2312 subset of WenQuanYi Micro Hei for what it
//! lacks. The PNGs, the layout's measures and the SVGs' outlines all use
//! these.

/// DejaVu Sans.
pub(crate) static FONT_DATA: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
/// What DejaVu Sans lacks: the Chinese of GB 2312 (see the chart module's doc).
pub static CJK_FONT_DATA: &[u8] = include_bytes!("../../assets/WenQuanYiMicroHei-GB2312.ttf");

/// DejaVu Sans and its CJK fallback, parsed.
pub(crate) fn png_fonts() -> std::result::Result<[ab_glyph::FontRef<'static>; 2], String> {
    let font = |data| ab_glyph::FontRef::try_from_slice(data).map_err(|e| e.to_string());
    Ok([font(FONT_DATA)?, font(CJK_FONT_DATA)?])
}

/// Which of `fonts` draws `c`: the first with a glyph for it (the first when none has).
pub(crate) fn font_for(fonts: &[ab_glyph::FontRef<'static>; 2], c: char) -> usize {
    use ab_glyph::Font;
    if fonts[0].glyph_id(c).0 == 0 && fonts[1].glyph_id(c).0 != 0 {
        1
    } else {
        0
    }
}

/// Whether a character is CJK (ideographs, CJK punctuation, full-width forms).
pub(crate) fn is_cjk(c: char) -> bool {
    ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
}
