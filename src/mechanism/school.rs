//! Vocational or nursing school (MODEL.md §4.9): "train one, employ one,
//! lift one family".
//!
//! In the enrolment month, teenagers of registered households enrol while
//! the pool lasts; the policy pays its share of the whole course up front,
//! the family the rest monthly while the student studies. A graduate works
//! away at a skilled wage (in first-policy-year prices, growing with wages)
//! and sends home a share of it every month after. With
//! `schooling.self_financed`, a household may also pay for a whole course
//! itself, as an option of its investment choice ([`course_rate`],
//! [`pay_course`]).
//!
//! Sections: `[arms.policies.school]` and `[schooling]` (in the setting).

use super::budget::{self, Delivery};
use super::labour;
use crate::check::Checker;
use crate::household::{Households, Traits};
use crate::ledger::Ledger;
use crate::setting::Setting;
use crate::world::World;
use serde::{Deserialize, Serialize};

/// Vocational or nursing school for teenagers of registered households.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolFile {
    /// Share of the yearly budget for school places.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Tuition and board.
    ///
    /// Unit: yuan/student/year. Default: `4000`. Allowed: [0, 1e7].
    #[serde(default = "crate::setting::default_tuition")]
    pub tuition: f64,
    /// Share of the tuition the policy pays, for the whole course, up front at enrolment; the family pays the rest
    /// monthly (`tuition × (1 − share) / 12`) while the student studies.
    ///
    /// Unit: prob. Default: `1`. Allowed: [0, 1].
    #[serde(default = "crate::check::default_one")]
    pub subsidy_share: f64,
    /// Length of the course.
    ///
    /// Unit: years. Default: `2`. Allowed: [1, 6].
    #[serde(default = "crate::setting::default_course_years")]
    pub years: i64,
    /// A graduate's wage, in first-policy-year (`start_year`) prices: in year index *y* (1 = `start_year`) it is
    /// multiplied by `(1 + labour.wage_growth)^(y − 1)`.
    ///
    /// Unit: yuan/month. Default: `3000`. Allowed: [0, 1e7].
    #[serde(default = "crate::setting::default_skilled_wage")]
    pub skilled_wage: f64,
    /// Share of the wage each graduate sends home every month after graduating.
    ///
    /// Unit: prob. Default: `0.4`. Allowed: [0, 1].
    #[serde(default = "crate::setting::default_remit_share")]
    pub remit_share: f64,
    /// Month the school year starts (enrolment happens `delay_months` later; if that is after December, not at all that
    /// year).
    ///
    /// Unit: month 1–12. Default: `9`. Allowed: [1, 12].
    #[serde(default = "crate::setting::default_enrol_month")]
    pub enrol_month: i64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
    /// What bringing a child of compulsory-school age back to school costs (控辍保学), paid from this policy's pool in
    /// the enrolment month for each served household with a child out of school (`guarantees.out_of_school_share`).
    ///
    /// Unit: yuan/household. Default: `1250` (assumed: a year of the living allowance for a boarding junior-middle-
    /// school pupil in central and western China, 2011 standard). Allowed: [0, 1e6].
    #[serde(default = "default_back_to_school_cost")]
    pub back_to_school_cost: f64,
}
#[derive(Debug, Clone, Copy)]
pub struct SchoolPolicy {
    pub budget_share: f64,
    pub tuition: f64,
    pub subsidy_share: f64,
    pub years: u32,
    pub skilled_wage: f64,
    pub remit_share: f64,
    pub enrol_month: u8,
    /// Households in transition keep receiving it.
    pub transition: bool,
    /// yuan to bring a child back to school.
    pub back_to_school_cost: f64,
}

fn default_back_to_school_cost() -> f64 {
    1250.0
}

