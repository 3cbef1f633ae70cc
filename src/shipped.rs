//! The shipped scenarios, compiled into the binary so that `fupin scenarios`
//! and `fupin init` work from any folder.

/// (file stem, TOML text) of every scenario in `scenarios/` except the
/// national scale test, which no one would start from.
pub const SHIPPED: &[(&str, &str)] = &[
    ("township", include_str!("../scenarios/township.toml")),
    ("pseudostellaria_crash", include_str!("../scenarios/pseudostellaria_crash.toml")),
    ("pseudostellaria_replay", include_str!("../scenarios/pseudostellaria_replay.toml")),
    ("livestock_procurement", include_str!("../scenarios/livestock_procurement.toml")),
    ("decentralised_choice", include_str!("../scenarios/decentralised_choice.toml")),
    ("walnut_misfit", include_str!("../scenarios/walnut_misfit.toml")),
    ("handout_dependency", include_str!("../scenarios/handout_dependency.toml")),
    ("cooperative_governance", include_str!("../scenarios/cooperative_governance.toml")),
    ("enterprise_safeguards", include_str!("../scenarios/enterprise_safeguards.toml")),
    ("funding_delay", include_str!("../scenarios/funding_delay.toml")),
    ("tailored_vs_uniform", include_str!("../scenarios/tailored_vs_uniform.toml")),
    ("vocational_school", include_str!("../scenarios/vocational_school.toml")),
    ("credit_1plus3", include_str!("../scenarios/credit_1plus3.toml")),
    ("breeding_livestock", include_str!("../scenarios/breeding_livestock.toml")),
    ("windfall", include_str!("../scenarios/windfall.toml")),
    ("three_guarantees", include_str!("../scenarios/three_guarantees.toml")),
    ("village_package", include_str!("../scenarios/village_package.toml")),
    ("report_proposals", include_str!("../scenarios/report_proposals.toml")),
    ("local_economy", include_str!("../scenarios/local_economy.toml")),
];

/// The one-line description (`meta.description`) of a scenario text.
pub fn description(text: &str) -> String {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| t.get("meta")?.get("description")?.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_file_is_shipped_and_valid() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let p = e.ok()?.path();
                (p.extension()? == "toml").then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
            })
            .filter(|n| n != "national")
            .collect();
        on_disk.sort();
        let mut shipped: Vec<String> = SHIPPED.iter().map(|(n, _)| n.to_string()).collect();
        shipped.sort();
        assert_eq!(on_disk, shipped);
        for (name, text) in SHIPPED {
            crate::scenario::Scenario::from_bytes(std::path::Path::new(name), text.as_bytes()).unwrap();
            assert!(!description(text).is_empty(), "{name} has no description");
        }
    }
}
