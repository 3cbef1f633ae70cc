//! Where in the file a problem is, and what the user probably meant.
//!
//! Validation works on the parsed structs, which have forgotten their
//! positions. This module re-reads the text with `toml_edit`, which keeps
//! spans, to turn a field path such as `arms[1].policies.cash.budget_share`
//! into a line and column. It also checks, before serde sees the file, that
//! every section that must be a table is one (serde would otherwise accept
//! `budget = [6000000, 0.02]` as a table, field by field), and suggests the
//! nearest valid name for a misspelt field.

use toml_edit::{ImDocument, Item};

/// A parsed document that can answer "where is this path?".
pub struct Locator {
    doc: Option<ImDocument<String>>,
    line_starts: Vec<usize>,
}

impl Locator {
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Locator { doc: ImDocument::parse(text.to_string()).ok(), line_starts }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        (line, offset - self.line_starts[line - 1] + 1)
    }

    /// The position of the value at `path`, or of its nearest enclosing item
    /// that exists (for paths such as `population.villages[*].share`).
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let doc = self.doc.as_ref()?;
        let mut cur = Node::Table(doc.as_table());
        let mut best = None;
        for seg in segments(path) {
            let next = match (seg, cur) {
                (Segment::Key(k), Node::Table(t)) => t.get(k).map(Node::Item),
                (Segment::Key(k), Node::Item(it)) => it.get(k).map(Node::Item),
                (Segment::Index(i), Node::Item(Item::ArrayOfTables(a))) => a.get(i).map(Node::Table),
                (Segment::Index(i), Node::Item(Item::Value(toml_edit::Value::Array(a)))) => {
                    best = a.get(i).and_then(|v| v.span()).map(|s| s.start).or(best);
                    None
                }
                _ => None,
            };
            let Some(n) = next else { break };
            cur = n;
            let span = match n {
                Node::Item(it) => span_of(it),
                Node::Table(t) => t.span(),
            };
            if let Some(span) = span {
                best = Some(span.start);
            }
        }
        best.map(|o| self.line_col(o))
    }
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a toml_edit::Table),
}

fn span_of(item: &Item) -> Option<std::ops::Range<usize>> {
    match item {
        Item::Value(v) => v.span(),
        Item::Table(t) => t.span(),
        Item::ArrayOfTables(a) => a.span(),
        Item::None => None,
    }
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if key == "*" {
            break;
        }
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for idx in rest.split('[') {
            let idx = idx.trim_end_matches(']');
            match idx.parse() {
                Ok(i) => out.push(Segment::Index(i)),
                Err(_) if idx.is_empty() => {}
                Err(_) => return out,
            }
        }
    }
    out
}

/// Paths that must be tables (`*` = every element of an array of tables).
const TABLES: &[&str] = &[
    "meta",
    "poverty_line",
    "prices",
    "population",
    "population.villages.*",
    "markets",
    "markets.commodities.*",
    "organisations",
    "organisations.cooperatives.*",
    "organisations.enterprises.*",
    "labour",
    "health",
    "behaviour",
    "dibao",
    "budget",
    "targeting",
    "guarantees",
    "network",
    "local_economy",
    "local_economy.villages.*",
    "demography",
    "hazards.*",
    "arms.*",
    "arms.*.policies",
    "arms.*.policies.cash",
    "arms.*.policies.enterprise",
    "arms.*.policies.cooperative",
    "arms.*.policies.inkind",
    "arms.*.policies.school",
    "arms.*.policies.health_aid",
    "arms.*.policies.package",
    "arms.*.policies.credit",
    "arms.*.policies.machinery",
    "arms.*.policies.housing",
    "arms.*.policies.infrastructure",
    "arms.*.policies.infrastructure.projects.*",
    "arms.*.policies.ecommerce",
    "arms.*.policies.relocation",
    "arms.*.policies.loan_guarantee",
    "arms.*.policies.work_teams",
    "arms.*.policies.land_centre",
    "arms.*.delivery",
    "arms.*.budget",
];

/// Sections that are present but are not tables: `(path, what it is)`.
pub fn non_tables(root: &toml::Table) -> Vec<(String, String)> {
    let mut bad = Vec::new();
    for pattern in TABLES {
        // Every pattern starts with a top-level key: walk from its value, without copying the document.
        let parts: Vec<&str> = pattern.split('.').collect();
        if let Some((head, tail)) = parts.split_first() {
            if let Some(child) = root.get(*head) {
                walk(child, tail, head.to_string(), &mut bad);
            }
        }
    }
    bad
}

fn walk(v: &toml::Value, rest: &[&str], path: String, bad: &mut Vec<(String, String)>) {
    let Some((head, tail)) = rest.split_first() else {
        if !v.is_table() {
            bad.push((path, v.type_str().to_string()));
        }
        return;
    };
    if *head == "*" {
        if let toml::Value::Array(items) = v {
            for (i, item) in items.iter().enumerate() {
                walk(item, tail, format!("{path}[{i}]"), bad);
            }
        }
        return;
    }
    if let Some(child) = v.as_table().and_then(|t| t.get(*head)) {
        let p = if path.is_empty() { head.to_string() } else { format!("{path}.{head}") };
        walk(child, tail, p, bad);
    }
}

