//! The tokenizer: the body as a stream of text, start tags (with attributes), end tags and
//! markup the lab never renders (comments, doctypes), following the HTML parsing rules where
//! the apps' markup needs them (raw-text elements, void elements, unquoted attributes).

use super::entities::decode;

#[derive(Debug)]
pub(super) enum Tok {
    /// Text with references decoded.
    Text(String),
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        span: (usize, usize),
    },
    End {
        name: String,
        span: (usize, usize),
    },
    /// A raw-text or RCDATA element (`script`, `style`, `title`...): start tag, content and
    /// end tag in one.
    Raw {
        name: String,
        content: String,
        span: (usize, usize),
    },
    /// A comment, doctype or processing instruction: not rendered.
    Ignored,
}

/// Elements whose content is not markup: up to their end tag, or the end of the body.
pub(super) const RAW_TEXT: [&str; 9] = [
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// Void elements of HTML (no end tag), for matching rejected start tags with their end tags.
pub(super) const VOID: [&str; 18] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track",
];

pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

pub(super) fn tokenize(s: &str) -> Vec<Tok> {
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut text_from = 0;
    while let Some(off) = s[i..].find('<') {
        let lt = i + off;
        match markup(s, lt) {
            None => i = lt + 1,
            Some((tok, next)) => {
                if text_from < lt {
                    tokens.push(Tok::Text(decode(&s[text_from..lt], false)));
                }
                tokens.push(tok);
                i = next;
                text_from = next;
            }
        }
    }
    if text_from < s.len() {
        tokens.push(Tok::Text(decode(&s[text_from..], false)));
    }
    tokens
}

/// The markup starting with the `<` at `lt`, and where it ends; `None` when the `<` is text.
pub(super) fn markup(s: &str, lt: usize) -> Option<(Tok, usize)> {
    let b = s.as_bytes();
    let len = s.len();
    match *b.get(lt + 1)? {
        c if c.is_ascii_alphabetic() => {
            // End of input inside a tag: a browser drops the tag.
            let Some(tag) = parse_tag(s, lt + 1) else {
                return Some((Tok::Ignored, len));
            };
            if tag.name == "plaintext" {
                return Some((
                    Tok::Raw {
                        name: tag.name,
                        content: s[tag.end..].to_string(),
                        span: (lt, len),
                    },
                    len,
                ));
            }
            if RAW_TEXT.contains(&tag.name.as_str()) {
                let (content_end, end) = find_end_tag(s, tag.end, &tag.name);
                let raw = &s[tag.end..content_end];
                let content = if matches!(tag.name.as_str(), "title" | "textarea") {
                    decode(raw, false)
                } else {
                    raw.to_string()
                };
                return Some((
                    Tok::Raw {
                        name: tag.name,
                        content,
                        span: (lt, end),
                    },
                    end,
                ));
            }
            Some((
                Tok::Start {
                    name: tag.name,
                    attrs: tag.attrs,
                    span: (lt, tag.end),
                },
                tag.end,
            ))
        }
        b'/' => match *b.get(lt + 2)? {
            c if c.is_ascii_alphabetic() => match parse_tag(s, lt + 2) {
                None => Some((Tok::Ignored, len)),
                Some(tag) => Some((
                    Tok::End {
                        name: tag.name,
                        span: (lt, tag.end),
                    },
                    tag.end,
                )),
            },
            b'>' => Some((Tok::Ignored, lt + 3)),
            _ => Some((Tok::Ignored, after_gt(s, lt + 2))),
        },
        b'!' => {
            if s[lt + 2..].starts_with("--") {
                Some((Tok::Ignored, comment_end(s, lt + 4)))
            } else {
                Some((Tok::Ignored, after_gt(s, lt + 2)))
            }
        }
        b'?' => Some((Tok::Ignored, after_gt(s, lt + 2))),
        _ => None,
    }
}

/// Just past the next `>` from `from`, or the end.
pub(super) fn after_gt(s: &str, from: usize) -> usize {
    s[from..].find('>').map_or(s.len(), |i| from + i + 1)
}

