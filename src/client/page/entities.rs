//! Character references: the named ones the pages use (and the legacy ones without `;`),
//! numeric ones with the HTML rules for replacement characters and the C1 range.

/// Named references the lab decodes: `(name, text, legacy)`, legacy ones also without `;`.
pub(super) const NAMED: [(&str, &str, bool); 26] = [
    ("amp", "&", true),
    ("AMP", "&", true),
    ("lt", "<", true),
    ("LT", "<", true),
    ("gt", ">", true),
    ("GT", ">", true),
    ("quot", "\"", true),
    ("QUOT", "\"", true),
    ("apos", "'", false),
    ("nbsp", "\u{a0}", true),
    ("copy", "©", true),
    ("COPY", "©", true),
    ("reg", "®", true),
    ("REG", "®", true),
    ("laquo", "«", true),
    ("raquo", "»", true),
    ("middot", "·", true),
    ("times", "×", true),
    ("trade", "™", false),
    ("hellip", "…", false),
    ("mdash", "—", false),
    ("ndash", "–", false),
    ("lsquo", "‘", false),
    ("rsquo", "’", false),
    ("ldquo", "“", false),
    ("rdquo", "”", false),
];

/// Windows-1252 for the numeric references `&#128;`..`&#159;`, as HTML maps them.
pub(super) const C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// Decodes character references (`&amp; &lt; &gt; &quot; &#34; &#39; &#NN; &#xHH;` and a few
/// more named ones). In attribute values a legacy reference without `;` followed by a letter,
/// digit or `=` stays as written (`?a=1&copy=2`), as in HTML.
pub(super) fn decode(s: &str, in_attr: bool) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut last = 0;
    while let Some(off) = s[i..].find('&') {
        let amp = i + off;
        out.push_str(&s[last..amp]);
        match reference(s, amp + 1, in_attr) {
            Some((text, next)) => {
                out.push_str(&text);
                i = next;
            }
            None => {
                out.push('&');
                i = amp + 1;
            }
        }
        last = i;
    }
    out.push_str(&s[last..]);
    out
}

/// The reference after an `&` (at `i`), and where it ends.
pub(super) fn reference(s: &str, i: usize, in_attr: bool) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.get(i) == Some(&b'#') {
        let mut j = i + 1;
        let hex = matches!(b.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let start = j;
        let mut code: u32 = 0;
        while let Some(d) = b
            .get(j)
            .and_then(|&c| (c as char).to_digit(if hex { 16 } else { 10 }))
        {
            code = code
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d)
                .min(0x11_0000);
            j += 1;
        }
        if j == start {
            return None;
        }
        if b.get(j) == Some(&b';') {
            j += 1;
        }
        let c = match code {
            0x80..=0x9F => char::from_u32(C1[(code - 0x80) as usize]),
            0 => None,
            c => char::from_u32(c),
        }
        .unwrap_or('\u{FFFD}');
        return Some((c.to_string(), j));
    }
    let rest = &s[i..];
    let run = rest
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if run == 0 {
        return None;
    }
    if rest.as_bytes().get(run) == Some(&b';') {
        if let Some((_, text, _)) = NAMED.iter().find(|(n, _, _)| *n == &rest[..run]) {
            return Some((text.to_string(), i + run + 1));
        }
    }
    // Legacy references without `;`: the longest that prefixes the run.
    let (name, text, _) = NAMED
        .iter()
        .filter(|(n, _, legacy)| *legacy && rest.starts_with(n))
        .max_by_key(|(n, _, _)| n.len())?;
    let next = rest.as_bytes().get(name.len()).copied();
    if in_attr && next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'=') {
        return None;
    }
    Some((text.to_string(), i + name.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_references() {
        let cases = [
            ("&amp;&lt;&gt;&quot;&#34;&#39;", "&<>\"\"'"),
            ("&#65;&#x42;&#X43;&#68", "ABCD"),
            (
                "&#0;&#xD800;&#x110000;&#99999999999;",
                "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
            ),
            ("&#128;&#x9f;", "€Ÿ"),
            ("&amp &ampx &nosuch; & &#; &#x;", "& &x &nosuch; & &#; &#x;"),
            ("&nbsp;&copy", "\u{a0}©"),
        ];
        for (src, want) in cases {
            assert_eq!(decode(src, false), want, "{src}");
        }
        assert_eq!(decode("/x?a=1&copy=2&amp;b", true), "/x?a=1&copy=2&b");
    }
}
