//! Scenarios: loading, validation and the validated [`Scenario`] the engine trusts.
//!
//! Loading is two-stage. [`file::ScenarioFile`] is what serde reads from TOML
//! (unknown fields are errors). [`Scenario::from_file`] checks every field,
//! collects *all* problems at once, resolves names (villages, commodities,
//! enterprises) to indices, and only then hands the engine a value whose
//! invariants hold, so the monthly loop never re-checks its inputs. Each
//! section is checked by the module that owns it (`setting`, or a
//! mechanism); this module calls them in the order of the file.

pub mod arm;
pub mod file;
pub mod locate;
pub mod overrides;

pub use crate::check::{MAX_HOUSEHOLDS, MAX_REPLICATES, MAX_YEARS};
pub use arm::Arm;

use crate::check::Checker;
use crate::error::{Error, FieldError, Result};
use crate::mechanism::budget::{self, Budget};
use crate::mechanism::cooperative::{self, Cooperative};
use crate::mechanism::demography;
use crate::mechanism::dibao::{self, Dibao};
use crate::mechanism::enterprise::{self, EnterpriseSpec};
use crate::mechanism::guarantee::{self, Guarantees};
use crate::mechanism::local_economy::{self, LocalEconomy};
use crate::mechanism::network::{self, Network};
use crate::mechanism::registry::{self, Targeting};
use crate::setting::{self, Setting};
use file::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Largest scenario file read, bytes. The largest shipped one is about 13 KB.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// A validated scenario. Construct it with [`Scenario::load`] or
/// [`Scenario::from_file`]; its fields then satisfy the documented ranges.
/// It dereferences to its [`Setting`] (population, commodities, …).
#[derive(Debug, Clone)]
pub struct Scenario {
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The text that was parsed: the file's, with any `--set` overrides
    /// applied (empty for a scenario built from a parsed file).
    pub source: String,
    /// The `--set` overrides applied, in order.
    pub overrides: Vec<overrides::Override>,
    pub name: String,
    pub description: String,
    pub replicates: u32,
    pub seed: u64,
    pub setting: Setting,
    pub cooperatives: Vec<Cooperative>,
    pub enterprises: Vec<EnterpriseSpec>,
    pub dibao: Dibao,
    pub budget: Budget,
    pub targeting: Targeting,
    /// The three guarantees (两不愁三保障): who lacks them, and whether exit requires them.
    pub guarantees: Guarantees,
    /// Kin and neighbours: whom households watch, and how crops spread between them.
    pub network: Network,
    /// Spending that stays in the township: local sales and prices.
    pub local_economy: LocalEconomy,
    /// Households that change over the years (`None`: members never change).
    pub demography: Option<demography::Rates>,
    pub arms: Vec<Arm>,
    /// Per arm, the scenario it runs its policy months with when its `set`
    /// changes fields (`None`: this one).
    pub arm_scenarios: Vec<Option<Box<Scenario>>>,
}

impl std::ops::Deref for Scenario {
    type Target = Setting;
    fn deref(&self) -> &Setting {
        &self.setting
    }
}

impl std::ops::DerefMut for Scenario {
    fn deref_mut(&mut self) -> &mut Setting {
        &mut self.setting
    }
}

impl Scenario {
    /// Read, parse and validate a scenario file.
    pub fn load(path: &Path) -> Result<Scenario> {
        Scenario::load_with(path, &[])
    }

    /// Read a scenario file, apply `--set` overrides to its text, then parse
    /// and validate it. The SHA-256 stays the file's own; the overrides are
    /// kept (`Scenario::overrides`) so that a merge can apply them again.
    pub fn load_with(path: &Path, sets: &[overrides::Override]) -> Result<Scenario> {
        let bytes = read_input(path, "scenario")?;
        Self::from_bytes_with(path, &bytes, sets)
    }

