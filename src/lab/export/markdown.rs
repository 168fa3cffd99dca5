//! The network log as a Markdown transcript for handouts: each request with the `Cookie` it
//! carried, each answer with its status and session headers, and each session cookie taken
//! apart.
//!
//! Nothing a user can type reaches the text outside a fenced code block unescaped: a fence is
//! longer than any run of backticks in what it holds, so no value can close it, and the few
//! values in running text (the title, the jar's and the server's notes) have what could start
//! markup backslash-escaped and control characters turned into spaces.

use super::{browser_name, SetCookieParts};
use crate::engine::flask::app::App;
use crate::engine::flask::sessions::InterfaceKind;
use crate::engine::itsdangerous::signing::{decode_payload, Segments};
use crate::engine::py::datetime::iso_utc;
use crate::engine::werkzeug::cookie::parse_cookie_header;
use crate::engine::werkzeug::wrappers::reason;
use crate::lab::lesson::REMEMBER_COOKIE;
use crate::lab::view::{session_headers, timestamp_text, verdict_line};
use crate::lab::{form_encode, Exchange};

/// The transcript of `log`, titled with the scenario's `title`. The session cookie is the one
/// `app` names, read the way `app` keeps sessions (a signed cookie, or an id for its store).
pub fn markdown(log: &[Exchange], title: &str, app: &App) -> String {
    let cookie_name = app.config.session_cookie_name.as_str();
    let server_side = app.session_interface().kind() == InterfaceKind::ServerSide;
    let mut o = String::with_capacity(1024 + 1024 * log.len());
    o.push_str("# Session Lab transcript: ");
    push_escaped(&mut o, title);
    o.push_str("\n\n");
    o.push_str(&log.len().to_string());
    o.push_str(
        " requests, oldest first, at the lab clock's time (UTC). Each answer shows only the \
         headers sessions are made of.\n\n",
    );
    o.push_str(if server_side {
        "Sessions live on the server (Flask-Session): the cookie holds only an id.\n\n"
    } else {
        "Flask signs the session cookie (`payload.timestamp.signature`) but does not encrypt \
         it: the payloads below are read without the key.\n\n"
    });
    // Each session cookie value is taken apart once: (value, the request it was first seen in).
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, e) in log.iter().enumerate() {
        let n = e.id + 1;
        o.push_str("## Request ");
        push_num(&mut o, n);
        o.push_str(": ");
        o.push_str(browser_name(e.browser));
        o.push_str(" browser, ");
        o.push_str(&iso_utc(e.at));
        o.push_str("\n\n");
        if e.after_restart {
            o.push_str("First request since this browser was closed and reopened.\n\n");
        }
        if let Some(from) = e.redirected_from {
            o.push_str("Follows the redirect of request ");
            push_num(&mut o, from + 1);
            o.push_str(".\n\n");
        }

        let mut request = [e.method.as_str(), " ", &e.target, " HTTP/1.1\n"].concat();
        if let Some(c) = &e.cookie {
            request.push_str("Cookie: ");
            request.push_str(c);
            request.push('\n');
        }
        if let Some(agent) = &e.user_agent {
            request.push_str("User-Agent: ");
            request.push_str(agent);
            request.push('\n');
        }
        if !matches!(e.method.as_str(), "GET" | "HEAD") {
            request.push_str("Content-Type: application/x-www-form-urlencoded\n\n");
            for (i, (k, v)) in e.form.iter().enumerate() {
                if i > 0 {
                    request.push('&');
                }
                request.push_str(&form_encode(k));
                request.push('=');
                request.push_str(&form_encode(v));
            }
        }
        fenced(&mut o, "http", &request);
        let sent = e.cookie.as_deref().map(parse_cookie_header);
        match sent.iter().flatten().find(|(k, _)| k == cookie_name) {
            Some((_, v)) if !v.is_empty() => {
                session(&mut o, "sent", v, server_side, e.at, n, &mut seen);
            }
            _ => o.push_str("No session cookie sent.\n\n"),
        }
        if let Some(v) = verdict_line(e) {
            note(&mut o, "Server", &v);
        }

        let r = &e.response;
        let mut answer = [
            "HTTP/1.1 ",
            &r.status.to_string(),
            " ",
            reason(r.status),
            "\n",
        ]
        .concat();
        for (k, v) in session_headers(e) {
            answer.push_str(&k);
            answer.push_str(": ");
            answer.push_str(&v);
            answer.push('\n');
        }
        fenced(&mut o, "http", &answer);
        for line in r.set_cookies() {
            let c = SetCookieParts::parse(line);
            let deleted = c.expires(e.at).is_some_and(|t| t <= e.at);
            if c.name == REMEMBER_COOKIE {
                o.push_str(if deleted {
                    "**Remember cookie deleted.**\n\n"
                } else {
                    "**Remember cookie set:** Flask-Login signs the user back in with it once \
                     the session is gone.\n\n"
                });
            } else if c.name == cookie_name && deleted {
                o.push_str("**Session cookie deleted:** its expiry is in the past.\n\n");
            } else if c.name == cookie_name {
                session(&mut o, "set", c.value, server_side, e.at, n, &mut seen);
            }
        }
        if r.header("Location").is_some() {
            // The lab follows a redirect at once, so the next exchange is the one.
            match log.get(i + 1).filter(|x| x.redirected_from == Some(e.id)) {
                Some(next) => {
                    o.push_str("**Redirect**, followed in request ");
                    push_num(&mut o, next.id + 1);
                    o.push_str(".\n\n");
                }
                None => {
                    o.push_str("**Redirect**, not followed: the lab stays on its mock server.\n\n")
                }
            }
        }
        for j in &e.jar_notes {
            note(&mut o, "Browser", j);
        }
    }
    o.push_str("---\n\nExported from Session Lab ");
    o.push_str(env!("CARGO_PKG_VERSION"));
    o.push_str(".\n");
    o
}

