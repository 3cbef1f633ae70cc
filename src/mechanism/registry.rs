//! The register (建档立卡) and its targeting (精准识别, MODEL.md §4.2).
//!
//! Each December every household's trailing per-capita income is compared
//! with the poverty line: the poor are identified, exits, re-entries (返贫)
//! and new entrants counted, and the register drawn up through the
//! seven-step procedure, whose errors (poor households left out, non-poor
//! ones let in) the two public notices shrink; households with ties to the
//! cadres may be let in by favour, unless a work team or an audit stops
//! it; households that exited may stay on in transition. With monitoring
//! ([`monitor`]), households that fall below the trigger during a year are
//! registered at once. Instruments act on the register; dibao is assessed
//! on it.
//!
//! Section: `[targeting]`.

use super::dibao::{self, Dibao};
use super::guarantee::Guarantees;
use crate::check::{Checker, Choice, Choices};
use crate::household::{Condition, Households, Status, CHUNK};
use crate::rng::Purpose;
use crate::setting::Village;
use crate::world::{TeamCheck, World};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The seven-step identification (精准识别): errors at application, then
/// corrected at each public notice.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetingFile {
    /// Share of the truly poor left out at application and review.
    ///
    /// Unit: prob. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub exclusion_error: f64,
    /// Share of the non-poor let in at application and review.
    ///
    /// Unit: prob. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub inclusion_error: f64,
    /// Whether the two public notices (公示) run.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub public_notices: bool,
    /// Share of the remaining errors each notice corrects. With notices, each effective rate = raw rate × (1 −
    /// `notice_correction`)²; without, the raw rate.
    ///
    /// Unit: prob. Default: `0.3`. Allowed: [0, 1].
    #[serde(default = "default_notice_correction")]
    pub notice_correction: f64,
    /// Transition after exit (脱贫不脱政策): a registered household whose income rises above the line stays on the
    /// register, and keeps the support of every instrument whose `transition` is true, for this many identifications
    /// after its last poor one (reported as `in_transition`). 0 takes it off the register the year it exits. The
    /// default follows 2015–2020, when households that exited kept their support to the end of the programme: 5
    /// covers the six policy years.
    ///
    /// Unit: years. Default: `5` (脱贫不脱政策, 2015–2020). Allowed: [0, 50].
    #[serde(default = "default_transition_years")]
    pub transition_years: i64,
    /// Favour (路边花、垒大户、富上加富): the share of households with ties to village cadres. Each household has them with
    /// chance min(1, this × its productivity), so the better-off are likelier to; drawn once per replicate, the same
    /// in every arm. 0: no favour.
    ///
    /// Unit: share. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub cadre_ties_share: f64,
    /// The chance that a non-poor household with ties is registered anyway at an identification (beside
    /// `inclusion_error`); the public notices shrink it like the other errors (source: assumed).
    ///
    /// Unit: prob. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_favour_inclusion")]
    pub favour_inclusion: f64,
    /// Whether households with ties are served first when a project cannot reach every registered household:
    /// in-kind handouts, packages, school places, subsidised machines, enterprise linkage and jobs, housing renovation,
    /// insurance premiums, returns to school, e-commerce linkage, relocation, guaranteed loans and the land centre.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub favour_projects: bool,
    /// Villages with a resident work team (驻村工作队, a first secretary sent from outside): there a tie to the cadres
    /// is found out with chance `work_team_check`, and a household whose tie is found out gets no favour, neither
    /// at registration nor for projects.
    ///
    /// Unit: –. Default: `"none"`. Allowed: `"none"`, `"key_villages"` or `"all_villages"`.
    #[serde(default = "default_work_teams")]
    pub work_teams: Choice<WorkTeams>,
    /// Chance that a resident work team finds out a household's tie to the cadres, once per replicate (source:
    /// assumed).
    ///
    /// Unit: prob. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_work_team_check")]
    pub work_team_check: f64,
    /// Share of villages whose register is audited at each identification (a keyed draw per village and year, the
    /// same in every arm): in an audited village nobody is registered by favour that year (source: assumed).
    ///
    /// Unit: prob per year. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub audit_share: f64,
    /// Monitoring against a return to poverty (防返贫监测, from 2020): every month, an unregistered household whose
    /// trailing income per person falls below `monitoring_trigger` × the line is registered at once, for early help,
    /// instead of at December's identification.
    ///
    /// Unit: –. Default: `false`. Allowed: `true`/`false`.
    #[serde(default)]
    pub monitoring: bool,
    /// The income trigger for early help, as a share of the year's poverty line (source: assumed).
    ///
    /// Unit: share of the line. Default: `1`. Allowed: [0, 10].
    #[serde(default = "crate::check::default_one")]
    pub monitoring_trigger: f64,
    /// The near-poor band reported as `monitored`: households not poor whose income per person is below (1 + this) ×
    /// the line (source: assumed).
    ///
    /// Unit: share of the line. Default: `0.5`. Allowed: [0, 10].
    #[serde(default = "default_monitoring_band")]
    pub monitoring_band: f64,
}

