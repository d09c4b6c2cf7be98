//! Typed tool arguments of the generated crates: each tool's struct (`args::X`) takes an
//! agent's JSON with the spec's names and defaults, serializes back to it, and calling a
//! tool with the struct is the same call as with the JSON. (Every call in the
//! differential test, `native.rs`, already goes through these structs.)

use std::sync::Arc;

use awm_runtime::exec::typed::{self, Arguments};
use awm_runtime::serde_json::{self, json};
use awm_runtime::{Environment, Limits, Session};

fn open(env: &Arc<dyn Environment>) -> Session {
    Session::open(env.image(), Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn shop() -> Arc<dyn Environment> {
    awm_env_shop::environment().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn agent_json_deserializes_with_the_specs_defaults() {
    use awm_env_shop::args::SearchProducts;
    let args: SearchProducts = serde_json::from_value(json!({ "q": "mouse", "page_size": 5 }))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        args,
        SearchProducts {
            q: Some("mouse".into()),
            category_id: None,
            brand: None,
            min_price: None,
            max_price: None,
            in_stock: false,
            sort_by: "relevance".into(),
            page: 1,
            page_size: 5,
        }
    );
    assert_eq!(SearchProducts::TOOL, "search_products");
    // Unknown parameters are refused, as validation refuses them.
    let unknown = serde_json::from_value::<SearchProducts>(json!({ "query": "mouse" }));
    assert!(unknown.is_err(), "{unknown:?}");
}

#[test]
fn a_typed_call_is_the_same_call_as_its_json() {
    use awm_env_shop::args::{AddToCart, GetCart, SearchProducts};
    let env = shop();
    let (typed_session, json_session) = (open(&env), open(&env));
    let search = SearchProducts {
        q: Some("wireless".into()),
        category_id: None,
        brand: None,
        min_price: Some(10.0),
        max_price: None,
        in_stock: true,
        sort_by: "price_desc".into(),
        page: 1,
        page_size: 3,
    };
    let json = serde_json::to_value(&search).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["min_price"], json!(10.0));
    let by_struct = typed::call(&*env, &typed_session, &search);
    let by_json = env.call(&json_session, "search_products", &json);
    assert_eq!(by_struct, by_json);
    let products = by_json.unwrap_or_else(|e| panic!("{e}"))["products"].clone();
    assert_eq!(products.as_array().map(Vec::len), Some(3), "{products}");

    // A write, then a read of what it wrote, through the structs.
    let product_id = products[0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{products}"));
    let add = AddToCart {
        product_id,
        quantity: 2,
    };
    let added = typed::call(&*env, &typed_session, &add).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(added["quantity"], json!(2), "{added}");
    let cart = typed::call(&*env, &typed_session, &GetCart {}).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        cart.to_string()
            .contains(&format!("\"product_id\":{product_id}")),
        "{cart}"
    );

    // The struct does not bypass validation: an out-of-range value is refused with the
    // message an agent would get.
    let zero = AddToCart {
        product_id,
        quantity: 0,
    };
    let refused = typed::call(&*env, &typed_session, &zero).map_err(|e| e.to_string());
    let as_json = env
        .call(
            &json_session,
            "add_to_cart",
            &json!({ "product_id": product_id, "quantity": 0 }),
        )
        .map_err(|e| e.to_string());
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(refused, as_json);
}

/// Names that are not Rust names keep the spec's spelling on the wire; structs named like
/// prelude types and colliding names still compile (this test compiling is half of it).
#[test]
fn hostile_names_keep_their_spelling_on_the_wire() {
    use awm_env_hostile::args::{
        GetRow, GetRow2, Impl, Option as OptionArgs, Result as ResultArgs, Tool2fa,
    };
    let store = Impl {
        fn_: "\"); std::process::exit(1); //".into(),
        match_: "self_".into(),
    };
    assert_eq!(
        serde_json::to_value(&store).unwrap_or_else(|e| panic!("{e}")),
        json!({ "fn": "\"); std::process::exit(1); //", "match": "self_" })
    );
    assert_eq!((GetRow::TOOL, GetRow2::TOOL), ("getRow", "get_row"));
    assert_eq!(Tool2fa::TOOL, "_2fa");

    let defaults: OptionArgs = serde_json::from_value(json!({})).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        defaults,
        OptionArgs {
            some: None,
            vec: Vec::new(),
            loop_: 1.0,
            loop__: None,
        }
    );
    let wire = serde_json::to_value(&defaults).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        wire,
        json!({ "some": null, "vec": [], "loop": 1.0, "loop_": null })
    );

    let env = awm_env_hostile::environment().unwrap_or_else(|e| panic!("{e}"));
    let session = open(&env);
    // A `real` parameter's default written as `1` is the real 1.0 (shown as `1.0`), as an
    // agent's `1` is: the default the spec's validator fills in (no argument at all), the
    // struct's serde default, and an agent's integer all give the same text.
    let call = |arguments: awm_runtime::serde_json::Value| {
        env.call(&session, "option", &arguments)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let omitted = call(json!({}));
    assert!(
        omitted.as_str().is_some_and(|text| text.contains(" 1.0 ")),
        "{omitted}"
    );
    assert_eq!(omitted, call(json!({ "loop": 1 })));
    let typed_defaults = typed::call(&*env, &session, &defaults).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(omitted, typed_defaults);
    let result = ResultArgs {
        string: None,
        __: 7,
    };
    assert_eq!(
        serde_json::to_value(&result).unwrap_or_else(|e| panic!("{e}")),
        json!({ "string": null, "_": 7 })
    );
    assert_eq!(
        typed::call(&*env, &session, &result).unwrap_or_else(|e| panic!("{e}")),
        json!("none 7")
    );
}