/// A session cookie's value taken apart, or a pointer to where it already was.
fn session(
    o: &mut String,
    verb: &str,
    value: &str,
    server_side: bool,
    now: i64,
    n: usize,
    seen: &mut Vec<(String, usize)>,
) {
    o.push_str("**Session cookie ");
    o.push_str(verb);
    o.push_str(":** ");
    // The last few values are enough to catch a cookie going back and forth, and keep a long
    // log linear.
    if let Some((_, first)) = seen.iter().rev().take(8).find(|(v, _)| v == value) {
        o.push_str("as in request ");
        push_num(o, *first);
        o.push_str(".\n\n");
        return;
    }
    seen.push((value.to_string(), n));
    // Each value by its own shape, not by how the app keeps sessions now: the learner may have
    // switched between cookie and store since this request.
    let Ok(seg) = Segments::split(value) else {
        o.push_str(if server_side {
            "an id; the data stays in the server's store.\n\n"
        } else {
            "not a Flask signed cookie.\n\n"
        });
        return;
    };
    o.push_str("signed ");
    match seg.timestamp_value() {
        Some(t) => o.push_str(&timestamp_text(t, now)),
        None => o.push_str("at an unreadable time"),
    }
    o.push_str(". Payload");
    if seg.compressed() {
        o.push_str(" (zlib-compressed)");
    }
    match decode_payload(seg.payload) {
        Ok(json) => {
            o.push_str(", read without the key:\n\n");
            fenced(o, "json", &json);
        }
        Err(err) => note(o, " unreadable", &err.to_string()),
    }
}

fn push_num(o: &mut String, n: usize) {
    o.push_str(&n.to_string());
}

/// `**label:** text.`, the text escaped; a `label` starting with a space goes after what is
/// already written, unbolded.
fn note(o: &mut String, label: &str, text: &str) {
    if let Some(plain) = label.strip_prefix(' ') {
        o.push(' ');
        o.push_str(plain);
        o.push_str(": ");
    } else {
        o.push_str("**");
        o.push_str(label);
        o.push_str(":** ");
    }
    push_escaped(o, text);
    if !text.ends_with('.') {
        o.push('.');
    }
    o.push_str("\n\n");
}

/// `text` as inline Markdown, after other text on its line, that shows exactly as written on
/// one line: what could start markup mid-line (code, emphasis, links, HTML, entities, tables,
/// math, a heading's closing `#`s) backslash-escaped, control characters as spaces.
fn push_escaped(o: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_ascii() && b"\\`*_[]<>&~|$#".contains(&(c as u8)) {
            o.push('\\');
            o.push(c);
        } else if c.is_control() {
            o.push(' ');
        } else {
            o.push(c);
        }
    }
}

/// A fenced code block whose fence is longer than any run of backticks in `body`, so nothing
/// in it can end the block early.
fn fenced(o: &mut String, info: &str, body: &str) {
    let (mut run, mut longest) = (0, 2);
    for b in body.bytes() {
        run = if b == b'`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    o.push_str(&fence);
    o.push_str(info);
    o.push('\n');
    o.push_str(body);
    if !body.ends_with('\n') {
        o.push('\n');
    }
    o.push_str(&fence);
    o.push_str("\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outgrow_the_backticks_inside() {
        let mut o = String::new();
        fenced(&mut o, "", "a ```` b\n```");
        assert_eq!(o, "`````\na ```` b\n```\n`````\n\n");
        let mut o = String::new();
        fenced(&mut o, "json", "{}");
        assert_eq!(o, "```json\n{}\n```\n\n");
    }

    #[test]
    fn inline_text_is_escaped() {
        let mut o = String::new();
        push_escaped(&mut o, "<b>\"x\"|`\n# é (a/b)");
        assert_eq!(o, "\\<b\\>\"x\"\\|\\` \\# é (a/b)");
    }

    #[test]
    fn notes_end_with_a_period() {
        let mut o = String::new();
        note(&mut o, "Server", "accepted");
        note(&mut o, " unreadable", "bad *base64*.");
        assert_eq!(
            o,
            "**Server:** accepted.\n\n unreadable: bad \\*base64\\*.\n\n"
        );
    }
}
