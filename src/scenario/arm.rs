//! Policy arms: which instruments an arm runs, and how its money is delivered.
//!
//! Each instrument's parameters are its mechanism's type; this module only
//! gathers them, checks an arm's shares together and names the arm.

use crate::check::Checker;
use crate::mechanism::budget::{self, Budget, BudgetFile, Delivery, Shares};
use crate::mechanism::cash::{self, CashPolicy};
use crate::mechanism::cooperative::{self, Cooperative, CooperativePolicy};
use crate::mechanism::credit::{self, CreditMode, CreditPolicy};
use crate::mechanism::ecommerce::{self, EcommercePolicy};
use crate::mechanism::enterprise::{self, EnterprisePolicy, EnterpriseSpec};
use crate::mechanism::health::{self, HealthAidPolicy};
use crate::mechanism::housing::{self, HousingPolicy};
use crate::mechanism::infrastructure::{self, InfrastructurePolicy};
use crate::mechanism::inkind::{self, InKindPolicy};
use crate::mechanism::land_centre::{self, LandCentrePolicy};
use crate::mechanism::loan_guarantee::{self, LoanGuaranteePolicy};
use crate::mechanism::machinery::{self, MachineryPolicy};
use crate::mechanism::package::{self, PackagePolicy};
use crate::mechanism::relocation::{self, RelocationPolicy};
use crate::mechanism::school::{self, SchoolPolicy};
use crate::mechanism::work_teams::{self, WorkTeamsPolicy};
use crate::scenario::file::ArmFile;
use crate::setting::Setting;

/// A validated arm.
#[derive(Debug, Clone)]
pub struct Arm {
    pub name: String,
    pub description: String,
    pub cash: Option<CashPolicy>,
    pub enterprise: Option<EnterprisePolicy>,
    pub cooperative: Option<CooperativePolicy>,
    pub inkind: Option<InKindPolicy>,
    pub school: Option<SchoolPolicy>,
    pub health_aid: Option<HealthAidPolicy>,
    pub package: Option<PackagePolicy>,
    pub credit: Option<CreditPolicy>,
    pub machinery: Option<MachineryPolicy>,
    pub housing: Option<HousingPolicy>,
    pub infrastructure: Option<InfrastructurePolicy>,
    pub ecommerce: Option<EcommercePolicy>,
    pub relocation: Option<RelocationPolicy>,
    pub loan_guarantee: Option<LoanGuaranteePolicy>,
    pub work_teams: Option<WorkTeamsPolicy>,
    pub land_centre: Option<LandCentrePolicy>,
    pub delivery: Delivery,
    /// The arm's own budget, if it has one (otherwise the scenario's).
    pub budget: Option<Budget>,
}

impl Arm {
    /// Each instrument's budget share.
    pub fn shares(&self) -> Shares {
        Shares {
            cash: self.cash.map(|c| (c.budget_share, c.payments())),
            enterprise: self.enterprise.map_or(0.0, |e| e.budget_share),
            cooperative: self.cooperative.map_or(0.0, |c| c.budget_share),
            inkind: self.inkind.as_ref().map_or(0.0, |k| k.budget_share),
            school: self.school.map_or(0.0, |k| k.budget_share),
            health: self.health_aid.map_or(0.0, |k| k.budget_share),
            package: self.package.as_ref().map_or(0.0, |k| k.budget_share),
            credit: self.credit.map_or(0.0, |k| k.budget_share),
            machinery: self.machinery.map_or(0.0, |k| k.budget_share),
            housing: self.housing.map_or(0.0, |k| k.budget_share),
            infrastructure: self.infrastructure.as_ref().map_or(0.0, |k| k.budget_share),
            ecommerce: self.ecommerce.map_or(0.0, |k| k.budget_share),
            relocation: self.relocation.as_ref().map_or(0.0, |k| k.budget_share),
            loan_guarantee: self.loan_guarantee.map_or(0.0, |k| k.budget_share),
            work_teams: self.work_teams.map_or(0.0, |k| k.budget_share),
            land_centre: self.land_centre.map_or(0.0, |k| k.budget_share),
        }
    }
}

/// What an arm's instruments refer to by name.
pub struct Known<'a> {
    pub setting: &'a Setting,
    pub cooperatives: &'a [Cooperative],
    pub enterprises: &'a [EnterpriseSpec],
    /// The scenario's `[budget]`, which fills in what an arm's own leaves out.
    pub budget: &'a BudgetFile,
}

/// Check every arm.
pub fn check_arms(c: &mut Checker, arms: &[ArmFile], known: &Known) -> Vec<Arm> {
    if arms.is_empty() {
        c.push("arms", "[]", "at least one [[arms]] table");
    }
    arms.iter().enumerate().map(|(i, af)| check_arm(c, i, af, known)).collect()
}