    /// Apply `--set` overrides to scenario text `bytes` (of file `path`),
    /// then parse and validate it, as [`Scenario::load_with`] does.
    pub fn from_bytes_with(path: &Path, bytes: &[u8], sets: &[overrides::Override]) -> Result<Scenario> {
        if sets.is_empty() {
            return Self::from_bytes(path, bytes);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Error::Parse {
            path: path.into(),
            message: "not UTF-8 text; a scenario is a TOML text file".into(),
        })?;
        let (edited, fields) = overrides::apply(path, text, sets)?;
        // Positions are in the edited text, where a created table shifts the
        // lines below it: find each field again in the file as written (its
        // nearest enclosing table, if `--set` created it).
        let original = locate::Locator::new(text);
        let named = |e: Error| match e {
            Error::Invalid { path, mut errors } => {
                for err in &mut errors {
                    if err.at.is_some() {
                        err.at = original.find(&err.path);
                    }
                    if let Some(k) = fields.iter().position(|f| *f == err.path) {
                        err.allowed.push_str(&format!(" (set by --set {})", sets[k].text()));
                    }
                }
                errors.sort_by_key(|e| e.at.unwrap_or((usize::MAX, usize::MAX)));
                Error::Invalid { path, errors }
            }
            Error::Parse { path, message } => Error::Parse { path, message: format!("{message}(with --set applied)") },
            other => other,
        };
        let mut sc = Self::from_bytes(path, edited.as_bytes()).map_err(named)?;
        sc.sha256 = format!("{:x}", Sha256::digest(bytes));
        sc.overrides = sets.to_vec();
        Ok(sc)
    }

