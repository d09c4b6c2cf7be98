fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    pest::set_error_detail(true);
    let (spec, diags) = awmc::syntax::parse(&text);
    println!("{} items", spec.items.len());
    let file = awmc::diagnostic::render::SourceFile::new(&path, &text);
    print!("{}", awmc::diagnostic::render::to_text(&file, &diags, false));
}