/// `arms[i].policies.school` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &SchoolFile) -> SchoolPolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    c.num(&format!("{q}.tuition"), f.tuition, 0.0, 1e7);
    c.prob(&format!("{q}.subsidy_share"), f.subsidy_share);
    c.int(&format!("{q}.years"), f.years, 1, 6);
    c.num(&format!("{q}.skilled_wage"), f.skilled_wage, 0.0, 1e7);
    c.prob(&format!("{q}.remit_share"), f.remit_share);
    let enrol_month = c.month(&format!("{q}.enrol_month"), f.enrol_month);
    c.num(&format!("{q}.back_to_school_cost"), f.back_to_school_cost, 0.0, 1e6);
    SchoolPolicy {
        transition: f.transition,
        back_to_school_cost: f.back_to_school_cost,
        budget_share: f.budget_share,
        tuition: f.tuition,
        subsidy_share: f.subsidy_share,
        years: f.years.clamp(1, 6) as u32,
        skilled_wage: f.skilled_wage,
        remit_share: f.remit_share,
        enrol_month,
    }
}

columns! {
    /// Each household's students and graduates.
    pub struct Students / StudentsChunk {
        /// A student's months left at school.
        student_months: u8,
        /// The family's monthly share of the fee, yuan.
        student_fee: f32,
        /// What the student at school will send home monthly once graduated, yuan in first-policy-year prices.
        student_remit: f32,
        /// What all the household's graduates send home monthly, yuan in first-policy-year prices.
        graduate_remit: f32,
        /// Graduates so far.
        graduates: u8,
    }
}

/// The school state of one arm.
#[derive(Debug, Clone)]
pub struct School {
    pub students: Students,
    /// Teenagers enrolled this year.
    pub enrolled: f64,
    /// Yuan households paid this year for courses they financed themselves.
    pub self_paid: f64,
}

impl School {
    pub fn new(n: usize) -> School {
        School {
            students: Students {
                student_months: vec![0; n],
                student_fee: vec![0.0; n],
                student_remit: vec![0.0; n],
                graduate_remit: vec![0.0; n],
                graduates: vec![0; n],
            },
            enrolled: 0.0,
            self_paid: 0.0,
        }
    }

    /// Graduates so far, over all households.
    pub fn graduates(&self) -> f64 {
        self.students.graduates.iter().map(|&g| g as f64).sum()
    }
}

/// Teenagers of registered households enrol; the policy pays its share of
/// the whole course up front.
#[allow(clippy::too_many_arguments)]
pub fn enrol(
    w: &World,
    k: &SchoolPolicy,
    delivery: &Delivery,
    school: &mut School,
    hh: &Households,
    (pool, ledger): (&mut f64, &mut Ledger),
    m: u8,
    y: usize,
) {
    if !budget::runs_now(delivery, k.enrol_month, m) {
        return;
    }
    let cost = k.tuition * k.subsidy_share * k.years as f64;
    let family = (k.tuition * (1.0 - k.subsidy_share) / 12.0) as f32;
    for i in w.project_walk(6_000 + y as u64, delivery.teams) {
        if *pool < cost.max(1e-9) {
            break;
        }
        if hh.status[i].served(k.transition)
            && enrol_student(w, school, i, k.years, k.skilled_wage * k.remit_share, family)
        {
            *pool -= cost;
            ledger.pay(hh.status[i].poor(), cost);
        }
    }
}

/// Enrol one teenager of household `i`, if it has one not yet at school.
pub fn enrol_student(w: &World, school: &mut School, i: usize, years: u32, remit: f64, family_fee: f32) -> bool {
    let s = &mut school.students;
    if w.traits[i].teens == 0 || s.student_months[i] > 0 || s.graduates[i] >= w.traits[i].teens {
        return false;
    }
    s.student_months[i] = (years * 12) as u8;
    s.student_fee[i] = family_fee;
    s.student_remit[i] = remit as f32;
    school.enrolled += 1.0;
    true
}

/// A month of household `j`'s students and graduates: the family pays its
/// share of the fee while a member studies; graduates remit, their wage
/// grown by `graduate_growth` since the first policy year.
#[inline]
pub fn household(s: &mut StudentsChunk, j: usize, graduate_growth: f32, income: &mut f32, costs: &mut f32) {
    if s.student_months[j] > 0 {
        *costs += s.student_fee[j];
        s.student_months[j] -= 1;
        if s.student_months[j] == 0 {
            s.graduates[j] += 1;
            // Each graduate remits what their own course promised.
            s.graduate_remit[j] += std::mem::take(&mut s.student_remit[j]);
        }
    }
    *income += s.graduate_remit[j] * graduate_growth;
}