/// The end of a comment whose text starts at `from` (after `<!--`).
pub(super) fn comment_end(s: &str, from: usize) -> usize {
    let rest = &s[from..];
    if rest.starts_with('>') {
        return from + 1;
    }
    if rest.starts_with("->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(off) = s[i..].find("--") {
        let p = i + off;
        if s[p + 2..].starts_with('>') {
            return p + 3;
        }
        if s[p + 2..].starts_with("!>") {
            return p + 4;
        }
        i = p + 1;
    }
    s.len()
}

/// For a raw-text element whose content starts at `from`: where its content ends and where
/// its end tag ends (both the end of input when there is no end tag).
pub(super) fn find_end_tag(s: &str, from: usize, name: &str) -> (usize, usize) {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(off) = s[i..].find("</") {
        let p = i + off;
        let name_end = p + 2 + name.len();
        let same = b
            .get(p + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if same
            && b.get(name_end)
                .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
        {
            return match parse_tag(s, p + 2) {
                Some(tag) => (p, tag.end),
                None => (p, s.len()),
            };
        }
        i = p + 2;
    }
    (s.len(), s.len())
}

pub(super) struct ParsedTag {
    name: String,
    attrs: Vec<(String, String)>,
    end: usize,
}

/// A tag from its name (at `i`) to its `>`; `None` when the input ends first. Attribute names
/// are lower-cased, values decoded, and a repeated attribute ignored, as in HTML.
pub(super) fn parse_tag(s: &str, i: usize) -> Option<ParsedTag> {
    let b = s.as_bytes();
    let len = b.len();
    let mut j = i;
    while j < len && !is_ws(b[j]) && b[j] != b'/' && b[j] != b'>' {
        j += 1;
    }
    let name = s[i..j].to_ascii_lowercase();
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        while j < len && (is_ws(b[j]) || (b[j] == b'/' && b.get(j + 1) != Some(&b'>'))) {
            j += 1;
        }
        if j >= len {
            return None;
        }
        if b[j] == b'>' {
            return Some(ParsedTag {
                name,
                attrs: first_of_each(attrs),
                end: j + 1,
            });
        }
        if b[j] == b'/' {
            // "/>": self-closing syntax, meaningless on HTML elements.
            return Some(ParsedTag {
                name,
                attrs: first_of_each(attrs),
                end: j + 2,
            });
        }
        // The name's first character may be anything, even `=`. When it is multi-byte,
        // `j += 1` lands inside it, but the scan only stops at ASCII bytes, which never occur
        // inside a UTF-8 sequence, so every slice stays on a character boundary.
        let start = j;
        j += 1;
        while j < len && !is_ws(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let attr = s[start..j].to_ascii_lowercase();
        while j < len && is_ws(b[j]) {
            j += 1;
        }
        let mut value = String::new();
        if j < len && b[j] == b'=' {
            j += 1;
            while j < len && is_ws(b[j]) {
                j += 1;
            }
            if j >= len {
                return None;
            }
            match b[j] {
                q @ (b'"' | b'\'') => {
                    let close = s[j + 1..].find(q as char)? + j + 1;
                    value = decode(&s[j + 1..close], true);
                    j = close + 1;
                }
                b'>' => {}
                _ => {
                    let from = j;
                    while j < len && !is_ws(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    value = decode(&s[from..j], true);
                }
            }
        }
        attrs.push((attr, value));
    }
}

/// The first of each repeated attribute, in document order (the HTML rule). A tag has a few
/// attributes, searched directly; a hostile one with thousands (a username can be markup) is
/// sorted instead, so the cost stays n log n rather than n squared. No set type: its code would
/// grow the bundle.
fn first_of_each(attrs: Vec<(String, String)>) -> Vec<(String, String)> {
    const SMALL: usize = 16;
    let keep: Vec<bool> = if attrs.len() <= SMALL {
        (0..attrs.len())
            .map(|i| !attrs[..i].iter().any(|(a, _)| *a == attrs[i].0))
            .collect()
    } else {
        let mut order: Vec<usize> = (0..attrs.len()).collect();
        order.sort_unstable_by(|&x, &y| attrs[x].0.cmp(&attrs[y].0).then(x.cmp(&y)));
        let mut keep = vec![false; attrs.len()];
        for (k, &i) in order.iter().enumerate() {
            keep[i] = k == 0 || attrs[order[k - 1]].0 != attrs[i].0;
        }
        keep
    };
    attrs
        .into_iter()
        .zip(keep)
        .filter_map(|(a, k)| k.then_some(a))
        .collect()
}
