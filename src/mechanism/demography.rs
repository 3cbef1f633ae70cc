//! Households change over the years (MODEL.md §2, 超生致贫): ageing, births,
//! deaths, marriage, children who reach working age, and care duties.
//!
//! Each household's founding counts (adults, elderly, children, teens,
//! migrants) are given members with an age and a sex ([`Roster::found`]):
//! a head, a spouse, grown children, elderly parents and children, with the
//! founding's teens aged from `secondary_age` to school-leaving age (in
//! school past working age), the other children younger. Every January of a policy year
//! each member ages a year, and in this order ([`Roster::year`]):
//! 1. **deaths**, by age band and sex, raised by `chronic_mortality_ratio`
//!    for the chronically ill member; a household whose ill (disabled)
//!    member dies (or, disabled, marries out or leaves for college) loses
//!    its chronic illness (disability);
//! 2. **reaching working age**: a child who reaches `working_age` stays in
//!    school with chance `schooling_share` until `school_leaving_age`, and
//!    leaves home for college then with chance `college_share`; otherwise it
//!    joins the household's labour, and works away with chance
//!    `youth_migration` (under `labour.allocation = "choice"` its yearly
//!    choice then moves it like any adult);
//! 3. **marriage**: each unmarried son in the `marriage_ages` marries with
//!    chance `marriage_rate` a year and his bride joins the household
//!    (patrilocal, 从夫居); each unmarried daughter marries out;
//! 4. **births**: each married woman with her husband alive bears a child
//!    with her age band's `fertility`, a boy at odds `sex_ratio_at_birth`.
//!
//! The household's composition follows ([`Roster::traits`]): members,
//! adults (working age, not in school), elderly (`old_age` and older),
//! children (under working age or in school), teens (`secondary_age` to
//! school-leaving age, not working), labour units, adult equivalents
//! and care: `care_young` labour units for each child under
//! `care_young_age` and `care_old` for each member aged `care_old_age` or
//! more. Care counts as a change from the founding: the calibrated labour of
//! the pre-policy year already nets out the care its households gave then,
//! so a birth or a parent reaching `care_old_age` takes labour, and a child
//! growing out of care gives it back. The founding composition is the
//! generated one, and the pre-policy year is the same with or without
//! `[demography]`.
//!
//! Nothing here depends on the policy: every draw is keyed by household and
//! year, so one schedule per replicate ([`Demography::build`]) serves every
//! arm (common random numbers), and all arms have the same people. At each
//! January the world takes the year's composition ([`enter`]) and each arm
//! maps its members away to the new adults.
//!
//! Section: `[demography]` (off by default: members never change).

