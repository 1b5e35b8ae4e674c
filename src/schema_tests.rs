//! Tests tying the catalog of [`crate::schema`] to the serde derive of every option type. A
//! module of its own above the others, so that `schema` imports none of the types it describes.

use serde::de::DeserializeOwned;

use crate::option_sets;
use crate::schema::{defaults_json, fields_of, to_json, variants_of, OptionSet};
use crate::{EncodeOptions, LoadOptions, MaskingOptions, Padding, Side, Truncation};

#[test]
fn records_fields_and_variants() {
    assert_eq!(fields_of::<Padding>(), ["length", "padToMultipleOf", "side"]);
    assert_eq!(variants_of::<Side>(), ["left", "right"]);
    assert_eq!(variants_of::<Side>()[Side::Left as usize], "left");
    assert!(fields_of::<Side>().is_empty());
}

/// The serde names of each option set's struct are exactly its catalog's parameters.
#[test]
fn every_option_set_is_its_structs_fields() {
    let fields = |name| match name {
        "LoadOptions" => fields_of::<LoadOptions>(),
        "EncodeOptions" => fields_of::<EncodeOptions>(),
        "Truncation" => fields_of::<Truncation>(),
        "Padding" => fields_of::<Padding>(),
        "MaskingOptions" => fields_of::<MaskingOptions>(),
        "RandomTokens::Weights" => &["weights"],
        "Packing" => fields_of::<crate::Packing>(),
        "Ul2Denoiser" => fields_of::<crate::masking::Denoiser>(),
        "FimTokens" => fields_of::<crate::masking::FimTokens>(),
        other => panic!("an option set without a struct: {other}"),
    };
    for set in option_sets() {
        let params: Vec<_> = set.params.iter().map(|p| p.name).collect();
        assert_eq!(params, fields(set.name), "{}", set.name);
    }
}

/// Every default of the catalog, given explicitly, deserializes to the `Default` impl's
/// value; an empty object does too, and a required parameter is missed.
#[test]
fn catalog_defaults_are_the_default_impls() {
    fn check<T: DeserializeOwned + Default + PartialEq + std::fmt::Debug>(set: &OptionSet) {
        let given = defaults_json(set);
        assert_eq!(serde_json::from_value::<T>(given).unwrap(), T::default(), "{}", set.name);
        assert_eq!(serde_json::from_str::<T>("{}").unwrap(), T::default(), "{}", set.name);
    }
    for set in option_sets() {
        match set.name {
            "LoadOptions" => check::<LoadOptions>(&set),
            "EncodeOptions" => check::<EncodeOptions>(&set),
            "Padding" => check::<Padding>(&set),
            "MaskingOptions" => check::<MaskingOptions>(&set),
            "Truncation" => {
                assert!(serde_json::from_str::<Truncation>("{}").unwrap_err().to_string().contains("maxLength"));
                let t: Truncation = serde_json::from_str(r#"{"maxLength": 7}"#).unwrap();
                assert_eq!(t, Truncation::to(7));
                let mut given = defaults_json(&set);
                given["maxLength"] = 7.into();
                assert_eq!(serde_json::from_value::<Truncation>(given).unwrap(), Truncation::to(7));
            }
            "RandomTokens::Weights" => {}
            // Required parameters only: each is missed by name.
            "Packing" | "FimTokens" => {
                for p in &set.params {
                    assert!(p.required && p.default.is_none(), "{}.{}", set.name, p.name);
                }
                let message = serde_json::from_str::<crate::Packing>("{}").unwrap_err().to_string();
                assert!(message.starts_with("missing field `maxLength`"), "{message}");
                let message = serde_json::from_str::<crate::masking::FimTokens>("{}").unwrap_err().to_string();
                assert!(message.starts_with("missing field `prefix`"), "{message}");
            }
            "Ul2Denoiser" => {
                let mut given = defaults_json(&set);
                given["kind"] = "x".into();
                let d: crate::masking::Denoiser = serde_json::from_value(given).unwrap();
                assert_eq!(
                    d,
                    crate::masking::Denoiser {
                        noise_density: None,
                        ..crate::masking::Denoiser::new(crate::masking::DenoiserKind::X, 3.0, 0.0)
                    }
                );
            }
            other => panic!("unchecked option set {other}"),
        }
    }
}

#[test]
fn the_json_is_json_in_the_documented_shape() {
    let json: serde_json::Value = serde_json::from_str(&to_json(&option_sets())).unwrap();
    let padding = &json.as_array().unwrap()[3];
    assert_eq!(
        padding,
        &serde_json::json!({ "name": "Padding", "params": [
            { "name": "length", "kind": "integer", "required": false, "min": 1 },
            { "name": "padToMultipleOf", "kind": "integer", "required": false, "min": 1 },
            { "name": "side", "kind": "enum", "values": ["left", "right"], "default": "right", "required": false },
        ]})
    );
    let masking = &json.as_array().unwrap()[4]["params"];
    assert_eq!(
        masking[4],
        serde_json::json!({ "name": "randomTokens", "kind": "either", "kinds": [
            { "kind": "enum", "values": ["vocab", "nonSpecial"] },
            { "kind": "object", "set": "RandomTokens::Weights" },
        ], "default": "vocab", "required": false })
    );
    assert_eq!(masking[10]["default"], serde_json::json!([]));
    assert_eq!(masking[5]["max"], serde_json::json!(9007199254740991u64));
    let t5 = serde_json::from_str::<serde_json::Value>(&to_json(&crate::StrategyOptions::catalog())).unwrap();
    assert_eq!(t5[5]["params"][0]["default"], serde_json::json!(0.15));
}

#[test]
fn required_parameters_have_no_default() {
    for set in option_sets() {
        for p in &set.params {
            assert!(!(p.required && p.default.is_some()), "{}.{}", set.name, p.name);
        }
    }
}
