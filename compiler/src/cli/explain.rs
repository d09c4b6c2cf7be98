//! `awmc explain CODE`: prints one code's page of the diagnostic index.

use crate::diagnostic::Code;
use crate::diagnostic::suggest::did_you_mean;
use crate::docs;

pub fn run(text: &str) -> i32 {
    let Some(code) = Code::find(text) else {
        let names = Code::ALL.iter().map(|c| c.name());
        match did_you_mean(text, names) {
            Some(name) => eprintln!("error: no diagnostic `{text}`; did you mean `{name}`?"),
            None => {
                eprintln!("error: no diagnostic `{text}`; codes look like E0311 or unknown-column")
            }
        }
        return 2;
    };
    match docs::diagnostic_section(code.code()) {
        Some(section) => {
            println!("{section}");
            0
        }
        None => {
            eprintln!("error: {} {} is not documented", code.code(), code.name());
            2
        }
    }
}