use crate::check::Checker;
use crate::household::{adult_eq, home_labour, Condition, Households, Status, Traits, Unmet};
use crate::rng::{Purpose, Streams};
use crate::world::World;
use rand::Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Age bands of the mortality tables: 0, 1–4, 5–9, …, 80–84, 85+.
pub const MORTALITY_BANDS: usize = 19;
/// Age bands of the fertility table: 15–19, …, 45–49.
pub const FERTILITY_BANDS: usize = 7;
/// No member (in [`Slots`]).
const NONE: u8 = u8::MAX;
/// Oldest age a member reaches.
const MAX_AGE: u8 = 110;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DemographyFile {
    /// Whether members age, are born, die, marry and reach working age. Off, every household keeps its founding
    /// members for the whole run.
    ///
    /// Unit: –. Default: `false`. Allowed: true or false.
    #[serde(default)]
    pub enabled: bool,
    /// Age at which a child may join the household's labour (the legal minimum working age in China).
    ///
    /// Unit: years. Default: `16`. Allowed: [10, 30], below `old_age`.
    #[serde(default = "default_working_age")]
    pub working_age: i64,
    /// Age from which a member counts as elderly (0.4 labour units; the rural pension's age).
    ///
    /// Unit: years. Default: `60`. Allowed: [40, 100].
    #[serde(default = "default_old_age")]
    pub old_age: i64,
    /// Age until which a child who stays in school is a dependant.
    ///
    /// Unit: years. Default: `18`. Allowed: [`working_age`, `old_age`).
    #[serde(default = "default_school_leaving_age")]
    pub school_leaving_age: i64,
    /// Age from which a child is of secondary-school age (junior and senior secondary): a teen, a candidate for
    /// vocational school, until `school_leaving_age` unless working. The founding's teens are aged from it to
    /// `school_leaving_age` − 1.
    ///
    /// Unit: years. Default: `12`. Allowed: [6, `working_age` − 1].
    #[serde(default = "default_secondary_age")]
    pub secondary_age: i64,
    /// Share of children reaching working age who stay in school until `school_leaving_age` (source: assumed, below
    /// China's gross senior-secondary enrolment of 87% in 2015, as in poor rural counties).
    ///
    /// Unit: share. Default: `0.7`. Allowed: [0, 1].
    #[serde(default = "default_schooling_share")]
    pub schooling_share: f64,
    /// Share of those leaving school who leave home for college (their registration moves with them) (source:
    /// assumed, below China's gross tertiary enrolment of 40% in 2015, as for rural students).
    ///
    /// Unit: share. Default: `0.3`. Allowed: [0, 1].
    #[serde(default = "default_college_share")]
    pub college_share: f64,
    /// Share of new adults who go to work away (外出务工) (source: assumed; the field report's young people mostly
    /// leave).
    ///
    /// Unit: share. Default: `0.6`. Allowed: [0, 1].
    #[serde(default = "default_youth_migration")]
    pub youth_migration: f64,
    /// Chance a year that an unmarried son or daughter within `marriage_ages` marries: a bride joins, a daughter
    /// leaves (source: assumed, so that most marry before 30).
    ///
    /// Unit: 1/year. Default: `0.12`. Allowed: [0, 1].
    #[serde(default = "default_marriage_rate")]
    pub marriage_rate: f64,
    /// Youngest and oldest age at which sons and daughters marry.
    ///
    /// Unit: years. Default: `[20, 34]`. Allowed: `working_age` ≤ first ≤ second < `old_age`.
    #[serde(default = "default_marriage_ages")]
    pub marriage_ages: [i64; 2],
    /// Births a year per married woman with her husband, by age 15–19, 20–24, …, 45–49 (source: assumed; the shape
    /// of rural age-specific fertility in the 2015 1% population sample survey, per married woman, scaled so that the
    /// township's crude birth rate is near 8 per 1,000).
    ///
    /// Unit: births/year. Default: `[0.2, 0.25, 0.15, 0.08, 0.03, 0.01, 0.003]`. Allowed: 7 numbers in [0, 1].
    #[serde(default = "default_fertility")]
    pub fertility: Vec<f64>,
    /// Boys born per girl (source: China's 2015 sample survey, about 1.13; higher in rural areas).
    ///
    /// Unit: boys/girl. Default: `1.15`. Allowed: [0.5, 2].
    #[serde(default = "default_sex_ratio")]
    pub sex_ratio_at_birth: f64,
    /// Chance a man dies within a year, by age 0, 1–4, 5–9, …, 80–84, 85+ (source: assumed; rounded from the WHO
    /// Global Health Observatory life table for China 2015 (ₙqₓ ÷ n), life expectancy at birth about 74).
    ///
    /// Unit: 1/year. Default: `[0.01, 0.0006, 0.0003, 0.0003, 0.0006, 0.0009, 0.001, 0.0012, 0.0016, 0.0024, 0.0036,
    /// 0.0055, 0.0085, 0.013, 0.02, 0.033, 0.055, 0.09, 0.17]`. Allowed: 19 numbers in [0, 1].
    #[serde(default = "default_mortality_male")]
    pub mortality_male: Vec<f64>,
    /// As `mortality_male`, for women (life expectancy at birth about 79).
    ///
    /// Unit: 1/year. Default: `[0.009, 0.0005, 0.0002, 0.0002, 0.0003, 0.0004, 0.0005, 0.0006, 0.0009, 0.0013,
    /// 0.002, 0.003, 0.0048, 0.0078, 0.013, 0.022, 0.04, 0.07, 0.15]`. Allowed: 19 numbers in [0, 1].
    #[serde(default = "default_mortality_female")]
    pub mortality_female: Vec<f64>,
    /// How many times more likely the chronically ill member is to die (source: assumed; chronic disease roughly
    /// doubles adult mortality in the China Kadoorie Biobank's rural cohorts).
    ///
    /// Unit: ×. Default: `2`. Allowed: [1, 20].
    #[serde(default = "default_chronic_ratio")]
    pub chronic_mortality_ratio: f64,
    /// Labour lost to caring for each child younger than `care_young_age` (source: assumed).
    ///
    /// Unit: labour units. Default: `0.3`. Allowed: [0, 1].
    #[serde(default = "default_care")]
    pub care_young: f64,
    /// Age under which a child needs care.
    ///
    /// Unit: years. Default: `3`. Allowed: [0, `working_age`].
    #[serde(default = "default_care_young_age")]
    pub care_young_age: i64,
    /// Labour lost to caring for each member aged `care_old_age` or more (source: assumed).
    ///
    /// Unit: labour units. Default: `0.3`. Allowed: [0, 1].
    #[serde(default = "default_care")]
    pub care_old: f64,
    /// Age from which a member needs care.
    ///
    /// Unit: years. Default: `80`. Allowed: [`old_age`, 110].
    #[serde(default = "default_care_old_age")]
    pub care_old_age: i64,
}

impl Default for DemographyFile {
    fn default() -> Self {
        DemographyFile {
            enabled: false,
            working_age: default_working_age(),
            old_age: default_old_age(),
            school_leaving_age: default_school_leaving_age(),
            secondary_age: default_secondary_age(),
            schooling_share: default_schooling_share(),
            college_share: default_college_share(),
            youth_migration: default_youth_migration(),
            marriage_rate: default_marriage_rate(),
            marriage_ages: default_marriage_ages(),
            fertility: default_fertility(),
            sex_ratio_at_birth: default_sex_ratio(),
            mortality_male: default_mortality_male(),
            mortality_female: default_mortality_female(),
            chronic_mortality_ratio: default_chronic_ratio(),
            care_young: default_care(),
            care_young_age: default_care_young_age(),
            care_old: default_care(),
            care_old_age: default_care_old_age(),
        }
    }
}

