//! `--set PATH=VALUE`: change a scenario's fields from the command line,
//! without copying the file.
//!
//! `PATH` is a field's dotted path; an entry of a list of tables is named by
//! its `name` (`arms.cash.policies.cash.budget_share`,
//! `population.villages.Liujia.share`, `markets.commodities.pig.base_price`).
//! `VALUE` is a TOML value (`2000`, `0.5`, `true`, `[500, 1600]`,
//! `"text"`); anything that is not one is taken as text. The overrides are
//! applied to the file's text, in order, before it is parsed and validated,
//! so a bad value gets the same message as in the file, with the override
//! named beside it.

use crate::error::{Error, Result};
use std::path::Path;
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

/// Lists of tables whose entries are addressed by name.
const NAMED: [&str; 6] = [
    "arms",
    "population.villages",
    "markets.commodities",
    "organisations.cooperatives",
    "organisations.enterprises",
    "hazards",
];

/// One `--set PATH=VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: String,
}

impl Override {
    /// Parse `PATH=VALUE`.
    pub fn parse(text: &str) -> Result<Override> {
        match text.split_once('=') {
            Some((p, v)) if !p.trim().is_empty() => {
                Ok(Override { path: p.trim().to_string(), value: v.trim().to_string() })
            }
            _ => Err(Error::Flag {
                flag: "--set",
                value: text.to_string(),
                allowed: "PATH=VALUE, e.g. population.households=2000 or arms.cash.policies.cash.budget_share=0.5"
                    .into(),
            }),
        }
    }

    /// As written on the command line.
    pub fn text(&self) -> String {
        format!("{}={}", self.path, self.value)
    }
}

/// Apply `sets` to scenario text `text` (of file `file`). Returns the new
/// text and, for each override, the field path validation messages use
/// (`arms[1].policies.cash.budget_share`).
pub fn apply(file: &Path, text: &str, sets: &[Override]) -> Result<(String, Vec<String>)> {
    let mut doc: DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| Error::Parse { path: file.into(), message: e.to_string() })?;
    let mut paths = Vec::new();
    for o in sets {
        let value: Value = o.value.parse().unwrap_or_else(|_| Value::from(o.value.as_str()));
        let segs: Vec<&str> = o.path.split('.').collect();
        if segs.iter().any(|s| s.trim().is_empty()) {
            return Err(bad(o, "a dotted path of field names".into()));
        }
        paths.push(set(doc.as_table_mut(), &segs, String::new(), value, o)?);
    }
    Ok((doc.to_string(), paths))
}

fn bad(o: &Override, why: String) -> Error {
    Error::Flag { flag: "--set", value: o.text(), allowed: why }
}

/// Set `segs` (relative to `table`, whose path is `prefix`) to `value`;
/// returns the field's path as validation names it.
fn set(table: &mut dyn TableLike, segs: &[&str], prefix: String, value: Value, o: &Override) -> Result<String> {
    let seg = segs[0];
    let here = if prefix.is_empty() { seg.to_string() } else { format!("{prefix}.{seg}") };
    if segs.len() == 1 {
        table.insert(seg, Item::Value(value));
        return Ok(here);
    }
    // Drop the indices of entries already chosen ("arms[1].policies" is "arms.policies").
    let plain: String = here.split('.').map(|p| p.split('[').next().unwrap_or(p)).collect::<Vec<_>>().join(".");
    if NAMED.contains(&plain.as_str()) && seg.contains('[') {
        // "organisations.enterprises[0].wage": an entry is named, not numbered.
        let key = seg.split('[').next().unwrap_or(seg);
        let names: Vec<String> = table
            .get(key)
            .and_then(Item::as_array_of_tables)
            .map(|l| l.iter().filter_map(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_string)).collect())
            .unwrap_or_default();
        let rest = segs[1..].join(".");
        return Err(bad(
            o,
            format!(
                "an entry of `{plain}` named, not numbered: `{plain}.<name>.{rest}`, with one of the names: {}",
                crate::check::names(names.iter())
            ),
        ));
    }
    if NAMED.contains(&plain.as_str()) {
        let name = segs[1];
        let list = table
            .get_mut(seg)
            .and_then(Item::as_array_of_tables_mut)
            .ok_or_else(|| bad(o, format!("`{here}` is a list of [[{plain}]] tables, and the file has none")))?;
        let names: Vec<String> =
            list.iter().filter_map(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_string)).collect();
        let k = names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| bad(o, format!("one of the names in `{plain}`: {}", crate::check::names(names.iter()))))?;
        if segs.len() == 2 {
            return Err(bad(o, format!("a field of `{plain}` entry {name:?} after its name")));
        }
        let entry = list.get_mut(k).ok_or_else(|| bad(o, format!("no entry {k} in `{plain}`")))?;
        return set(entry, &segs[2..], format!("{here}[{k}]"), value, o);
    }
    if table.get(seg).is_none() {
        table.insert(seg, Item::Table(Table::new()));
    }
    let child = table
        .get_mut(seg)
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| bad(o, format!("`{here}` is a value, so it has no field `{}`", segs[1])))?;
    set(child, &segs[1..], here, value, o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_reach_fields_and_named_entries() {
        let text = "[meta]\nname = \"t\"\n\n[[arms]]\nname = \"none\"\n\n[[arms]]\nname = \"cash\"\n[arms.policies.cash]\nbudget_share = 0.9\n";
        let sets = [
            Override::parse("meta.years=3").unwrap(),
            Override::parse("arms.cash.policies.cash.budget_share=0.5").unwrap(),
            Override::parse("arms.none.policies.school.budget_share=0.2").unwrap(),
            Override::parse("meta.description=a township").unwrap(),
        ];
        let (out, paths) = apply(Path::new("t.toml"), text, &sets).unwrap();
        assert_eq!(
            paths,
            [
                "meta.years",
                "arms[1].policies.cash.budget_share",
                "arms[0].policies.school.budget_share",
                "meta.description"
            ]
        );
        let v: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(v["meta"]["years"].as_integer(), Some(3));
        assert_eq!(v["meta"]["description"].as_str(), Some("a township"));
        assert_eq!(v["arms"][1]["policies"]["cash"]["budget_share"].as_float(), Some(0.5));
        assert_eq!(v["arms"][0]["policies"]["school"]["budget_share"].as_float(), Some(0.2));
        let unknown = apply(Path::new("t.toml"), text, &[Override::parse("arms.kash.name=x").unwrap()]);
        assert!(unknown.unwrap_err().to_string().contains("\"none\", \"cash\""));
        // An entry is named, not numbered: the message says how, with the names.
        let numbered = apply(Path::new("t.toml"), text, &[Override::parse("arms[1].description=x").unwrap()]);
        let message = numbered.unwrap_err().to_string();
        assert!(message.contains("`arms.<name>.description`") && message.contains("\"none\", \"cash\""), "{message}");
        assert!(Override::parse("novalue").is_err());
    }
}