    /// Parse and validate scenario text; `path` is used in messages only.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario> {
        let parse_err = |message: String| Error::Parse { path: path.into(), message };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            parse_err(format!(
                "not UTF-8 text (invalid byte at offset {}); a scenario is a TOML text file",
                e.valid_up_to()
            ))
        })?;
        if text.trim().is_empty() {
            return Err(parse_err("the file is empty; start from `fupin init` or scenarios/township.toml".into()));
        }
        // Syntax first, then shape: sections that must be tables are tables.
        let root: toml::Table = toml::from_str(text).map_err(|e| parse_err(e.to_string()))?;
        let locator = locate::Locator::new(text);
        let shape: Vec<FieldError> = locate::non_tables(&root)
            .into_iter()
            .map(|(p, kind)| FieldError {
                at: locator.find(&p),
                path: p,
                value: format!("{} {kind}", if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }),
                allowed: "a table (a [section] or { key = value, ... })".into(),
            })
            .collect();
        if !shape.is_empty() {
            return Err(Error::Invalid { path: path.into(), errors: shape });
        }
        let file: ScenarioFile = toml::from_str(text).map_err(|e| {
            let mut message = locate::plain_types(&e.to_string());
            if let Some(name) = locate::suggestion(&message) {
                message.push_str(&format!("did you mean `{name}`?"));
            }
            // A value of the wrong type: say what the field allows.
            if let Some(allowed) = e.span().and_then(|s| locate::allowed_at(text, s.start)) {
                message.push_str(&format!("allowed: {allowed}\n"));
            }
            parse_err(message)
        })?;
        let sha256 = format!("{:x}", Sha256::digest(bytes));
        let mut sc = Scenario::from_file(path, sha256, file).map_err(|e| match e {
            Error::Invalid { path, mut errors } => {
                for err in &mut errors {
                    err.at = locator.find(&err.path);
                }
                // In file order; errors without a position (sums over a list) last.
                errors.sort_by_key(|e| e.at.map_or((usize::MAX, usize::MAX), |(l, c)| (l, c)));
                Error::Invalid { path, errors }
            }
            other => other,
        })?;
        sc.source = text.to_string();
        Ok(sc)
    }

    /// Stage two: validate a parsed file and resolve its names.
    pub fn from_file(path: &Path, sha256: String, f: ScenarioFile) -> Result<Scenario> {
        let mut c = Checker::default();
        let m = &f.meta;
        c.folder_name("meta.name", &m.name);
        c.int("meta.start_year", m.start_year, 1900, 2200);
        c.int("meta.years", m.years, 1, MAX_YEARS);
        c.int("meta.replicates", m.replicates, 1, MAX_REPLICATES);
        setting::check_poverty_line(&mut c, &f.poverty_line);
        let commodities = setting::check_commodities(&mut c, &f.markets);
        let population = setting::check_population(&mut c, &f.population, &commodities);
        let villages = &population.villages;
        let org = &f.organisations;
        let cooperatives = cooperative::check_specs(&mut c, &org.cooperatives, (&commodities, villages));
        let enterprises = enterprise::check_specs(&mut c, &org.enterprises, (&commodities, villages));
        let hazards = setting::check_hazards(&mut c, &f.hazards, &commodities);
        let price_index = setting::check_prices(&mut c, &f.prices, &f.poverty_line, m.years.clamp(1, MAX_YEARS) as u32);
        let mut commodities = commodities;
        for (k, cf) in commodities.iter_mut().zip(&f.markets.commodities) {
            if cf.scripted_prices_nominal {
                for (y, p) in k.scripted_prices.iter_mut().enumerate() {
                    *p /= price_index.get(y + 1).copied().unwrap_or(1.0);
                }
            }
        }
        let setting = Setting {
            start_year: m.start_year as i32,
            years: m.years as u32,
            poverty_line: f.poverty_line.yuan_per_person_year,
            indexation: f.poverty_line.indexation,
            price_index,
            labour: setting::check_labour(&mut c, &f.labour),
            health: setting::check_health(&mut c, &f.health),
            behaviour: setting::check_behaviour(&mut c, &f.behaviour),
            schooling: setting::check_schooling(&mut c, &f.schooling),
            ventures: setting::check_ventures(&mut c, &f.ventures),
            population,
            commodities,
            hazards,
        };
        let dibao = dibao::check(&mut c, &f.dibao);
        let budget = budget::check_budget(&mut c, &f.budget);
        let targeting = registry::check(&mut c, &f.targeting);
        let guarantees = guarantee::check(&mut c, &f.guarantees);
        let network = network::check(&mut c, &f.network);
        let local_economy = local_economy::check(&mut c, &f.local_economy, &setting.population.villages);
        let demography = demography::check(&mut c, &f.demography);
        let known =
            arm::Known { setting: &setting, cooperatives: &cooperatives, enterprises: &enterprises, budget: &f.budget };
        let arms = arm::check_arms(&mut c, &f.arms, &known);
        let arm_scenarios = if c.errors.is_empty() { arm_scenarios(&mut c, path, &sha256, &f) } else { Vec::new() };
        if !c.errors.is_empty() {
            return Err(Error::Invalid { path: path.into(), errors: c.errors });
        }
        Ok(Scenario {
            path: path.into(),
            sha256,
            source: String::new(),
            overrides: Vec::new(),
            name: m.name.clone(),
            description: m.description.clone(),
            replicates: m.replicates as u32,
            seed: m.seed,
            setting,
            cooperatives,
            enterprises,
            dibao,
            budget,
            targeting,
            guarantees,
            network,
            local_economy,
            demography,
            arms,
            arm_scenarios,
        })
    }

    /// Names of the yearly metrics of this scenario (see [`crate::outcome::yearly_names`]).
    pub fn yearly_names(&self) -> Vec<String> {
        let commodities =
            self.commodities.iter().map(|c| (c.name.as_str(), c.kind == crate::setting::CommodityKind::Livestock));
        crate::outcome::yearly_names_with_groups(commodities, self.groups())
    }

    /// The groups of households the headcount is also reported for: key
    /// villages and the rest, each village, each cause of poverty, and
    /// registered at the start or not (see `sim::measure::Groups`).
    pub fn groups(&self) -> Vec<String> {
        let mut g = vec!["key_villages".to_string(), "other_villages".to_string()];
        g.extend(self.population.villages.iter().map(|v| format!("village:{}", v.name)));
        g.extend(crate::household::Cause::ALL.iter().map(|c| format!("cause:{}", c.name())));
        g.extend(["registered_at_start".to_string(), "not_registered_at_start".to_string()]);
        g
    }

    /// Position of a yearly metric.
    pub fn yearly_index(&self, name: &str) -> Option<usize> {
        self.yearly_names().iter().position(|n| n == name)
    }
}

/// Sections an arm's `set` may change: what is read during the policy
/// months only, never by the world the arms share or the pre-policy year's
/// identification.
const ARM_SECTIONS: [&str; 6] =
    ["behaviour.", "labour.", "health.", "dibao.", "local_economy.", "organisations.enterprises."];

/// Whether `path` is a breeding species' outbreak field
/// (`markets.commodities.<name>.breeding.outbreak_*`): outbreaks are drawn
/// month by month, so an arm may have its own from its first policy month.
fn outbreak_field(path: &str) -> bool {
    path.strip_prefix("markets.commodities.")
        .and_then(|rest| rest.rsplit_once(".breeding."))
        .is_some_and(|(_, field)| ["outbreak_probability", "outbreak_loss", "outbreak_month"].contains(&field))
}

/// Enterprise fields fixed when the shared pre-policy state is built.
const FOUNDING: [&str; 2] = [".own_capital", ".contract_floor"];