fn default_working_age() -> i64 {
    16
}
fn default_old_age() -> i64 {
    60
}
fn default_secondary_age() -> i64 {
    12
}
fn default_school_leaving_age() -> i64 {
    18
}
fn default_schooling_share() -> f64 {
    0.7
}
fn default_college_share() -> f64 {
    0.3
}
fn default_youth_migration() -> f64 {
    0.6
}
fn default_marriage_rate() -> f64 {
    0.12
}
fn default_marriage_ages() -> [i64; 2] {
    [20, 34]
}
fn default_fertility() -> Vec<f64> {
    vec![0.2, 0.25, 0.15, 0.08, 0.03, 0.01, 0.003]
}
fn default_sex_ratio() -> f64 {
    1.15
}
fn default_mortality_male() -> Vec<f64> {
    vec![
        0.01, 0.0006, 0.0003, 0.0003, 0.0006, 0.0009, 0.001, 0.0012, 0.0016, 0.0024, 0.0036, 0.0055, 0.0085, 0.013,
        0.02, 0.033, 0.055, 0.09, 0.17,
    ]
}
fn default_mortality_female() -> Vec<f64> {
    vec![
        0.009, 0.0005, 0.0002, 0.0002, 0.0003, 0.0004, 0.0005, 0.0006, 0.0009, 0.0013, 0.002, 0.003, 0.0048, 0.0078,
        0.013, 0.022, 0.04, 0.07, 0.15,
    ]
}
fn default_chronic_ratio() -> f64 {
    2.0
}
fn default_care() -> f64 {
    0.3
}
fn default_care_young_age() -> i64 {
    3
}
fn default_care_old_age() -> i64 {
    80
}

/// `[demography]`, validated (`None` when off).
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    pub working_age: u8,
    pub old_age: u8,
    pub school_leaving_age: u8,
    pub secondary_age: u8,
    pub schooling_share: f64,
    pub college_share: f64,
    pub youth_migration: f64,
    pub marriage_rate: f64,
    pub marriage_ages: [u8; 2],
    pub fertility: [f64; FERTILITY_BANDS],
    /// Chance that a birth is a boy: ratio ÷ (1 + ratio).
    pub boy: f64,
    /// By sex (0 men, 1 women) and age band.
    pub mortality: [[f64; MORTALITY_BANDS]; 2],
    pub chronic_mortality_ratio: f64,
    pub care_young: f64,
    pub care_young_age: u8,
    pub care_old: f64,
    pub care_old_age: u8,
}

/// `[demography]`.
pub fn check(c: &mut Checker, f: &DemographyFile) -> Option<Rates> {
    let p = "demography";
    c.int(&format!("{p}.working_age"), f.working_age, 10, 30);
    c.int(&format!("{p}.old_age"), f.old_age, 40, 100);
    c.int(&format!("{p}.school_leaving_age"), f.school_leaving_age, f.working_age, f.old_age - 1);
    c.int(&format!("{p}.secondary_age"), f.secondary_age, 6, f.working_age - 1);
    for (name, v) in [
        ("schooling_share", f.schooling_share),
        ("college_share", f.college_share),
        ("youth_migration", f.youth_migration),
        ("marriage_rate", f.marriage_rate),
        ("care_young", f.care_young),
        ("care_old", f.care_old),
    ] {
        c.prob(&format!("{p}.{name}"), v);
    }
    let [lo, hi] = f.marriage_ages;
    c.int(&format!("{p}.marriage_ages[0]"), lo, f.working_age, f.old_age - 1);
    c.int(&format!("{p}.marriage_ages[1]"), hi, lo, f.old_age - 1);
    c.num(&format!("{p}.sex_ratio_at_birth"), f.sex_ratio_at_birth, 0.5, 2.0);
    c.num(&format!("{p}.chronic_mortality_ratio"), f.chronic_mortality_ratio, 1.0, 20.0);
    c.int(&format!("{p}.care_young_age"), f.care_young_age, 0, f.working_age);
    c.int(&format!("{p}.care_old_age"), f.care_old_age, f.old_age, MAX_AGE as i64);
    let table = |c: &mut Checker, name: &str, v: &[f64], n: usize| {
        if v.len() != n {
            c.push(&format!("{p}.{name}"), format!("{} numbers", v.len()), format!("{n} numbers, one per age band"));
        }
        for (k, &x) in v.iter().enumerate() {
            c.prob(&format!("{p}.{name}[{k}]"), x);
        }
    };
    table(c, "fertility", &f.fertility, FERTILITY_BANDS);
    table(c, "mortality_male", &f.mortality_male, MORTALITY_BANDS);
    table(c, "mortality_female", &f.mortality_female, MORTALITY_BANDS);
    if !f.enabled {
        return None;
    }
    let byte = |v: i64| v.clamp(0, MAX_AGE as i64) as u8;
    let band = |v: &[f64], k: usize| v.get(k).copied().unwrap_or(0.0);
    Some(Rates {
        working_age: byte(f.working_age),
        old_age: byte(f.old_age),
        school_leaving_age: byte(f.school_leaving_age),
        secondary_age: byte(f.secondary_age),
        schooling_share: f.schooling_share,
        college_share: f.college_share,
        youth_migration: f.youth_migration,
        marriage_rate: f.marriage_rate,
        marriage_ages: [byte(lo), byte(hi)],
        fertility: std::array::from_fn(|k| band(&f.fertility, k)),
        boy: f.sex_ratio_at_birth / (1.0 + f.sex_ratio_at_birth),
        mortality: [
            std::array::from_fn(|k| band(&f.mortality_male, k)),
            std::array::from_fn(|k| band(&f.mortality_female, k)),
        ],
        chronic_mortality_ratio: f.chronic_mortality_ratio,
        care_young: f.care_young,
        care_young_age: byte(f.care_young_age),
        care_old: f.care_old,
        care_old_age: byte(f.care_old_age),
    })
}

