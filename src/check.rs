//! Field checks for stage two of scenario loading.
//!
//! A [`Checker`] collects *every* problem of a scenario file instead of
//! stopping at the first: each error names the field's path, the bad value
//! and the allowed range (the file position is added afterwards from the
//! path, see `scenario::locate`). Each mechanism validates its own section
//! with it.
//!
//! Architecture invariant: this module knows no mechanism and no section.

use crate::error::FieldError;
use serde::de::IntoDeserializer;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Largest population a scenario may ask for; far above the national
/// registry (29.5 M households) and far below what would overflow indices.
pub const MAX_HOUSEHOLDS: i64 = 100_000_000;
/// Largest number of replicates accepted in one run.
pub const MAX_REPLICATES: i64 = 1_000_000;
/// Longest horizon, in years.
pub const MAX_YEARS: i64 = 50;
/// Longest name of anything in a scenario, bytes. The scenario's name names
/// its output folder, and a file name has at most 255 bytes; this leaves room
/// for the hidden staging folder's prefix and suffix.
pub const MAX_NAME_BYTES: usize = 200;

/// Serde default: `true`.
pub fn default_true() -> bool {
    true
}

/// Serde default: `1.0`.
pub fn default_one() -> f64 {
    1.0
}

/// Serde default of the instruments' `transfer_month`: March.
pub fn default_transfer_month() -> i64 {
    3
}

/// A text field with a fixed set of values, as read in stage one: one of
/// the values of `T` (a serde enum), or the text as written, kept so that
/// stage two can report it with every other error instead of parsing
/// stopping at the first. Stage two matches no strings: it only asks which.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice<T> {
    Known(T),
    Unknown(String),
}

/// The values a [`Choice`] allows, as error messages list them.
pub trait Choices: Copy {
    const ALLOWED: &'static str;
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Choice<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A string first, so that a number or a table is a type error with its line.
        let s = String::deserialize(d)?;
        let known: Result<T, serde::de::value::Error> = T::deserialize(s.clone().into_deserializer());
        Ok(match known {
            Ok(t) => Choice::Known(t),
            Err(_) => Choice::Unknown(s),
        })
    }
}

impl<T: Serialize> Serialize for Choice<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Choice::Known(t) => t.serialize(s),
            Choice::Unknown(text) => s.serialize_str(text),
        }
    }
}

/// Serde: exactly two numbers `[low, high]`. A fixed-size array would
/// silently drop a third element.
pub fn pair<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 2], D::Error> {
    let v = Vec::<f64>::deserialize(d)?;
    match v.as_slice() {
        [a, b] => Ok([*a, *b]),
        _ => Err(serde::de::Error::invalid_length(v.len(), &"two numbers [low, high]")),
    }
}