/// A paired loan's partner is the scenario's first enterprise or
/// cooperative: it must exist (`q` is the credit section's path).
fn check_partner(c: &mut Checker, q: &str, k: &CreditPolicy, known: &Known) {
    let missing = match k.mode {
        CreditMode::Enterprise if known.enterprises.is_empty() => Some(("enterprise", "[[organisations.enterprises]]")),
        CreditMode::Cooperative if known.cooperatives.is_empty() => {
            Some(("cooperative", "[[organisations.cooperatives]]"))
        }
        _ => None,
    };
    if let Some((mode, section)) = missing {
        c.push(
            &format!("{q}.mode"),
            format!("{mode:?}"),
            format!("a mode whose partner exists: the scenario defines no {section}"),
        );
    }
}

/// `arms[i]`.
fn check_arm(c: &mut Checker, i: usize, af: &ArmFile, known: &Known) -> Arm {
    let p = format!("arms[{i}]");
    c.unique_name(&format!("{p}.name"), &af.name, "arm");
    let q = |name: &str| format!("{p}.policies.{name}");
    let pf = &af.policies;
    let cooperative =
        pf.cooperative.as_ref().map(|f| cooperative::check_policy(c, &q("cooperative"), f, known.cooperatives));
    let cash = pf.cash.as_ref().map(|f| cash::check(c, &q("cash"), f));
    let enterprise =
        pf.enterprise.as_ref().map(|f| enterprise::check_policy(c, &q("enterprise"), f, known.enterprises));
    let inkind = pf.inkind.as_ref().map(|f| inkind::check(c, &q("inkind"), f, known.setting));
    let school = pf.school.as_ref().map(|f| school::check(c, &q("school"), f));
    let health_aid = pf.health_aid.as_ref().map(|f| health::check(c, &q("health_aid"), f));
    let package = pf.package.as_ref().map(|f| package::check(c, &q("package"), f, &known.setting.commodities));
    let credit = pf.credit.as_ref().map(|f| credit::check(c, &q("credit"), f));
    if let Some(k) = &credit {
        check_partner(c, &q("credit"), k, known);
    }
    let machinery = pf.machinery.as_ref().map(|f| machinery::check(c, &q("machinery"), f));
    let housing = pf.housing.as_ref().map(|f| housing::check(c, &q("housing"), f));
    let villages = &known.setting.population.villages;
    let infrastructure =
        pf.infrastructure.as_ref().map(|f| infrastructure::check(c, &q("infrastructure"), f, villages));
    let ecommerce = pf.ecommerce.as_ref().map(|f| ecommerce::check(c, &q("ecommerce"), f));
    let relocation = pf.relocation.as_ref().map(|f| relocation::check(c, &q("relocation"), f, villages));
    let loan_guarantee = pf.loan_guarantee.as_ref().map(|f| loan_guarantee::check(c, &q("loan_guarantee"), f));
    let work_teams = pf.work_teams.as_ref().map(|f| work_teams::check(c, &q("work_teams"), f));
    let land_centre = pf
        .land_centre
        .as_ref()
        .map(|f| land_centre::check(c, &q("land_centre"), f, (known.enterprises, known.cooperatives)));
    // Both lend through the household's one loan.
    if credit.is_some() && loan_guarantee.is_some() {
        c.push(&q("loan_guarantee"), "a table beside credit", "at most one of credit and loan_guarantee in an arm");
    }
    let delivery = budget::check_delivery(c, &p, &af.delivery);
    let own_budget = af.budget.as_ref().map(|f| budget::check_arm_budget(c, &format!("{p}.budget"), f, known.budget));
    let admin_share = own_budget.as_ref().map_or(known.budget.admin_share, |b| b.admin_share);
    let admin_path = if own_budget.is_some() { format!("{p}.budget.admin_share") } else { "budget.admin_share".into() };
    let arm = Arm {
        name: af.name.clone(),
        description: af.description.clone(),
        cash,
        enterprise,
        cooperative,
        inkind,
        school,
        health_aid,
        package,
        credit,
        machinery,
        housing,
        infrastructure,
        ecommerce,
        relocation,
        loan_guarantee,
        work_teams,
        land_centre,
        delivery,
        budget: own_budget,
    };
    // The shares in the order the file lists the policies: cooperative first.
    let s = arm.shares();
    let total = [
        s.cooperative,
        s.cash.map_or(0.0, |x| x.0),
        s.enterprise,
        s.inkind,
        s.school,
        s.health,
        s.package,
        s.credit,
        s.machinery,
        s.housing,
        s.infrastructure,
        s.ecommerce,
        s.relocation,
        s.loan_guarantee,
        s.work_teams,
        s.land_centre,
    ]
    .iter()
    .fold(admin_share, |a, x| a + x);
    if total > 1.0 + 1e-9 {
        c.push(
            &format!("{p}.policies.*.budget_share"),
            format!("{total} including {admin_path}"),
            "shares that sum to at most 1",
        );
    }
    arm
}