/// Serde's names of Rust types in a message, in words a scenario's author uses.
pub fn plain_types(message: &str) -> String {
    message
        .replace("expected i64", "expected an integer")
        .replace("expected u64", "expected a non-negative integer")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
}

/// Tables that are arrays of tables (`[[x]]`), whose fields docs/scenario.md
/// writes as `x[].field`.
const ARRAYS: [&str; 6] = [
    "population.villages",
    "markets.commodities",
    "organisations.cooperatives",
    "organisations.enterprises",
    "hazards",
    "arms",
];

/// The documented path of the key written at byte `offset` of `text`:
/// the key on that line, under the nearest table header above it.
fn documented_path(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?;
    let key = line.split_once('=')?.0.trim();
    if key.is_empty() || key.starts_with('#') || key.contains(['[', '"', '\'']) {
        return None;
    }
    let header = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_start_matches('[').split(']').next().unwrap_or("").trim().to_string())
        .unwrap_or_default();
    let mut path = String::new();
    let mut plain = String::new();
    for seg in header.split('.').filter(|s| !s.is_empty()) {
        plain = if plain.is_empty() { seg.to_string() } else { format!("{plain}.{seg}") };
        path = if path.is_empty() { seg.to_string() } else { format!("{path}.{seg}") };
        if ARRAYS.contains(&plain.as_str()) {
            path.push_str("[]");
        }
    }
    Some(if path.is_empty() { key.to_string() } else { format!("{path}.{key}") })
}

/// What docs/scenario.md says the field written at byte `offset` allows,
/// with its unit: for type errors, which serde reports without a range.
pub fn allowed_at(text: &str, offset: usize) -> Option<String> {
    let path = documented_path(text, offset)?;
    let doc = include_str!("../../docs/scenario.md");
    let row = doc.lines().find(|l| l.starts_with(&format!("| `{path}` |")))?;
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    // | path | type | unit | default | allowed | meaning |
    let (typ, unit, allowed) = (cells.get(2)?, cells.get(3)?, cells.get(5)?);
    Some(format!("{path} is {typ}, {allowed} (unit: {unit})"))
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" messages, the
/// closest expected name, if it is close enough to be a typo.
pub fn suggestion(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected")?.1;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|cand| (strsim::levenshtein(unknown, cand), cand))
        .filter(|(d, cand)| *d <= 2.max(cand.len() / 3))
        .min()
        .map(|(_, cand)| cand.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[meta]\nname = \"t\"\n\n[[arms]]\nname = \"a\"\n\n[[arms]]\nname = \"b\"\n[arms.policies.cash]\nbudget_share = 1.5\n";

    #[test]
    fn a_type_error_learns_what_the_field_allows() {
        let text = "[meta]\nname = \"x\"\nyears = 6.5\n\n[[arms]]\nname = \"a\"\n[arms.policies.cash]\nbudget_share = \"half\"\n";
        let years = text.find("6.5").unwrap();
        assert_eq!(documented_path(text, years).as_deref(), Some("meta.years"));
        assert!(allowed_at(text, years).unwrap().contains("[1, 50]"));
        let share = text.find("\"half\"").unwrap();
        assert_eq!(documented_path(text, share).as_deref(), Some("arms[].policies.cash.budget_share"));
        assert!(allowed_at(text, share).unwrap().contains("[0, 1]"));
        assert_eq!(
            plain_types("invalid type: floating point `6.5`, expected i64"),
            "invalid type: floating point `6.5`, expected an integer"
        );
    }

    #[test]
    fn paths_resolve_to_lines_and_columns() {
        let l = Locator::new(TEXT);
        assert_eq!(l.find("meta.name"), Some((2, 8)));
        assert_eq!(l.find("arms[1].policies.cash.budget_share"), Some((10, 16)));
        // A path below something that does not exist points at the nearest parent.
        assert_eq!(l.find("arms[1].policies.cash.leakage").map(|p| p.0), Some(9));
    }

    #[test]
    fn typos_get_the_nearest_name() {
        let m = "unknown field `seeds`, expected one of `name`, `description`, `seed`, `years`";
        assert_eq!(suggestion(m).as_deref(), Some("seed"));
        let m = "unknown field `zzzzzzz`, expected one of `name`, `seed`";
        assert_eq!(suggestion(m), None);
    }

    #[test]
    fn arrays_where_tables_belong_are_found() {
        let root: toml::Table = toml::from_str("budget = [1, 2]\n[[arms]]\nname = \"x\"\npolicies = []\n").unwrap();
        let bad = non_tables(&root);
        assert_eq!(
            bad,
            vec![("budget".to_string(), "array".to_string()), ("arms[0].policies".to_string(), "array".to_string())]
        );
    }
}