/// A number as an error message shows it: plain for ordinary magnitudes,
/// in exponent notation for very large or very small ones (never a
/// 300-digit decimal).
pub fn show(v: f64) -> String {
    let a = v.abs();
    if v.is_finite() && a != 0.0 && !(1e-6..1e15).contains(&a) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Most names listed in one message; the rest are counted.
const MAX_LISTED: usize = 20;

/// Collects every field error instead of stopping at the first.
#[derive(Default)]
pub struct Checker {
    pub errors: Vec<FieldError>,
    /// Names seen so far, by kind: how many, and the position of each name's
    /// first use. Duplicates and references are found in constant time, so
    /// validation stays linear in the size of the file.
    seen: std::collections::HashMap<String, (usize, std::collections::HashMap<String, usize>)>,
}

impl Checker {
    pub fn push(&mut self, path: &str, value: impl ToString, allowed: impl ToString) {
        self.errors.push(FieldError {
            path: path.to_string(),
            value: value.to_string(),
            allowed: allowed.to_string(),
            at: None,
        });
    }

    /// A name that is not empty and not used by an earlier entry of its kind.
    ///
    /// A name is written into every output file and onto the terminal, so it
    /// must also be printable: no control characters, no spaces at either
    /// end (names that differ only there would look the same), and at most
    /// [`MAX_NAME_BYTES`] bytes.
    pub fn unique_name(&mut self, path: &str, name: &str, kind: &str) {
        let (count, positions) = self.seen.entry(kind.to_string()).or_default();
        let first = !positions.contains_key(name);
        positions.entry(name.to_string()).or_insert(*count);
        *count += 1;
        if name.trim().is_empty() {
            self.push(path, format!("{name:?}"), format!("a non-empty {kind} name"));
        } else if name.chars().any(char::is_control) {
            self.push(path, format!("{name:?}"), format!("a {kind} name without control characters"));
        } else if name.trim() != name {
            self.push(path, format!("{name:?}"), format!("a {kind} name without spaces at either end"));
        } else if name.len() > MAX_NAME_BYTES {
            self.push(
                path,
                format!("{} bytes", name.len()),
                format!("a {kind} name of at most {MAX_NAME_BYTES} bytes"),
            );
        } else if !first {
            self.push(path, format!("{name:?}"), format!("a name not used by another {kind}"));
        }
    }

    /// A name that names an output folder (a scenario's or a sweep's): letters
    /// of any script, digits, `-`, `_`, `.`, not starting with `.`, at most
    /// [`MAX_NAME_BYTES`].
    pub fn folder_name(&mut self, path: &str, name: &str) {
        if name.trim().is_empty()
            || name.starts_with('.')
            || !name.chars().all(|ch| ch.is_alphanumeric() || "-_.".contains(ch))
        {
            self.push(
                path,
                format!("{name:?}"),
                "a non-empty name of letters, digits, '-', '_' or '.', not starting with '.' (it names the output folder)",
            );
        } else if name.len() > MAX_NAME_BYTES {
            self.push(
                path,
                format!("{} bytes", name.len()),
                format!("at most {MAX_NAME_BYTES} bytes (it names the output folder)"),
            );
        }
    }

    pub fn num(&mut self, path: &str, v: f64, lo: f64, hi: f64) {
        if !v.is_finite() {
            self.push(path, show(v), format!("a finite number in [{lo}, {hi}]"));
        } else if v < lo || v > hi {
            self.push(path, show(v), format!("a number in [{lo}, {hi}]"));
        }
    }

    pub fn prob(&mut self, path: &str, v: f64) {
        if !(0.0..=1.0).contains(&v) {
            self.push(path, show(v), "a probability or share in [0, 1]");
        }
    }

    pub fn int(&mut self, path: &str, v: i64, lo: i64, hi: i64) {
        if v < lo || v > hi {
            self.push(path, v, format!("an integer in [{lo}, {hi}]"));
        }
    }

    /// A month of the year written 1–12, as a 0-based month (0 = January).
    pub fn month(&mut self, path: &str, v: i64) -> u8 {
        self.int(path, v, 1, 12);
        (v.clamp(1, 12) - 1) as u8
    }

    /// The value of a [`Choice`]; for text that is none of its values, an
    /// error listing them and `fallback`.
    pub fn known<T: Choices>(&mut self, path: &str, v: &Choice<T>, fallback: T) -> T {
        match v {
            Choice::Known(t) => *t,
            Choice::Unknown(text) => {
                self.push(path, format!("{text:?}"), T::ALLOWED);
                fallback
            }
        }
    }

    /// The position of the first entry of kind `kind` named `name`, among
    /// those checked with [`Checker::unique_name`].
    pub fn position_of(&self, kind: &str, name: &str) -> Option<usize> {
        self.seen.get(kind).and_then(|(_, p)| p.get(name)).copied()
    }

    /// The position of `name` among `known`; else an error listing them as
    /// `what` ("the villages"), and 0.
    pub fn lookup<'a>(
        &mut self,
        path: &str,
        name: &str,
        known: impl Iterator<Item = &'a String> + Clone,
        what: &str,
    ) -> usize {
        match known.clone().position(|k| k == name) {
            Some(i) => i,
            None => {
                self.push(path, format!("{name:?}"), format!("one of {what}: {}", names(known)));
                0
            }
        }
    }
}

/// Quoted names for a message, or "(none defined)"; a long list is cut
/// after [`MAX_LISTED`] names and the rest counted.
pub fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let all: Vec<&String> = it.collect();
    if all.is_empty() {
        return "(none defined)".into();
    }
    let shown: Vec<String> = all.iter().take(MAX_LISTED).map(|s| format!("{s:?}")).collect();
    match all.len().saturating_sub(MAX_LISTED) {
        0 => shown.join(", "),
        more => format!("{}, and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_collected_with_its_range() {
        let mut c = Checker::default();
        c.num("a", f64::NAN, 0.0, 1.0);
        c.prob("b", 1.5);
        assert_eq!(c.month("c", 13), 11);
        #[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Late {
            Lost,
            Rollover,
        }
        impl Choices for Late {
            const ALLOWED: &'static str = "\"lost\" or \"rollover\"";
        }
        let read = |text: &str| -> Choice<Late> { serde_json::from_str(text).unwrap() };
        assert_eq!(read("\"lost\""), Choice::Known(Late::Lost));
        assert_eq!(c.known("d", &read("\"x\""), Late::Rollover), Late::Rollover);
        let known = ["p".to_string(), "q".to_string()];
        assert_eq!(c.lookup("e", "r", known.iter(), "the things"), 0);
        let text: Vec<String> = c.errors.iter().map(|e| format!("{} = {}: {}", e.path, e.value, e.allowed)).collect();
        assert_eq!(
            text,
            [
                "a = NaN: a finite number in [0, 1]",
                "b = 1.5: a probability or share in [0, 1]",
                "c = 13: an integer in [1, 12]",
                "d = \"x\": \"lost\" or \"rollover\"",
                "e = \"r\": one of the things: \"p\", \"q\"",
            ]
        );
    }
}
