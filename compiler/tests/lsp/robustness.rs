//! Garbage and half-typed text never crash the server: every request gets an answer and
//! the process keeps running.

use serde_json::{Value, json};

use crate::client::{Client, example};

#[test]
fn half_typed_and_garbage_text_is_always_answered() {
    let shop = example("shop.awm");
    let mut texts: Vec<String> = vec![
        String::new(),
        "tool".into(),
        "table t {".into(),
        "\u{0}\u{1}\u{7f}é€😀 {{{{ ]]]] ((((".into(),
        "tool f(x: int) -> int { return x. }".into(),
    ];
    // Every 97th prefix of the shop: text as it is being typed.
    texts.extend((0..shop.len()).step_by(shop.len() / 23).map(|end| {
        let mut end = end;
        while !shop.is_char_boundary(end) {
            end -= 1;
        }
        shop[..end].to_string()
    }));
    let mut client = Client::start();
    for (version, text) in texts.iter().enumerate() {
        let uri = "file:///work/typing.awm";
        if version == 0 {
            client.open(uri, text);
        } else {
            client.change(uri, version as i64 + 1, text);
        }
        let lines = text.matches('\n').count() as i64;
        for line in [0, lines / 2, lines, lines + 5] {
            for character in [0, 3, 40, 1000] {
                let at = json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
                for method in ["textDocument/hover", "textDocument/completion"] {
                    let reply = client.request(method, at.clone());
                    assert!(reply.get("error").is_none(), "{method} at {at}: {reply}");
                }
            }
        }
        let reply = client.request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        );
        assert!(reply.get("error").is_none(), "{reply}");
        assert!(client.is_running());
    }
    // Malformed requests get errors, not a crash.
    let reply = client.request("textDocument/hover", json!({ "nonsense": true }));
    assert!(reply["error"]["code"].is_i64(), "{reply}");
    let reply = client.request("awmc/unknown", Value::Null);
    assert_eq!(reply["error"]["code"], -32601);
    let reply = client.request("textDocument/hover", json!({ "textDocument": { "uri": "file:///never/opened.awm" }, "position": { "line": 0, "character": 0 } }));
    assert_eq!(reply["result"], Value::Null);
    assert_eq!(client.shutdown(), Some(0));
}