/// What happened to a household's members in one year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Events {
    pub births: u32,
    pub deaths: u32,
    /// Brides who joined, daughters who married out, school leavers who left for college.
    pub brides: u32,
    pub married_out: u32,
    pub college: u32,
}

impl Events {
    fn add(&self, o: &Events) -> Events {
        Events {
            births: self.births + o.births,
            deaths: self.deaths + o.deaths,
            brides: self.brides + o.brides,
            married_out: self.married_out + o.married_out,
            college: self.college + o.college,
        }
    }
}

/// One member of a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    /// Order of joining the household: adult slots go by it.
    pub id: u8,
    pub age: u8,
    pub female: bool,
    /// The member's spouse's `id` ([`NONE`]: unmarried or widowed).
    pub spouse: u8,
    /// In school past working age.
    pub student: bool,
    /// Works away when it becomes (or is at the founding) an adult.
    pub away: bool,
    /// The household's chronically ill (disabled) member.
    pub ill: bool,
    pub disabled: bool,
    /// The founding head or spouse, or a bride: never marries out.
    pub settled: bool,
}

impl Person {
    /// A member `id` of age `age`, unmarried, at home, neither ill nor disabled.
    pub fn new(id: u8, age: u8, female: bool, settled: bool) -> Person {
        Person { id, age, female, spouse: NONE, student: false, away: false, ill: false, disabled: false, settled }
    }
}

/// The adults of a household in slot order (the bits of an arm's `away`
/// column), by member `id`; [`NONE`] after the last.
pub type Slots = [u8; 8];

/// The members of one household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub members: Vec<Person>,
    next_id: u8,
}

/// A uniform age in `lo..=hi` (`hi` at least `lo`).
fn age_in(rng: &mut impl Rng, lo: u8, hi: u8) -> u8 {
    rng.random_range(lo..=hi.max(lo))
}

impl Roster {
    /// Members for a household's founding counts `tr` (keyed draws: the same
    /// in every arm). Adults are ordered so that slots 1 to `migrants` are
    /// the founding's migrants ([`crate::mechanism::labour::founding`]).
    pub fn found(d: &Rates, tr: &Traits, streams: Streams, i: usize) -> Roster {
        let mut rng = streams.rng(Purpose::Demography, i as u64, 0);
        let (wa, old) = (d.working_age, d.old_age);
        let mut members: Vec<Person> = Vec::with_capacity(tr.size as usize + 4);
        let person = |id: usize, age: u8, female: bool, settled: bool| Person::new(id as u8, age, female, settled);
        // Children: the founding's teens from secondary-school age to
        // school-leaving age (in school past working age), the others younger.
        let kids: Vec<u8> = (0..tr.children)
            .map(|k| {
                if k < tr.teens {
                    age_in(&mut rng, d.secondary_age, d.school_leaving_age.saturating_sub(1).max(d.secondary_age))
                } else {
                    age_in(&mut rng, 0, d.secondary_age - 1)
                }
            })
            .collect();
        let oldest_kid = kids.iter().copied().max();
        let top = old - 1;
        for k in 0..tr.adults {
            let age = match k {
                // The head: old enough to be the oldest child's parent (or grandparent).
                0 => match oldest_kid {
                    Some(a) => age_in(&mut rng, (a + 20).clamp(wa, top), (a + 32).min(top)),
                    // Without children at home: mostly older, their children grown and gone.
                    None => {
                        let lo = 30.max(wa).min(top);
                        age_in(&mut rng, lo, top).max(age_in(&mut rng, lo, top))
                    }
                },
                // The spouse, within a few years of the head.
                1 => {
                    let head = members[0].age;
                    age_in(&mut rng, head.saturating_sub(4).max(wa), (head + 2).min(top))
                }
                // Grown sons and daughters, or a younger brother or sister.
                _ => {
                    let head = members[0].age;
                    age_in(&mut rng, wa, if head >= wa + 20 { head - 20 } else { head })
                }
            };
            let female = match k {
                0 => rng.random_bool(0.1),
                1 => !members[0].female,
                _ => rng.random_bool(0.5),
            };
            members.push(person(members.len(), age, female, k < 2));
        }
        if tr.adults >= 2 {
            members[0].spouse = 1;
            members[1].spouse = 0;
        }
        for k in 1..=tr.migrants.min(tr.adults.saturating_sub(1)) {
            members[k as usize].away = true;
        }
        for _ in 0..tr.elderly {
            // Fewer at each older age: the younger of two uniform ages in `old..=old + 25`.
            let oldest = (old + 25).min(MAX_AGE - 1);
            let age = age_in(&mut rng, old, oldest).min(age_in(&mut rng, old, oldest));
            let female = rng.random_bool(0.5);
            members.push(person(members.len(), age, female, true));
        }
        for &age in &kids {
            let female = rng.random::<f64>() >= d.boy;
            let mut p = person(members.len(), age, female, false);
            p.student = age >= wa;
            members.push(p);
        }
        // The chronically ill member is the oldest; the disabled one any member.
        if tr.flags.contains(Condition::CHRONIC) {
            if let Some(p) = members.iter_mut().max_by_key(|p| (p.age, u8::MAX - p.id)) {
                p.ill = true;
            }
        }
        if tr.flags.contains(Condition::DISABLED) && !members.is_empty() {
            let k = rng.random_range(0..members.len());
            members[k].disabled = true;
        }
        let next_id = members.len() as u8;
        Roster { members, next_id }
    }