/// The expected net present value, yuan, of a course for a household in
/// year index `y`: the graduate's remittances over `horizon_years`, after
/// the course, at the wage grown (in real terms) since `start_year`,
/// discounted at the hurdle rate `r`, less the tuition paid now.
pub fn course_value(sc: &Setting, y: usize) -> f64 {
    let k = &sc.schooling;
    let r = sc.behaviour.investment_hurdle;
    let growth = labour::growth(&sc.labour, y, sc.price(y as i32)) / (1.0 + sc.labour.wage_growth);
    let remit = k.skilled_wage * k.remit_share * 12.0 * growth;
    remit * sc.behaviour.annuity(k.horizon_years) / (1.0 + r).powi(k.years as i32) - k.tuition * k.years as f64
}

/// A self-financed course's rate of return for household `tr` (position
/// `j`) in month `m` of year index `y`, as an investment choice
/// ([`super::invest`]): the hurdle plus the course's value ([`course_value`])
/// spread over the years it counts on, per yuan of its cost. `None` when
/// `schooling.self_financed` is off, outside the enrolment month, without a
/// teenager at home, when cash on hand `on_hand` cannot pay the whole
/// course, or when the course is not worth its cost. A course is
/// indivisible: a household short of it by one yuan enrols nobody.
pub fn course_rate(
    sc: &Setting,
    tr: &Traits,
    s: &StudentsChunk,
    j: usize,
    (m, y): (u8, usize),
    on_hand: f64,
) -> Option<f64> {
    let k = &sc.schooling;
    if !k.self_financed || m != k.enrol_month || on_hand < course_cost(sc) || !teen_at_home(tr, s, j) {
        return None;
    }
    let value = course_value(sc, y);
    let r = sc.behaviour.investment_hurdle;
    (value > 0.0).then(|| r + value / (course_cost(sc) * sc.behaviour.annuity(k.horizon_years)))
}

/// What a self-financed course costs, paid at enrolment: tuition for every year.
pub fn course_cost(sc: &Setting) -> f64 {
    sc.schooling.tuition * sc.schooling.years as f64
}

/// Household `j` pays for a teenager's course itself; returns the yuan paid.
pub fn pay_course(sc: &Setting, s: &mut StudentsChunk, j: usize, sums: &mut Sums) -> f64 {
    let k = &sc.schooling;
    // Enrolled after this month's school step, in which a programme student's first month
    // already counted: one month fewer to go, so both graduate in the same month.
    s.student_months[j] = (k.years * 12 - 1) as u8;
    s.student_fee[j] = 0.0;
    s.student_remit[j] = (k.skilled_wage * k.remit_share) as f32;
    sums.enrolled += 1.0;
    sums.self_paid += course_cost(sc);
    course_cost(sc)
}

/// What self-financed courses of a chunk of households add up to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums {
    pub enrolled: f64,
    pub self_paid: f64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.enrolled += o.enrolled;
        self.self_paid += o.self_paid;
    }
}

/// Whether household `tr` (position `j`) has a teenager who could still go to school.
fn teen_at_home(tr: &Traits, s: &StudentsChunk, j: usize) -> bool {
    teen(tr, s.graduates[j], s.student_months[j])
}

/// Whether household `i` has a teenager who could still go to school.
pub fn has_teen_at_home(w: &World, school: &School, i: usize) -> bool {
    teen(&w.traits[i], school.students.graduates[i], school.students.student_months[i])
}

