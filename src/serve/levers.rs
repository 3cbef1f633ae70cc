//! The page's levers: the fields of a scenario a trainer may move, found in
//! its resolved form, each as a `--set` path with its range.
//!
//! The levers: the yearly budget; per arm, each instrument's budget share,
//! whether its support goes on after exit, the procurement of handouts in
//! kind, the enterprise's safeguards (co-investment, verified linkage,
//! audits) and the delivery delay; the transition years and monitoring of
//! the near-poor; each scripted price and the outside planting that drives
//! a price crash; each enterprise's diversion.
//!
//! A lever exists only where the scenario has the thing it moves (an arm's
//! cash share only if the arm pays cash; a scripted price only if a
//! commodity has one), so every shipped story gets its own set. Labels are
//! the page's (`key` names the string in both languages); the server gives
//! only paths, kinds, ranges and current values, and checks nothing itself:
//! the values go through the same `--set` validation as the command line.

use serde::Serialize;
use serde_json::Value;

/// One lever.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Lever {
    /// The `--set` path (`arms.cash.policies.cash.budget_share`).
    pub path: String,
    /// Index into the array at `path`, for one element of it (a scripted price).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// `"range"` (a slider), `"switch"` or `"choice"`.
    pub kind: &'static str,
    /// The page's string for its label (`budget.yearly`, `policy.budget_share`).
    pub key: String,
    /// The arm, commodity or enterprise it belongs to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub value: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// Whether the field takes an integer.
    pub integer: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<&'static str>,
}

impl Lever {
    fn range(path: String, key: &str, subject: Option<&str>, value: f64, (min, max, step): (f64, f64, f64)) -> Lever {
        Lever {
            path,
            index: None,
            kind: "range",
            key: key.into(),
            subject: subject.map(str::to_string),
            value: Value::from(value),
            min: Some(min),
            max: Some(max.max(value)),
            step: Some(step),
            integer: step.fract() == 0.0,
            choices: vec![],
        }
    }

    fn switch(path: String, key: &str, subject: Option<&str>, value: bool) -> Lever {
        Lever {
            path,
            index: None,
            kind: "switch",
            key: key.into(),
            subject: subject.map(str::to_string),
            value: Value::from(value),
            min: None,
            max: None,
            step: None,
            integer: false,
            choices: vec![],
        }
    }
}

/// A round step of about a hundredth of `scale` (1, 2 or 5 × a power of ten).
fn nice_step(scale: f64) -> f64 {
    if scale <= 0.0 || !scale.is_finite() {
        return 1.0;
    }
    let raw = scale / 100.0;
    let p = 10f64.powf(raw.log10().floor());
    let m = raw / p;
    let k = if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    };
    (k * p).max(1.0)
}

fn num(v: &Value, key: &str) -> Option<f64> {
    v.get(key)?.as_f64()
}

/// Whether `--set` can name `name` in a path (it splits at '.' and '=').
fn addressable(name: &str) -> bool {
    !name.is_empty() && !name.contains(['.', '='])
}

/// Procurement modes of handouts in kind (`inkind::Procurement`).
const PROCUREMENT: [&str; 3] = ["central", "village", "household"];

/// The levers of a scenario, from its resolved form (`scenario.resolved.json`).
pub fn levers(resolved: &Value) -> Vec<Lever> {
    let mut out = Vec::new();
    if let Some(y) = num(&resolved["budget"], "yearly") {
        let max = (2.0 * y).max(1e6);
        out.push(Lever::range("budget.yearly".into(), "budget.yearly", None, y, (0.0, max, nice_step(max))));
    }
    for a in resolved["arms"].as_array().into_iter().flatten() {
        arm_levers(a, &mut out);
    }
    let t = &resolved["targeting"];
    if let Some(y) = num(t, "transition_years") {
        out.push(Lever::range(
            "targeting.transition_years".into(),
            "targeting.transition_years",
            None,
            y,
            (0.0, 10.0, 1.0),
        ));
    }
    if let Some(m) = t["monitoring"].as_bool() {
        out.push(Lever::switch("targeting.monitoring".into(), "targeting.monitoring", None, m));
    }
    for c in resolved["markets"]["commodities"].as_array().into_iter().flatten() {
        commodity_levers(c, &mut out);
    }
    for e in resolved["organisations"]["enterprises"].as_array().into_iter().flatten() {
        let Some(name) = e["name"].as_str().filter(|n| addressable(n)) else { continue };
        let p = format!("organisations.enterprises.{name}");
        if let Some(d) = num(e, "diversion") {
            out.push(Lever::range(format!("{p}.diversion"), "enterprise.diversion", Some(name), d, (0.0, 0.5, 0.01)));
        }
    }
    out
}