    /// Whether member `p` is a working adult.
    fn adult(d: &Rates, p: &Person) -> bool {
        p.age >= d.working_age && p.age < d.old_age && !p.student
    }

    /// The adults in slot order.
    pub fn slots(&self, d: &Rates) -> Slots {
        let mut s = [NONE; 8];
        for (k, p) in self.members.iter().filter(|p| Roster::adult(d, p)).take(8).enumerate() {
            s[k] = p.id;
        }
        s
    }

    /// The adults who work away by default (bit *k* for slot *k*; slot 0 never).
    pub fn away(&self, d: &Rates) -> u8 {
        let mut bits = 0;
        for (k, p) in self.members.iter().filter(|p| Roster::adult(d, p)).take(8).enumerate() {
            if k > 0 && p.away {
                bits |= 1 << k;
            }
        }
        bits
    }

    /// Labour units the members' care takes.
    pub fn care(&self, d: &Rates) -> f64 {
        let young = self.members.iter().filter(|p| p.age < d.care_young_age).count() as f64;
        let frail = self.members.iter().filter(|p| p.age >= d.care_old_age).count() as f64;
        d.care_young * young + d.care_old * frail
    }

    /// The household's traits now: `founding`'s, with the composition of the
    /// members (sizes, labour, need, conditions), and care beyond
    /// `founding_care` (the founding's [`Roster::care`]).
    pub fn traits(&self, d: &Rates, founding: &Traits, founding_care: f64) -> Traits {
        let mut t = *founding;
        let (wa, old) = (d.working_age, d.old_age);
        let adults = self.members.iter().filter(|p| Roster::adult(d, p)).count();
        t.size = self.members.len().min(u8::MAX as usize) as u8;
        t.adults = adults.min(u8::MAX as usize) as u8;
        t.elderly = self.members.iter().filter(|p| p.age >= old).count() as u8;
        t.children = self.members.iter().filter(|p| p.age < wa || (p.student && p.age < old)).count() as u8;
        t.teens = self
            .members
            .iter()
            .filter(|p| p.age >= d.secondary_age && p.age <= d.school_leaving_age && !Roster::adult(d, p))
            .count() as u8;
        t.migrants = self.away(d).count_ones() as u8;
        let mut flags = founding.flags & !(Condition::CHRONIC | Condition::DISABLED);
        if self.members.iter().any(|p| p.ill) {
            flags |= Condition::CHRONIC;
        }
        if self.members.iter().any(|p| p.disabled) {
            flags |= Condition::DISABLED;
        }
        t.flags = flags;
        // A household without members gives no care and has no labour.
        let care = if self.members.is_empty() { 0.0 } else { self.care(d) - founding_care };
        t.care = (100.0 * care).round() as i16;
        t.labour = home_labour(t.adults - t.migrants, t.elderly, flags, t.care);
        t.adult_eq = adult_eq((t.adults - t.migrants + t.elderly) as f32, t.children);
        t
    }

    /// One year of household `i` (year index `y` ≥ 1): ageing, deaths,
    /// working age, marriage and births, in that order.
    pub fn year(&mut self, d: &Rates, streams: Streams, i: usize, y: u32) -> Events {
        let mut rng = streams.rng(Purpose::Demography, i as u64, y);
        for p in &mut self.members {
            p.age = (p.age + 1).min(MAX_AGE);
        }
        // Deaths.
        let mut died = Vec::new();
        for p in &self.members {
            let band = if p.age == 0 { 0 } else { (1 + p.age as usize / 5).min(MORTALITY_BANDS - 1) };
            let mut q = d.mortality[p.female as usize][band];
            if p.ill {
                q *= d.chronic_mortality_ratio;
            }
            if p.age >= MAX_AGE || rng.random::<f64>() < q {
                died.push(p.id);
            }
        }
        self.leave(&died);
        let mut events = Events { deaths: died.len() as u32, ..Events::default() };
        // Reaching working age, and leaving school.
        let mut left = Vec::new();
        for p in &mut self.members {
            if p.age == d.working_age && !p.student {
                p.student = d.school_leaving_age > d.working_age && rng.random::<f64>() < d.schooling_share;
                if !p.student {
                    p.away = rng.random::<f64>() < d.youth_migration;
                }
            } else if p.student && p.age >= d.school_leaving_age {
                p.student = false;
                if rng.random::<f64>() < d.college_share {
                    left.push(p.id);
                } else {
                    p.away = rng.random::<f64>() < d.youth_migration;
                }
            }
        }
        self.leave(&left);
        events.college = left.len() as u32;
        // Marriage: sons bring a bride home, daughters marry out.
        let [lo, hi] = d.marriage_ages;
        let mut brides = Vec::new();
        let mut out = Vec::new();
        for p in &self.members {
            let single = p.spouse == NONE && !p.settled && !p.student && (lo..=hi).contains(&p.age);
            if single && rng.random::<f64>() < d.marriage_rate {
                if p.female {
                    out.push(p.id);
                } else {
                    brides.push((p.id, p.age.saturating_sub(2).max(lo)));
                }
            }
        }
        self.leave(&out);
        events.married_out = out.len() as u32;
        for (groom, age) in brides {
            if let Some(id) = self.join(age, true) {
                self.set_spouses(groom, id);
                events.brides += 1;
            }
        }
        // Births.
        let mothers: Vec<(u8, usize)> = self
            .members
            .iter()
            .filter(|p| p.female && p.spouse != NONE && (15..50).contains(&p.age))
            .map(|p| (p.id, (p.age as usize - 15) / 5))
            .collect();
        for (_, band) in mothers {
            if rng.random::<f64>() < d.fertility[band] {
                let female = rng.random::<f64>() >= d.boy;
                events.births += self.join(0, female).is_some() as u32;
            }
        }
        // The first adult stays home (the farm, the children, the elderly), and
        // stays home if a new adult later comes before it in slot order.
        if let Some(first) = self.members.iter_mut().find(|p| Roster::adult(d, p)) {
            first.away = false;
        }
        events
    }