fn default_monitoring_band() -> f64 {
    0.5
}

/// An arm's resident work teams this year (`mechanism::work_teams`), as
/// identification and the project order read them.
#[derive(Debug, Clone, PartialEq)]
pub struct Teams {
    /// Where they are (none: no team this year).
    pub check: Option<TeamCheck>,
    /// Per village: a team is in the field this year (empty: none anywhere).
    pub fielded: Vec<bool>,
    /// Share of the registration errors left in a team's village: 1 − `error_reduction`.
    pub errors_left: f64,
}

impl Default for Teams {
    /// No team anywhere: every error left.
    fn default() -> Teams {
        Teams { check: None, fielded: Vec::new(), errors_left: 1.0 }
    }
}

impl Teams {
    /// Whether village `v` has a team this year.
    #[inline]
    pub fn in_village(&self, v: usize) -> bool {
        self.fielded.get(v).copied().unwrap_or(false)
    }

    /// Teams in the field this year.
    pub fn count(&self) -> usize {
        self.check.map_or(0, |t| t.fielded as usize)
    }
}

/// Which villages have a resident work team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkTeams {
    None,
    /// The key poor villages (`population.villages[].key`).
    KeyVillages,
    AllVillages,
}

impl Choices for WorkTeams {
    const ALLOWED: &'static str = "\"none\", \"key_villages\" or \"all_villages\"";
}

fn default_work_teams() -> Choice<WorkTeams> {
    Choice::Known(WorkTeams::None)
}
fn default_work_team_check() -> f64 {
    0.5
}
fn default_favour_inclusion() -> f64 {
    0.5
}
fn default_notice_correction() -> f64 {
    0.3
}
fn default_transition_years() -> i64 {
    5
}

/// A scenario without `[targeting]` gets every field's documented default.
impl Default for TargetingFile {
    fn default() -> Self {
        TargetingFile {
            exclusion_error: 0.0,
            inclusion_error: 0.0,
            public_notices: true,
            notice_correction: default_notice_correction(),
            transition_years: default_transition_years(),
            cadre_ties_share: 0.0,
            favour_inclusion: default_favour_inclusion(),
            favour_projects: true,
            work_teams: default_work_teams(),
            work_team_check: default_work_team_check(),
            audit_share: 0.0,
            monitoring: false,
            monitoring_trigger: 1.0,
            monitoring_band: default_monitoring_band(),
        }
    }
}

/// Effective targeting error rates after the public notices.
#[derive(Debug, Clone, Copy)]
pub struct Targeting {
    pub exclusion: f64,
    pub inclusion: f64,
    pub transition_years: u32,
    pub ties_share: f64,
    /// Chance a non-poor household with ties is registered, after the notices.
    pub favour_inclusion: f64,
    pub favour_projects: bool,
    pub work_teams: WorkTeams,
    pub work_team_check: f64,
    pub audit_share: f64,
    pub monitoring: bool,
    pub monitoring_trigger: f64,
    pub monitoring_band: f64,
}

impl Targeting {
    /// Whether village `v` has a resident work team.
    pub fn has_team(&self, v: &Village) -> bool {
        match self.work_teams {
            WorkTeams::None => false,
            WorkTeams::KeyVillages => v.key,
            WorkTeams::AllVillages => true,
        }
    }

    /// Whether village `v`'s register is audited at identification `y`.
    fn audited(&self, w: &World, v: usize, y: u32) -> bool {
        self.audit_share > 0.0 && w.streams.uniform(Purpose::Favour, 1 << 40 | v as u64, y + 1) < self.audit_share
    }

    /// No errors, no transition, no favour.
    pub fn exact() -> Targeting {
        Targeting {
            exclusion: 0.0,
            inclusion: 0.0,
            transition_years: 0,
            ties_share: 0.0,
            favour_inclusion: 0.0,
            favour_projects: false,
            work_teams: WorkTeams::None,
            work_team_check: 0.0,
            audit_share: 0.0,
            monitoring: false,
            monitoring_trigger: 1.0,
            monitoring_band: 0.5,
        }
    }
}