/// Whether a household `tr` with `graduates` and a student with
/// `student_months` left has a teenager who could still go to school.
fn teen(tr: &Traits, graduates: u8, student_months: u8) -> bool {
    tr.teens > graduates && student_months == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_family_pays_while_a_student_studies_and_a_graduate_remits_after() {
        let mut s = Students {
            student_months: vec![2],
            student_fee: vec![100.0],
            student_remit: vec![500.0],
            graduate_remit: vec![0.0],
            graduates: vec![0],
        };
        let mut c = s.chunks(1, 1).pop().unwrap();
        let (mut income, mut costs) = (0.0, 0.0);
        household(&mut c, 0, 1.0, &mut income, &mut costs);
        assert_eq!((income, costs, c.graduates[0]), (0.0, 100.0, 0));
        household(&mut c, 0, 1.0, &mut income, &mut costs);
        // The last month of the course: the fee, then the first remittance.
        assert_eq!((income, costs, c.graduates[0]), (500.0, 200.0, 1));
        household(&mut c, 0, 1.1, &mut income, &mut costs);
        assert_eq!((income, costs), (1050.0, 200.0));
    }

    #[test]
    fn a_household_enrols_a_teenager_once() {
        let sc = crate::testing::township(300);
        let (r, _) = crate::testing::after_pre_policy_year(&sc);
        let mut school = School::new(r.world.households());
        let i = (0..r.world.households()).find(|&i| r.world.traits[i].teens == 1).unwrap();
        assert!(enrol_student(&r.world, &mut school, i, 2, 1200.0, 50.0));
        assert!(!enrol_student(&r.world, &mut school, i, 2, 1200.0, 50.0), "already at school");
        assert_eq!((school.enrolled, school.students.student_months[i]), (1.0, 24));
        let none = (0..r.world.households()).find(|&i| r.world.traits[i].teens == 0).unwrap();
        assert!(!enrol_student(&r.world, &mut school, none, 2, 1200.0, 50.0));
    }

    /// Self-financed school is indivisible: households with a teenager and
    /// one yuan less than the course above their buffer enrol nobody; with one
    /// yuan more they pay for it at once. Without the switch nobody does.
    #[test]
    fn a_household_pays_for_school_only_when_it_can_pay_for_the_whole_course() {
        let mut sc = crate::testing::township(600);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let (sept, y) = (sc.schooling.enrol_month, 1);
        let k = sc.schooling;
        let cost = (k.tuition * k.years as f64) as f32;
        let b = sc.behaviour;
        let teens: Vec<usize> = (0..r.world.households()).filter(|&i| r.world.traits[i].teens > 0).collect();
        assert!(teens.len() > 20);
        for (n, &i) in teens.iter().enumerate() {
            let buffer = (b.buffer_months * b.subsistence) as f32 * r.world.traits[i].adult_eq;
            s.hh.savings[i] = buffer + cost + if n % 2 == 0 { -1.0 } else { 1.0 };
        }
        let before = s.hh.savings.clone();
        let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
        let sums = crate::testing::invest(&r, &mut s, &price, (sept, y));
        assert_eq!(sums.school.enrolled, 0.0, "off by default");
        sc.setting.schooling.self_financed = true;
        let (r, _) = crate::testing::after_pre_policy_year(&sc);
        assert!(course_value(&sc, y) > 0.0);
        let sums = crate::testing::invest(&r, &mut s, &price, (sept, y));
        for (n, &i) in teens.iter().enumerate() {
            let enrolled = s.school.students.student_months[i] > 0;
            assert_eq!(enrolled, n % 2 == 1, "household {i}");
            let paid = before[i] - s.hh.savings[i];
            assert_eq!(paid, if enrolled { cost } else { 0.0 });
        }
        assert!(sums.school.enrolled > 10.0);
        assert_eq!(sums.school.self_paid, cost as f64 * sums.school.enrolled);
        // Not in another month, and not when the course does not pay.
        let again = crate::testing::invest(&r, &mut s, &price, ((sept + 1) % 12, y));
        assert_eq!(again.school.enrolled, 0.0);
        let long = course_value(&sc, y);
        sc.setting.schooling.horizon_years = 1.0;
        assert!(course_value(&sc, y) < long, "fewer years of remittances, less value");
        sc.setting.schooling.remit_share = 0.0;
        assert!(course_value(&sc, y) < 0.0);
    }
}