    /// A new member of age `age` (a bride is `female` and settled; a baby
    /// not); `None` when the household has had 255 members.
    fn join(&mut self, age: u8, female: bool) -> Option<u8> {
        if self.next_id == NONE {
            return None;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.members.push(Person::new(id, age, female, age > 0));
        Some(id)
    }

    fn set_spouses(&mut self, a: u8, b: u8) {
        for p in &mut self.members {
            if p.id == a {
                p.spouse = b;
            } else if p.id == b {
                p.spouse = a;
            }
        }
    }

    /// Members `ids` leave (die, marry out, go to college): their spouses are widowed.
    fn leave(&mut self, ids: &[u8]) {
        if ids.is_empty() {
            return;
        }
        self.members.retain(|p| !ids.contains(&p.id));
        for p in &mut self.members {
            if ids.contains(&p.spouse) {
                p.spouse = NONE;
            }
        }
    }
}

/// One year of the schedule: every household's traits, adult slots and
/// adults away by default.
#[derive(Debug, Clone)]
pub struct Year {
    pub traits: Vec<Traits>,
    pub slots: Vec<Slots>,
    pub away: Vec<u8>,
    /// The township's events of the year (none in year 0).
    pub events: Events,
}

/// The demographic schedule of one replicate, from year index 0 (the
/// founding) to the last.
#[derive(Debug, Clone)]
pub struct Demography {
    pub years: Vec<Year>,
    /// For each household, the first year index in which it has no members
    /// (`u32::MAX` if it never dies out).
    pub gone_from: Vec<u32>,
}

impl Demography {
    /// The schedule for `years` policy years of world `w`'s households.
    pub fn build(d: &Rates, w: &World, years: usize) -> Demography {
        let streams = w.streams;
        let per_household: Vec<Vec<(Traits, Slots, u8, Events)>> = w
            .traits
            .par_iter()
            .enumerate()
            .map(|(i, founding)| {
                let mut roster = Roster::found(d, founding, streams, i);
                let care = roster.care(d);
                let mut out = Vec::with_capacity(years + 1);
                for y in 0..=years {
                    let events = if y > 0 { roster.year(d, streams, i, y as u32) } else { Events::default() };
                    out.push((roster.traits(d, founding, care), roster.slots(d), roster.away(d), events));
                }
                out
            })
            .collect();
        let years = (0..=years)
            .map(|y| Year {
                traits: per_household.iter().map(|h| h[y].0).collect(),
                slots: per_household.iter().map(|h| h[y].1).collect(),
                away: per_household.iter().map(|h| h[y].2).collect(),
                events: per_household.iter().fold(Events::default(), |a, h| a.add(&h[y].3)),
            })
            .collect();
        let gone_from =
            per_household.iter().map(|h| h.iter().position(|y| y.0.size == 0).map_or(u32::MAX, |y| y as u32)).collect();
        Demography { years, gone_from }
    }
}

/// January of year index `y` ≥ 1: the world takes the year's composition,
/// and the arm's members away (`hh.away`) follow their adults into the new
/// slots; a new adult works away by default as drawn. A household left with
/// no adult loses its enterprise job; one without children lacks no
/// schooling. A household whose last member died stays, with no members and
/// no labour: it leaves the register at once, lacks no guarantee, and weighs
/// nothing in the poverty measures. The caller updates the register's
/// counts, the enterprises' jobs and dibao from what it returns.
pub fn enter(demography: &Demography, w: &mut World, hh: &mut Households, y: usize) -> Left {
    let mut left = Left::default();
    let (Some(before), Some(now)) = (demography.years.get(y - 1), demography.years.get(y)) else {
        return left;
    };
    w.set_composition(&now.traits);
    for (i, t) in now.traits.iter().enumerate() {
        if before.slots[i] != now.slots[i] {
            hh.away[i] = remap(&before.slots[i], &now.slots[i], now.away[i], hh.away[i]);
        }
        let st = &mut hh.status[i];
        // An enterprise job ends when no adult is left to hold it.
        if t.adults == 0 && st.contains(Status::JOB) {
            *st &= !Status::JOB;
            left.jobs.push(i);
        }
        // A household that died out leaves the register at once, and lacks no guarantee.
        if t.size == 0 {
            if before.traits[i].size > 0 {
                left.died_out.push(i);
            }
            if st.registered() {
                left.registered += 1;
                left.in_transition += st.contains(Status::TRANSITION) as u32;
                *st &= !(Status::REGISTERED | Status::TRANSITION);
            }
            hh.unmet[i] = Unmet::empty();
        }
        // No child, no child out of school.
        if t.children == 0 {
            hh.unmet[i].remove(Unmet::SCHOOLING);
        }
    }
    left
}

/// What an arm loses at a January's [`enter`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Left {
    /// Households that died out and left the register, and those of them in transition.
    pub registered: u32,
    pub in_transition: u32,
    /// Households whose enterprise job ended (no adult left).
    pub jobs: Vec<usize>,
    /// Households whose last member died since last January.
    pub died_out: Vec<usize>,
}