/// `[targeting]`.
pub fn check(c: &mut Checker, t: &TargetingFile) -> Targeting {
    c.prob("targeting.exclusion_error", t.exclusion_error);
    c.prob("targeting.inclusion_error", t.inclusion_error);
    c.prob("targeting.notice_correction", t.notice_correction);
    c.int("targeting.transition_years", t.transition_years, 0, crate::check::MAX_YEARS);
    c.prob("targeting.cadre_ties_share", t.cadre_ties_share);
    c.prob("targeting.favour_inclusion", t.favour_inclusion);
    c.prob("targeting.work_team_check", t.work_team_check);
    c.prob("targeting.audit_share", t.audit_share);
    c.num("targeting.monitoring_trigger", t.monitoring_trigger, 0.0, 10.0);
    c.num("targeting.monitoring_band", t.monitoring_band, 0.0, 10.0);
    let work_teams = c.known("targeting.work_teams", &t.work_teams, WorkTeams::None);
    let keep = if t.public_notices { (1.0 - t.notice_correction).powi(2) } else { 1.0 };
    Targeting {
        exclusion: t.exclusion_error * keep,
        inclusion: t.inclusion_error * keep,
        transition_years: t.transition_years.clamp(0, crate::check::MAX_YEARS) as u32,
        ties_share: t.cadre_ties_share,
        favour_inclusion: t.favour_inclusion * keep,
        favour_projects: t.favour_projects,
        work_teams,
        work_team_check: t.work_team_check,
        audit_share: t.audit_share,
        monitoring: t.monitoring,
        monitoring_trigger: t.monitoring_trigger,
        monitoring_band: t.monitoring_band,
    }
}

/// Monitoring (防返贫监测, `targeting.monitoring`), after a month's
/// household pass: every unregistered household whose trailing income per
/// person `ypc` has fallen below `monitoring_trigger` × `line` (this year's
/// line) is registered at once, so the programme's instruments reach it
/// from next month, instead of at December's identification. Returns how
/// many were registered: the caller adds them to the register's count,
/// which instruments divide their pools by.
pub fn monitor(targeting: &Targeting, hh: &mut Households, sizes: &[u8], line: f64) -> u32 {
    if !targeting.monitoring {
        return 0;
    }
    let trigger = (targeting.monitoring_trigger * line) as f32;
    let mut entered = 0;
    for ((st, &ypc), &size) in hh.status.iter_mut().zip(&hh.ypc).zip(sizes) {
        if !st.registered() && ypc < trigger && size > 0 {
            *st |= Status::REGISTERED;
            entered += 1;
        }
    }
    entered
}

/// What an identification found, in households.
#[derive(Debug, Clone, Copy, Default)]
pub struct Identified {
    pub exits: f64,
    pub reentries: f64,
    pub entrants: f64,
    pub registered: u32,
    /// Registered households in transition after their exit.
    pub in_transition: u32,
    /// Registered households above the line kept on because they lack a guarantee (两不愁三保障).
    pub held: u32,
    /// Households poor at the previous identification whose last member died since (`[demography]`): not exits.
    pub died_out: f64,
}

