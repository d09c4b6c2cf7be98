//! The layout: where lines break, how far each line is indented, and the blank lines
//! between them. Line breaks between tokens are the author's; this module decides
//! indentation, blank lines and the spacing inside each line.
//!
//! Indentation follows brackets. A bracket that ends its line opens a *block*: its items
//! are indented one level (two spaces) from the line that opened it, or, for a body
//! bracket (a declaration's, a statement block, `solution`, `verify`), from the start of
//! the item that owns it, so that `tool f(…) -> T\n  "description" {` still indents its
//! statements by one level. A line that starts an item of the enclosing block gets the
//! block's indentation; any other line continues the item above it and keeps its offset
//! from the item's first line (at least one level), or its alignment with the first token
//! after an open bracket. A closing bracket that starts a line goes back to the
//! indentation its opening line had.

use super::lex::{Kind, Token};
use super::roles::Role;
use super::spacing::space_between;

/// One indentation level.
const INDENT: usize = 2;

/// A block: a bracket that ended its line (or the file itself).
struct Block {
    /// The indentation of the line holding the closing bracket.
    base: usize,
    /// The indentation of its items.
    inner: usize,
    /// The current item's first line: its new indentation and its original column.
    item: Option<(usize, usize)>,
}

/// A bracket not yet closed.
struct Open {
    /// Whether it ended its line (and so opened a [`Block`]).
    block: bool,
    /// The indentation of the line it is on.
    indent: usize,
    /// For a bracket followed by more tokens on its line: the original and the new column
    /// of the first of them, which continuation lines may be aligned with.
    align: Option<(usize, usize)>,
}

/// A line of tokens: `tokens[first..end]`.
struct Line {
    first: usize,
    end: usize,
}

pub struct Layout<'a> {
    source: &'a str,
    tokens: &'a [Token],
    roles: &'a [Role],
    out: String,
    /// Characters written since the last line break.
    column: usize,
    blocks: Vec<Block>,
    opens: Vec<Open>,
}

impl<'a> Layout<'a> {
    pub fn new(source: &'a str, tokens: &'a [Token], roles: &'a [Role]) -> Layout<'a> {
        Layout {
            source,
            tokens,
            roles,
            out: String::with_capacity(source.len() + source.len() / 8),
            column: 0,
            blocks: vec![Block {
                base: 0,
                inner: 0,
                item: None,
            }],
            opens: Vec::new(),
        }
    }

    /// The formatted text.
    pub fn run(mut self) -> String {
        let lines = self.lines();
        // Comment lines take the indentation of the code line after them, so they wait.
        let mut waiting: Vec<usize> = Vec::new();
        for index in 0..lines.len() {
            let line = &lines[index];
            if self.token(line.first).kind == Kind::Comment {
                waiting.push(index);
                continue;
            }
            let first = *self.token(line.first);
            let indent = self.indent_of(&first, self.role(line.first));
            let comment_indent = if first.is_closer(self.source) {
                indent + INDENT
            } else {
                indent
            };
            for comment in std::mem::take(&mut waiting) {
                self.start_line(&lines, comment, comment_indent);
                self.write_comment(lines[comment].first);
            }
            self.start_line(&lines, index, indent);
            self.write_line(line, indent);
        }
        let indent = self.blocks.last().map_or(0, |b| b.inner);
        for comment in waiting {
            self.start_line(&lines, comment, indent);
            self.write_comment(lines[comment].first);
        }
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }

    fn token(&self, index: usize) -> &'a Token {
        &self.tokens[index]
    }

    fn role(&self, index: usize) -> Role {
        self.roles.get(index).copied().unwrap_or_default()
    }