/// An `away` column over slots `before`, moved to slots `now`: an adult who
/// was an adult keeps its place (at home or away), a new one takes its
/// default (`fresh`); slot 0 never works away.
pub fn remap(before: &Slots, now: &Slots, fresh: u8, away: u8) -> u8 {
    let mut out = 0;
    for (k, &id) in now.iter().enumerate().skip(1) {
        if id == NONE {
            break;
        }
        let bit = match before.iter().position(|&b| b == id) {
            Some(j) => away & (1 << j) != 0,
            None => fresh & (1 << k) != 0,
        };
        if bit {
            out |= 1 << k;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanism::labour;

    /// The shipped defaults, on.
    fn rates() -> Rates {
        check(&mut Checker::default(), &DemographyFile { enabled: true, ..DemographyFile::default() }).unwrap()
    }

    /// Nothing happens but ageing.
    fn still() -> Rates {
        Rates {
            fertility: [0.0; FERTILITY_BANDS],
            mortality: [[0.0; MORTALITY_BANDS]; 2],
            marriage_rate: 0.0,
            schooling_share: 0.0,
            college_share: 0.0,
            youth_migration: 0.0,
            ..rates()
        }
    }

    fn person(id: u8, age: u8, female: bool) -> Person {
        Person::new(id, age, female, true)
    }

    /// A couple of 30 and 28, a grandmother of 70 and a child of 15.
    fn family() -> (Roster, Traits) {
        let mut members = vec![person(0, 30, false), person(1, 28, true), person(2, 70, true), person(3, 15, false)];
        (members[0].spouse, members[1].spouse, members[3].settled) = (1, 0, false);
        let roster = Roster { members, next_id: 4 };
        let founding = Traits { size: 4, adults: 2, elderly: 1, children: 1, teens: 1, ..Traits::default() };
        (roster, founding)
    }

    fn streams() -> Streams {
        Streams::new(7, 0)
    }

    #[test]
    fn a_household_ages_gains_a_child_loses_a_member_and_sees_a_child_reach_working_age() {
        let (mut roster, founding) = family();
        let d = still();
        let care = roster.care(&d);
        let before = roster.traits(&d, &founding, care);
        assert_eq!((before.size, before.adults, before.elderly, before.children, before.teens), (4, 2, 1, 1, 1));
        assert_eq!((before.labour, before.adult_eq, before.care), (2.4, 1.0 + 0.7 * 2.0 + 0.5, 0));

        // Ageing, and the child reaches working age: one more adult at home, one fewer child.
        assert_eq!(roster.year(&d, streams(), 0, 1), Events::default());
        assert_eq!(roster.members.iter().map(|p| p.age).collect::<Vec<_>>(), [31, 29, 71, 16]);
        let grown = roster.traits(&d, &founding, care);
        assert_eq!((grown.size, grown.adults, grown.children, grown.teens), (4, 3, 0, 0));
        assert!((grown.labour - (before.labour + 1.0)).abs() < 1e-6, "a new worker: {}", grown.labour);
        assert!((grown.adult_eq - (before.adult_eq + 0.7 - 0.5)).abs() < 1e-6, "an adult's need, not a child's");
        assert_eq!(roster.slots(&d)[..4], [0, 1, 3, NONE]);

        // A birth: one more member and child, more need, and care takes labour.
        let fertile = Rates { fertility: [1.0; FERTILITY_BANDS], ..still() };
        let ev = roster.year(&fertile, streams(), 0, 2);
        assert_eq!(ev, Events { births: 1, ..Events::default() });
        let born = roster.traits(&fertile, &founding, care);
        assert_eq!((born.size, born.children, born.care), (5, 1, 30));
        assert!((born.labour - (grown.labour - 0.3)).abs() < 1e-6, "care for the baby: {}", born.labour);
        assert!((born.adult_eq - (grown.adult_eq + 0.5)).abs() < 1e-6);

        // A death: the grandmother (all women over 70 die); one fewer member, her labour and her need gone.
        let mut deadly = still();
        deadly.mortality[1][15..].fill(1.0);
        let ev = roster.year(&deadly, streams(), 0, 3);
        assert_eq!(ev, Events { deaths: 1, ..Events::default() });
        let after = roster.traits(&deadly, &founding, care);
        assert_eq!((after.size, after.elderly), (4, 0));
        assert!((after.labour - (born.labour - 0.4)).abs() < 1e-6, "her 0.4 units: {}", after.labour);
        assert!((after.adult_eq - (born.adult_eq - 0.7)).abs() < 1e-6);
        // The baby grows out of care and gives the labour back.
        for y in 4..7 {
            roster.year(&still(), streams(), 0, y);
        }
        let older = roster.traits(&still(), &founding, care);
        assert_eq!(older.care, 0);
        assert!((older.labour - 3.0).abs() < 1e-6);
    }

    #[test]
    fn a_child_who_reaches_working_age_may_stay_in_school_leave_for_college_or_work_away() {
        let base = family();
        let d = |school: f64, college: f64, away: f64| Rates {
            schooling_share: school,
            college_share: college,
            youth_migration: away,
            ..still()
        };
        let founding = base.1;
        // Away: an adult who eats away and works away (slot 2 of the household's away column).
        let (mut r, _) = base.clone();
        r.year(&d(0.0, 0.0, 1.0), streams(), 0, 1);
        let t = r.traits(&d(0.0, 0.0, 1.0), &founding, 0.0);
        assert_eq!((t.adults, t.migrants, r.away(&still())), (3, 1, 0b100));
        assert!((t.labour - 2.4).abs() < 1e-6 && (t.adult_eq - 2.4).abs() < 1e-6);
        // School: a dependant and a teen until 18, then an adult at home.
        let (mut r, _) = base.clone();
        let school = d(1.0, 0.0, 0.0);
        r.year(&school, streams(), 0, 1);
        let t = r.traits(&school, &founding, 0.0);
        assert_eq!((t.adults, t.children, t.teens), (2, 1, 1));
        r.year(&school, streams(), 0, 2);
        r.year(&school, streams(), 0, 3);
        assert_eq!(r.traits(&school, &founding, 0.0).adults, 3);
        // College: gone at 18, and the household is one smaller.
        let (mut r, _) = base.clone();
        let college = d(1.0, 1.0, 0.0);
        let events: u32 = (1..4).map(|y| r.year(&college, streams(), 0, y).college).sum();
        assert_eq!((events, r.traits(&college, &founding, 0.0).size), (1, 3));
    }

    #[test]
    fn sons_bring_brides_home_and_daughters_marry_out() {
        let d = Rates { marriage_rate: 1.0, ..still() };
        let mut r =
            Roster { members: vec![person(0, 50, false), person(1, 24, false), person(2, 22, true)], next_id: 3 };
        (r.members[1].settled, r.members[2].settled) = (false, false);
        let ev = r.year(&d, streams(), 0, 1);
        assert_eq!((ev.brides, ev.married_out), (1, 1));
        let bride = r.members.iter().find(|p| p.id == 3).expect("the bride");
        assert!(bride.female && bride.spouse == 1 && bride.age == 23);
        assert_eq!(r.members.iter().find(|p| p.id == 1).unwrap().spouse, 3);
        assert!(r.members.iter().all(|p| p.id != 2));
        // A widow bears no children.
        let fertile = Rates { fertility: [1.0; FERTILITY_BANDS], mortality: [[0.0; MORTALITY_BANDS]; 2], ..still() };
        r.leave(&[1]);
        assert_eq!(r.year(&fertile, streams(), 0, 2).births, 0);
    }

    #[test]
    fn the_founding_members_give_the_generated_households() {
        let sc = crate::testing::township(3000);
        let w = World::new(&sc.setting, Streams::new(sc.seed, 0));
        let d = rates();
        for (i, tr) in w.traits.iter().enumerate() {
            let r = Roster::found(&d, tr, w.streams, i);
            assert_eq!(r.traits(&d, tr, r.care(&d)), *tr, "household {i}");
            assert_eq!(r.away(&d), labour::founding(tr.migrants), "household {i}");
            // Children in school past working age are the founding's teens.
            assert!(r.members.iter().all(|p| !p.student || (p.age >= d.working_age && p.age < d.school_leaving_age)));
        }
    }

    #[test]
    fn members_away_follow_their_adults_into_new_slots() {
        // Adults 0, 1 (away), 4 (away), 6; adult 1 dies, 7 joins, away by default; 4 and 6 move up.
        let before = [0, 1, 4, 6, NONE, NONE, NONE, NONE];
        let now = [0, 4, 6, 7, NONE, NONE, NONE, NONE];
        assert_eq!(remap(&before, &now, 0b1000, 0b0110), 0b1010);
        // The head dies and the migrant behind him becomes the first adult: at home.
        assert_eq!(remap(&before, &[1, 4, 6, NONE, NONE, NONE, NONE, NONE], 0, 0b0110), 0b010);
    }

    #[test]
    fn mortality_tables_give_life_expectancies_near_the_sources() {
        // Life expectancy at birth from the annual chances of death, as the docs state (74 and 79, ±1.5 years).
        let d = rates();
        for (sex, want) in [(0, 74.0), (1, 79.0)] {
            let (mut alive, mut years) = (1.0, 0.0);
            for age in 0..110usize {
                let band = if age == 0 { 0 } else { (1 + age / 5).min(MORTALITY_BANDS - 1) };
                let q = d.mortality[sex][band];
                years += alive * (1.0 - q / 2.0);
                alive *= 1.0 - q;
            }
            assert!((years - want).abs() <= 1.5, "sex {sex}: e0 {years:.1}");
        }
    }

    #[test]
    fn bad_tables_and_ages_are_named() {
        let f = DemographyFile {
            fertility: vec![0.1; 6],
            mortality_male: vec![1.5; MORTALITY_BANDS],
            school_leaving_age: 12,
            marriage_ages: [30, 25],
            enabled: true,
            ..DemographyFile::default()
        };
        let mut c = Checker::default();
        check(&mut c, &f);
        let paths: Vec<&str> = c.errors.iter().map(|e| e.path.as_str()).collect();
        for p in [
            "demography.fertility",
            "demography.mortality_male[0]",
            "demography.school_leaving_age",
            "demography.marriage_ages[1]",
        ] {
            assert!(paths.contains(&p), "{p} in {paths:?}");
        }
    }
}