/// Yearly identification (December of year index `y`; 0 = pre-policy).
/// Registration follows the seven-step procedure's error rates (see
/// `scenario::Targeting`); policies act on it. A registered household
/// above the line that lacks a guarantee stays registered when exit requires
/// the guarantees ([`super::guarantee`]). Returns exits, re-entries (返贫)
/// and new entrants, in households.
#[allow(clippy::needless_range_loop, clippy::too_many_arguments)]
pub fn identify(
    w: &World,
    (targeting, guarantees, teams): (&Targeting, &Guarantees, &Teams),
    dibao: &Dibao,
    hh: &mut Households,
    topups: &mut [f32],
    y: u32,
    line: f64,
) -> Identified {
    let (dibao_params, dibao_line) = (dibao, dibao.line * (line / w.sc.poverty_line));
    // Households are independent here: chunks in parallel, counts added in chunk order.
    let (ypc, unmet) = (&hh.ypc, &hh.unmet);
    let counts: Vec<[f64; 7]> = hh
        .status
        .par_chunks_mut(CHUNK)
        .zip(hh.history.par_chunks_mut(CHUNK))
        .zip(topups.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(k, ((status, history), topup))| {
            let mut c = [0.0; 7];
            for j in 0..status.len() {
                let i = k * CHUNK + j;
                let tr = &w.traits[i];
                let st = status[j];
                // A household whose last member died is neither poor nor registered.
                let gone = tr.size == 0;
                let poor = !gone && (ypc[i] as f64) < line;
                let was = st.poor();
                let mut next = st & !(Status::POOR | Status::REGISTERED | Status::TRANSITION);
                // Transition (脱贫不脱政策): a registered household above the line stays
                // registered while its last poor identification is recent enough.
                let last_poor = (history[j] != 0).then(|| 63 - history[j].leading_zeros());
                // Not out while a guarantee is unmet (两不愁三保障): held, served like a poor household.
                let kept = !gone && y > 0 && !poor && st.registered();
                let held = kept && guarantees.required_for_exit && !unmet[i].is_empty();
                let transition = kept && !held && last_poor.is_some_and(|k| y - k <= targeting.transition_years);
                if y > 0 {
                    if was && gone {
                        c[6] += 1.0;
                    } else if was && !poor {
                        c[0] += 1.0;
                        next |= Status::EXITED;
                    } else if !was && poor {
                        if st.contains(Status::EXITED) {
                            c[1] += 1.0;
                        } else if !st.contains(Status::EVER_POOR) {
                            c[2] += 1.0;
                        }
                    }
                }
                // The seven-step procedure: poor households may be left out and
                // non-poor ones let in; the public notices have already shrunk both.
                let u = w.streams.uniform(Purpose::Targeting, i as u64, y);
                // The arm's resident work team in the village, this year: smaller errors, ties checked.
                let (v, team) = (tr.village as usize, teams.in_village(tr.village as usize));
                let errors = if team { teams.errors_left } else { 1.0 };
                // Favour: a non-poor household with ties to the cadres may be let in anyway.
                // A tie a work team found out, or an audit of the village this year, stops it.
                let living_nonpoor = !gone && !poor;
                let favoured = living_nonpoor
                    && tr.flags.contains(Condition::FAVOURED)
                    && !(team && w.tie_found(i, targeting.work_team_check))
                    && w.streams.uniform(Purpose::Favour, i as u64, y + 1) < targeting.favour_inclusion
                    && !targeting.audited(w, v, y);
                let register = held
                    || transition
                    || favoured
                    || !gone && if poor { u >= targeting.exclusion * errors } else { u < targeting.inclusion * errors };
                if poor {
                    next |= Status::POOR | Status::EVER_POOR;
                    history[j] |= 1 << y;
                }
                if register {
                    next |= Status::REGISTERED;
                    c[3] += 1.0;
                }
                if transition {
                    next |= Status::TRANSITION;
                    c[4] += 1.0;
                }
                c[5] += held as u8 as f64;
                status[j] = next;
                // Dibao (低保): registered households without working capacity get a
                // monthly top-up to the dibao line, assessed on income net of last year's dibao.
                topup[j] = dibao::assess(dibao_params, dibao_line, (register, transition), tr, ypc[i], topup[j]);
            }
            c
        })
        .collect();
    let total = counts.iter().fold([0.0; 7], |a, c| std::array::from_fn(|k| a[k] + c[k]));
    Identified {
        exits: total[0],
        reentries: total[1],
        entrants: total[2],
        registered: total[3] as u32,
        in_transition: total[4] as u32,
        held: total[5] as u32,
        died_out: total[6],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::State;

    /// Identification `y` at `line` under `targeting` alone: no guarantee held, no arm's work teams.
    fn by_targeting(
        w: &World,
        targeting: &Targeting,
        dibao: &Dibao,
        s: &mut State,
        (y, line): (u32, f64),
    ) -> Identified {
        identify(w, (targeting, &Guarantees::default(), &Teams::default()), dibao, &mut s.hh, &mut s.dibao, y, line)
    }

    #[test]
    fn exits_reentries_and_new_entrants_are_counted_from_the_history() {
        let sc = crate::testing::township(4);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let line = 3000.0;
        let exact = Targeting { exclusion: 0.0, inclusion: 0.0, transition_years: 0, ..Targeting::exact() };
        let dibao = Dibao { enabled: false, line: 0.0, transition: true };
        // Household 0 stays poor, 1 exits, 2 returns after an exit, 3 is poor for the first time.
        s.hh.status = vec![
            Status::POOR | Status::EVER_POOR,
            Status::POOR | Status::EVER_POOR,
            Status::EVER_POOR | Status::EXITED,
            Status::empty(),
        ];
        s.hh.ypc = vec![1000.0, 5000.0, 1000.0, 1000.0];
        let id = by_targeting(&r.world, &exact, &dibao, &mut s, (3, line));
        assert_eq!((id.exits, id.reentries, id.entrants, id.registered), (1.0, 1.0, 1.0, 3));
        assert!(s.hh.status[1].contains(Status::EXITED) && !s.hh.status[1].poor());
        assert!(s.hh.history.iter().enumerate().all(|(i, h)| (h >> 3 & 1 == 1) == (i != 1)));
        // With every poor household excluded, nobody is registered.
        let excluded = Targeting { exclusion: 1.0, inclusion: 0.0, transition_years: 0, ..Targeting::exact() };
        let id = by_targeting(&r.world, &excluded, &dibao, &mut s, (4, line));
        assert_eq!(id.registered, 0);
    }

    /// Transition (脱贫不脱政策): a registered household that exits stays
    /// registered for `transition_years` identifications after its last poor
    /// one, then leaves; without a transition it leaves at once; a household
    /// that was not registered gets no transition.
    #[test]
    fn an_exited_household_keeps_its_support_through_the_transition() {
        let sc = crate::testing::township(3);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let line = 3000.0;
        let dibao = Dibao { enabled: false, line: 0.0, transition: true };
        let with = |years| Targeting { exclusion: 0.0, inclusion: 0.0, transition_years: years, ..Targeting::exact() };
        // Poor and registered at identification 1; households 0 and 1 exit at 2, household 2 was never registered.
        s.hh.status = vec![
            Status::POOR | Status::EVER_POOR | Status::REGISTERED,
            Status::POOR | Status::EVER_POOR | Status::REGISTERED,
            Status::POOR | Status::EVER_POOR,
        ];
        s.hh.history = vec![0b10, 0b10, 0b10];
        s.hh.ypc = vec![5000.0; 3];
        let id = by_targeting(&r.world, &with(1), &dibao, &mut s, (2, line));
        assert_eq!((id.exits, id.registered, id.in_transition), (3.0, 2, 2));
        assert!(s.hh.status[0].registered() && s.hh.status[0].contains(Status::TRANSITION) && !s.hh.status[0].poor());
        assert!(!s.hh.status[2].registered());
        // The year after: two identifications since the last poor one, beyond a one-year transition.
        let id = by_targeting(&r.world, &with(1), &dibao, &mut s, (3, line));
        assert_eq!((id.registered, id.in_transition), (0, 0));
        // Without a transition, an exit leaves the register at once.
        s.hh.status = vec![Status::POOR | Status::EVER_POOR | Status::REGISTERED; 3];
        s.hh.history = vec![0b10; 3];
        let id = by_targeting(&r.world, &with(0), &dibao, &mut s, (2, line));
        assert_eq!((id.registered, id.in_transition), (0, 0));
    }

    /// Under the defaults of a scenario file (脱贫不脱政策, as from 2015 to
    /// 2020), a household that exits keeps its support the year after: it
    /// stays on the register in transition, and the default cash policy
    /// pays it in the next year's months.
    #[test]
    fn under_the_default_transition_a_household_keeps_its_support_the_year_after_exit() {
        let mut c = Checker::default();
        let defaults = check(&mut c, &TargetingFile::default());
        assert!(c.errors.is_empty() && defaults.transition_years >= 1);
        let sc = crate::testing::township(1);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let dibao = Dibao { enabled: false, line: 0.0, transition: true };
        // Poor and registered at identification 1; above the line at identification 2.
        s.hh.status = vec![Status::POOR | Status::EVER_POOR | Status::REGISTERED];
        s.hh.history = vec![0b10];
        s.hh.ypc = vec![5000.0];
        let id = by_targeting(&r.world, &defaults, &dibao, &mut s, (2, 3000.0));
        assert_eq!((id.exits, id.registered, id.in_transition), (1.0, 1, 1));
        let st = s.hh.status[0];
        assert!(st.registered() && st.contains(Status::TRANSITION) && !st.poor());
        // The default cash policy keeps paying it; one that stops at exit does not.
        let file: crate::mechanism::cash::CashFile = toml::from_str("budget_share = 1").unwrap();
        let policy = crate::mechanism::cash::check(&mut c, "cash", &file);
        assert!(policy.transition);
        let b = &sc.behaviour;
        let (mut d, mut income, mut sums) = (0.0, 0.0, crate::mechanism::cash::Sums::default());
        let leak = [0.0f32];
        let paid = crate::mechanism::cash::household(
            (100.0, &leak, policy.transition),
            st,
            0,
            180.0,
            b,
            &mut d,
            &mut income,
            &mut sums,
        );
        assert!(paid && income == 100.0 && sums.to_nonpoor == 100.0);
        let stops =
            crate::mechanism::cash::household((100.0, &leak, false), st, 0, 180.0, b, &mut d, &mut income, &mut sums);
        assert!(!stops && income == 100.0);
    }
}