    /// The lines: a token starts one after a line break, after a comment, and when it
    /// starts a top-level declaration.
    fn lines(&self) -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        for (index, token) in self.tokens.iter().enumerate() {
            let after_comment = index > 0 && self.token(index - 1).kind == Kind::Comment;
            let starts = token.newlines > 0 || after_comment || self.role(index).decl_start;
            match lines.last_mut() {
                Some(line) if !starts => line.end = index + 1,
                _ => lines.push(Line {
                    first: index,
                    end: index + 1,
                }),
            }
        }
        lines
    }

    /// The line breaks before line `index`: none before the first, two (one blank line)
    /// between declarations unless both fit on one line, otherwise as written but at most
    /// two, and one right after an opening bracket or before a closing one.
    fn breaks_before(&self, lines: &[Line], index: usize) -> usize {
        let Some(previous) = index.checked_sub(1).and_then(|i| lines.get(i)) else {
            return 0;
        };
        let line = &lines[index];
        let first = self.token(line.first);
        let has = |line: &Line, role: fn(Role) -> bool| {
            (line.first..line.end).any(|i| role(self.role(i)))
        };
        let one_line = |line: &Line| has(line, |r| r.decl_start) && has(line, |r| r.decl_end);
        let ends_declaration = has(previous, |r| r.decl_end);
        let previous_code = (previous.first..previous.end)
            .rev()
            .find(|&i| self.token(i).kind != Kind::Comment);
        if one_line(previous) && one_line(line) {
            // One-line declarations may stand together (`enum a { x, y }` lines).
            first.newlines.clamp(1, 2)
        } else if ends_declaration || (self.role(line.first).decl_start && previous_code.is_some())
        {
            2
        } else if previous_code.is_some_and(|i| self.token(i).is_opener(self.source))
            || first.is_closer(self.source)
        {
            1
        } else {
            first.newlines.clamp(1, 2)
        }
    }

    fn start_line(&mut self, lines: &[Line], index: usize, indent: usize) {
        for _ in 0..self.breaks_before(lines, index) {
            self.out.push('\n');
        }
        self.column = 0;
        self.pad(indent);
    }

    fn pad(&mut self, spaces: usize) {
        self.out.extend(std::iter::repeat_n(' ', spaces));
        self.column += spaces;
    }

    fn write(&mut self, text: &str) {
        self.out.push_str(text);
        self.column += text.chars().count();
    }

    fn write_comment(&mut self, index: usize) {
        let text = self.token(index).text(self.source).trim_end();
        self.write(text);
    }

    /// The indentation of a code line starting with `first`; records a new item.
    fn indent_of(&mut self, first: &Token, role: Role) -> usize {
        let column = first.column;
        let block_index = self.blocks.len() - 1;
        let open = self.opens.last();
        if first.is_closer(self.source) {
            return match open {
                Some(open) if open.block => self.blocks[block_index].base,
                Some(open) => open.indent,
                None => 0,
            };
        }
        let block = &mut self.blocks[block_index];
        match open {
            // Inside a bracket that continues its line: always a continuation.
            Some(open) if !open.block => {
                let align = open.align;
                continuation(block, align, column)
            }
            _ if role.item_start || block.item.is_none() => {
                block.item = Some((block.inner, column));
                block.inner
            }
            _ => continuation(block, None, column),
        }
    }

    fn write_line(&mut self, line: &Line, indent: usize) {
        let first_column = self.token(line.first).column;
        let last_code = (line.first..line.end)
            .rev()
            .find(|&i| self.token(i).kind != Kind::Comment);
        for index in line.first..line.end {
            let token = self.token(index);
            if index > line.first {
                if token.kind == Kind::Comment {
                    // A trailing comment keeps its column (moved with the line's
                    // indentation) when the code still fits before it.
                    let wanted = (token.column + indent).saturating_sub(first_column);
                    let at = wanted.max(self.column + 1);
                    self.pad(at - self.column);
                    self.write_comment(index);
                    continue;
                }
                let before = (self.token(index - 1), self.role(index - 1));
                if space_between(self.source, before, (token, self.role(index))) {
                    self.pad(1);
                }
            }
            if let Some(open) = self.opens.last_mut()
                && !open.block
                && open.align.is_none()
            {
                open.align = Some((token.column, self.column));
            }
            let text = token.text(self.source);
            self.write(text);
            if token.is_closer(self.source) {
                if self.opens.pop().is_some_and(|open| open.block) && self.blocks.len() > 1 {
                    self.blocks.pop();
                }
            } else if token.is_opener(self.source) {
                self.open(index, indent, Some(index) == last_code);
            }
        }
    }

    fn open(&mut self, index: usize, indent: usize, ends_line: bool) {
        self.opens.push(Open {
            block: ends_line,
            indent,
            align: None,
        });
        if ends_line {
            let owner = self.blocks.last().and_then(|b| b.item).map(|(n, _)| n);
            let base = match owner {
                Some(item) if self.role(index).body_bracket => item,
                _ => indent,
            };
            self.blocks.push(Block {
                base,
                inner: base + INDENT,
                item: None,
            });
        }
    }
}

/// The indentation of a line continuing the block's current item: aligned with the first
/// token after an open bracket when it was, else its original offset from the item's first
/// line, at least one level.
fn continuation(block: &Block, align: Option<(usize, usize)>, column: usize) -> usize {
    if let Some((old, new)) = align
        && old == column
    {
        return new;
    }
    match block.item {
        Some((indent, start)) => indent + column.saturating_sub(start).max(INDENT),
        None => block.inner,
    }
}