/// The scenario each arm with a `set` runs with: the file (every arm's
/// `set` left out) with the arm's overrides applied and validated. A bad
/// override is an error at `arms[i].set[j]` with the field's own message.
fn arm_scenarios(c: &mut Checker, path: &Path, sha256: &str, f: &ScenarioFile) -> Vec<Option<Box<Scenario>>> {
    if f.arms.iter().all(|a| a.set.is_empty()) {
        return vec![None; f.arms.len()];
    }
    let mut plain = f.clone();
    plain.arms.iter_mut().for_each(|a| a.set.clear());
    let text = match toml::to_string(&plain) {
        Ok(t) => t,
        Err(e) => unreachable!("a parsed scenario serialises back to TOML: {e}"),
    };
    let mut out = Vec::with_capacity(f.arms.len());
    for (i, af) in f.arms.iter().enumerate() {
        let mut sets = Vec::new();
        for (j, t) in af.set.iter().enumerate() {
            match overrides::Override::parse(t) {
                Ok(o) if FOUNDING.iter().any(|f| o.path.starts_with("organisations.enterprises.") && o.path.ends_with(f)) => {
                    c.push(
                        &format!("arms[{i}].set[{j}]"),
                        format!("{t:?}"),
                        "a field an enterprise does not fix at its founding: own_capital and contract_floor are set \
                         before the arms part, the same for every arm",
                    )
                }
                Ok(o) if ARM_SECTIONS.iter().any(|s| o.path.starts_with(s)) || outbreak_field(&o.path) => {
                    sets.push((j, o))
                }
                _ => c.push(
                    &format!("arms[{i}].set[{j}]"),
                    format!("{t:?}"),
                    "\"PATH=VALUE\" for a field of behaviour, labour, health, dibao, local_economy or organisations.enterprises, or a \
                     breeding species' outbreak_probability, outbreak_loss or outbreak_month (what every arm shares, \
                     households, villages, markets, hazards and the poverty line, cannot differ)",
                ),
            }
        }
        if sets.is_empty() {
            out.push(None);
            continue;
        }
        let list: Vec<overrides::Override> = sets.iter().map(|(_, o)| o.clone()).collect();
        let at = |k: Option<usize>| match k {
            Some(k) => format!("arms[{i}].set[{}]", sets[k].0),
            None => format!("arms[{i}].set"),
        };
        let built = overrides::apply(path, &text, &list).and_then(|(edited, fields)| {
            let file: ScenarioFile = toml::from_str(&edited)
                .map_err(|e| Error::Parse { path: path.into(), message: locate::plain_types(&e.to_string()) })?;
            Scenario::from_file(path, sha256.to_string(), file).map_err(|e| match e {
                Error::Invalid { path, mut errors } => {
                    for err in &mut errors {
                        let k = fields.iter().position(|p| *p == err.path);
                        err.allowed = format!("{} (field {}, set by this arm)", err.allowed, err.path);
                        err.path = at(k);
                    }
                    Error::Invalid { path, errors }
                }
                other => other,
            })
        });
        match built {
            Ok(sc) => out.push(Some(Box::new(sc))),
            Err(Error::Invalid { errors, .. }) => {
                c.errors.extend(errors);
                out.push(None);
            }
            Err(Error::Flag { value, allowed, .. }) => {
                c.push(&at(None), value, allowed);
                out.push(None);
            }
            Err(other) => {
                c.push(&at(None), "-", other.to_string());
                out.push(None);
            }
        }
    }
    out
}

/// Read an input file (a scenario or a sweep, named `what` in messages) of at
/// most [`MAX_FILE_BYTES`].
pub fn read_input(path: &Path, what: &'static str) -> Result<Vec<u8>> {
    if path.is_dir() {
        return Err(Error::Parse { path: path.into(), message: format!("is a directory; give a {what} .toml file") });
    }
    let read = |source| Error::Read { what, path: path.into(), source };
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path).map_err(read)?;
    // Read at most one byte more than allowed: `/dev/zero` must not fill the memory.
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_FILE_BYTES + 1), &mut bytes).map_err(read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::Parse {
            path: path.into(),
            message: format!("is larger than the {} MiB a {what} file may have", MAX_FILE_BYTES >> 20),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_township_validates() {
        let s = Scenario::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/township.toml"))).unwrap();
        assert_eq!(s.arms.len(), 3);
        assert_eq!(s.years, 6);
    }
}