fn arm_levers(a: &Value, out: &mut Vec<Lever>) {
    let Some(arm) = a["name"].as_str().filter(|n| addressable(n)) else { return };
    let mut any = false;
    for (p, v) in a["policies"].as_object().into_iter().flatten() {
        if v.is_null() {
            continue;
        }
        any = true;
        let path = format!("arms.{arm}.policies.{p}");
        if let Some(s) = num(v, "budget_share") {
            out.push(Lever::range(
                format!("{path}.budget_share"),
                &format!("share.{p}"),
                Some(arm),
                s,
                (0.0, 1.0, 0.01),
            ));
        }
        if let Some(m) = v["procurement"].as_str() {
            out.push(Lever {
                path: format!("{path}.procurement"),
                index: None,
                kind: "choice",
                key: "inkind.procurement".into(),
                subject: Some(arm.into()),
                value: Value::from(m),
                min: None,
                max: None,
                step: None,
                integer: false,
                choices: PROCUREMENT.to_vec(),
            });
        }
        if let Some(c) = num(v, "co_investment") {
            out.push(Lever::range(
                format!("{path}.co_investment"),
                "enterprise.co_investment",
                Some(arm),
                c,
                (0.0, 1.0, 0.05),
            ));
        }
        if let Some(t) = v["verified_linkage"].as_bool() {
            out.push(Lever::switch(format!("{path}.verified_linkage"), "enterprise.verified_linkage", Some(arm), t));
        }
        if let Some(a) = num(v, "audit_probability") {
            out.push(Lever::range(
                format!("{path}.audit_probability"),
                "enterprise.audit_probability",
                Some(arm),
                a,
                (0.0, 1.0, 0.05),
            ));
        }
        if let Some(t) = v["transition"].as_bool() {
            out.push(Lever::switch(format!("{path}.transition"), &format!("transition.{p}"), Some(arm), t));
        }
    }
    if let (true, Some(d)) = (any, num(&a["delivery"], "delay_months")) {
        out.push(Lever::range(
            format!("arms.{arm}.delivery.delay_months"),
            "delivery.delay_months",
            Some(arm),
            d,
            (0.0, 24.0, 1.0),
        ));
    }
}

fn commodity_levers(c: &Value, out: &mut Vec<Lever>) {
    let Some(name) = c["name"].as_str().filter(|n| addressable(n)) else { return };
    let p = format!("markets.commodities.{name}");
    for (i, price) in c["scripted_prices"].as_array().into_iter().flatten().enumerate() {
        let Some(v) = price.as_f64() else { continue };
        let max = (2.0 * v).max(num(c, "base_price").unwrap_or(0.0) * 2.0);
        let mut l = Lever::range(
            format!("{p}.scripted_prices"),
            "commodity.scripted_price",
            Some(name),
            v,
            (0.0, max, nice_step(max)),
        );
        l.integer = false;
        l.step = Some((max / 100.0).max(0.01));
        l.index = Some(i);
        out.push(l);
    }
    if let (Some(e), Some(area)) = (num(c, "demand_elasticity"), num(c, "outside_area")) {
        if e > 0.0 && area > 0.0 {
            let max = 3.0 * area;
            out.push(Lever::range(
                format!("{p}.outside_area"),
                "commodity.outside_area",
                Some(name),
                area,
                (0.0, max, nice_step(max)),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn levers_follow_what_the_scenario_has() {
        let r = json!({
            "budget": {"yearly": 6e6},
            "arms": [
                {"name": "none", "policies": {"cash": null}, "delivery": {"delay_months": 0}},
                {"name": "cash", "policies": {"cash": {"budget_share": 0.98, "transition": true}}, "delivery": {"delay_months": 2}},
            ],
            "targeting": {"transition_years": 5, "monitoring": false},
            "markets": {"commodities": [
                {"name": "grain", "base_price": 1.2, "scripted_prices": [], "demand_elasticity": 0.0, "outside_area": 0.0},
                {"name": "ps", "base_price": 30.0, "scripted_prices": [140.0, 20.0], "demand_elasticity": 0.4, "outside_area": 60000.0},
            ]},
            "organisations": {"enterprises": []},
        });
        let l = levers(&r);
        let paths: Vec<(&str, Option<usize>)> = l.iter().map(|l| (l.path.as_str(), l.index)).collect();
        assert_eq!(
            paths,
            [
                ("budget.yearly", None),
                ("arms.cash.policies.cash.budget_share", None),
                ("arms.cash.policies.cash.transition", None),
                ("arms.cash.delivery.delay_months", None),
                ("targeting.transition_years", None),
                ("targeting.monitoring", None),
                ("markets.commodities.ps.scripted_prices", Some(0)),
                ("markets.commodities.ps.scripted_prices", Some(1)),
                ("markets.commodities.ps.outside_area", None),
            ]
        );
        assert_eq!(l[0].max, Some(1.2e7));
        assert_eq!(l[0].step, Some(100_000.0));
        assert!(l[3].integer && !l[1].integer);
    }

    #[test]
    fn names_that_set_cannot_address_get_no_lever() {
        let r = json!({"arms": [{"name": "a.b", "policies": {"cash": {"budget_share": 0.5}}, "delivery": {"delay_months": 0}}]});
        assert!(levers(&r).is_empty());
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(1.2e7), 100_000.0);
        assert_eq!(nice_step(180_000.0), 2000.0);
        assert_eq!(nice_step(10.0), 1.0);
    }
}
