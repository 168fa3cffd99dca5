//! The shape of the crate, checked from its source: which module may use which.
//!
//! Every file under `src/` (the binaries aside) is parsed with `syn`, and every path it uses
//! (`use` trees and paths in code, outside `#[cfg(test)]` items) is resolved to the module
//! that defines it. From those edges:
//!
//! - the engine's modules form no import cycle;
//! - each part of the engine uses only the libraries below it, as the Python packages do
//!   (`py` at the bottom, then `itsdangerous` and `werkzeug`, then `flask`, then the
//!   extensions `flask_session` and `flask_login`, then the tutorial `apps`);
//! - the rooms of the crate are layered one way: `engine` < `client` < `lab` < `browser` <
//!   `ui`, and nothing below `browser` touches a browser API (web-sys, js-sys, wasm-bindgen,
//!   yew).
//!
//! Run it alone with `cargo test --test architecture`; it is part of `make test`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// A module of the crate, as its path from the crate root (`engine::flask::app`).
type Module = Vec<String>;

fn name(m: &[String]) -> String {
    if m.is_empty() {
        "crate".to_string()
    } else {
        m.join("::")
    }
}

/// One source file and the module it is.
struct SourceFile {
    path: PathBuf,
    module: Module,
    ast: syn::File,
}

fn source_files() -> Vec<SourceFile> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&src, &mut paths);
    paths
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&src).expect("under src/");
            let rel = rel.to_string_lossy().replace('\\', "/");
            // The binaries are crates of their own.
            if rel == "main.rs" || rel.starts_with("bin/") {
                return None;
            }
            let module: Module = if rel == "lib.rs" {
                Vec::new()
            } else {
                rel.trim_end_matches(".rs")
                    .split('/')
                    .map(str::to_string)
                    .collect()
            };
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            let ast = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            Some(SourceFile { path, module, ast })
        })
        .collect()
}

/// Whether an item is compiled only for tests.
fn test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// Collects the paths a file uses, each resolved against the module it appears in.
struct Uses<'a> {
    /// The module the visitor is in (the file's, plus inline `mod`s).
    here: Module,
    modules: &'a BTreeSet<Module>,
    /// Absolute paths (from the crate root) and external paths (`web_sys::...`), as written.
    found: Vec<Vec<String>>,
}

impl Uses<'_> {
    fn resolve(&self, segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        let mut base: Module = match first.as_str() {
            "crate" => Vec::new(),
            "self" => self.here.clone(),
            "super" => {
                let mut m = self.here.clone();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    m.pop();
                    rest = &rest[1..];
                }
                m.extend(rest.iter().cloned());
                return Some(m);
            }
            _ => {
                // A child module named without `self::`, or an external crate.
                let mut child = self.here.clone();
                child.push(first.clone());
                if self.modules.contains(&child) {
                    child.extend(segments[1..].iter().cloned());
                    return Some(child);
                }
                return Some([vec!["::extern".to_string()], segments.to_vec()].concat());
            }
        };
        base.extend(segments[1..].iter().cloned());
        Some(base)
    }

    fn record(&mut self, segments: Vec<String>) {
        if let Some(p) = self.resolve(&segments) {
            self.found.push(p);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                if n.ident != "self" {
                    full.push(n.ident.to_string());
                }
                self.record(full);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                if r.ident != "self" {
                    full.push(r.ident.to_string());
                }
                self.record(full);
            }
            syn::UseTree::Glob(_) => self.record(prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Uses<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if test_only(attrs) {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if m.content.is_none() {
            return; // `pub mod x;` declares a module; it does not use it.
        }
        self.here.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
        self.here.pop();
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        if u.leading_colon.is_some() {
            prefix.push("::extern".to_string());
        }
        self.use_tree(&mut prefix, &u.tree);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 || segments.first().is_some_and(|s| s == "crate") {
            self.record(segments);
        }
        syn::visit::visit_path(self, p);
    }
}

/// The crate's modules, and for each the modules and external crates it uses.
struct Graph {
    files: BTreeMap<Module, PathBuf>,
    edges: BTreeMap<Module, BTreeSet<Module>>,
    externals: BTreeMap<Module, BTreeSet<String>>,
}

fn graph() -> Graph {
    let sources = source_files();
    let modules: BTreeSet<Module> = sources.iter().map(|f| f.module.clone()).collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    let mut externals: BTreeMap<Module, BTreeSet<String>> = BTreeMap::new();
    for file in &sources {
        let mut uses = Uses {
            here: file.module.clone(),
            modules: &modules,
            found: Vec::new(),
        };
        uses.visit_file(&file.ast);
        for path in uses.found {
            if path.first().is_some_and(|s| s == "::extern") {
                if let Some(krate) = path.get(1) {
                    externals
                        .entry(file.module.clone())
                        .or_default()
                        .insert(krate.clone());
                }
                continue;
            }
            // The longest prefix that is a module: where the item lives.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|m| modules.contains(m))
                .expect("the crate root is a module");
            if target != file.module && !target.is_empty() {
                edges.entry(file.module.clone()).or_default().insert(target);
            }
        }
    }
    Graph {
        files: sources.into_iter().map(|f| (f.module, f.path)).collect(),
        edges,
        externals,
    }
}

fn under(m: &[String], prefix: &[&str]) -> bool {
    m.len() >= prefix.len() && m.iter().zip(prefix).all(|(a, b)| a == b)
}

/// The first cycle among `nodes`, if any, as a path that returns to its start.
fn find_cycle(
    edges: &BTreeMap<Module, BTreeSet<Module>>,
    nodes: &BTreeSet<Module>,
) -> Option<Vec<Module>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn dfs(
        n: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        nodes: &BTreeSet<Module>,
        marks: &mut BTreeMap<Module, Mark>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        marks.insert(n.clone(), Mark::Open);
        stack.push(n.clone());
        for next in edges
            .get(n)
            .into_iter()
            .flatten()
            .filter(|m| nodes.contains(*m))
        {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let start = stack.iter().position(|m| m == next).expect("on the stack");
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(c) = dfs(next, edges, nodes, marks, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(n.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for n in nodes {
        if !marks.contains_key(n) {
            if let Some(c) = dfs(n, edges, nodes, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_engine_has_no_import_cycle() {
    let g = graph();
    let engine: BTreeSet<Module> = g
        .files
        .keys()
        .filter(|m| under(m, &["engine"]))
        .cloned()
        .collect();
    assert!(
        engine.len() > 20,
        "the engine's modules were found: {engine:?}"
    );
    if let Some(cycle) = find_cycle(&g.edges, &engine) {
        let text: Vec<String> = cycle.iter().map(|m| name(m)).collect();
        panic!("import cycle in the engine: {}", text.join(" -> "));
    }
}

/// Each part of the engine, and the parts it may use besides itself.
const ENGINE_LAYERS: [(&str, &[&str]); 7] = [
    ("py", &[]),
    ("itsdangerous", &["py"]),
    ("werkzeug", &["py"]),
    ("flask", &["py", "itsdangerous", "werkzeug"]),
    (
        "flask_session",
        &["py", "itsdangerous", "werkzeug", "flask"],
    ),
    ("flask_login", &["py", "itsdangerous", "werkzeug", "flask"]),
    (
        "apps",
        &[
            "py",
            "itsdangerous",
            "werkzeug",
            "flask",
            "flask_session",
            "flask_login",
        ],
    ),
];

/// Each room of the crate, and the rooms it may use besides itself.
const ROOMS: [(&str, &[&str]); 5] = [
    ("engine", &[]),
    ("client", &["engine"]),
    ("lab", &["engine", "client"]),
    ("browser", &["engine", "client", "lab"]),
    ("ui", &["engine", "client", "lab", "browser"]),
];

fn check_layers(g: &Graph, within: &[&str], layers: &[(&str, &[&str])]) -> Vec<String> {
    let mut wrong = Vec::new();
    let layer_of = |m: &Module| -> Option<&str> {
        layers
            .iter()
            .map(|(l, _)| *l)
            .find(|l| under(m, &[within, &[*l]].concat()))
    };
    for (from, targets) in &g.edges {
        let Some(from_layer) = layer_of(from) else {
            continue;
        };
        let allowed = layers
            .iter()
            .find(|(l, _)| *l == from_layer)
            .map(|(_, a)| *a)
            .expect("a known layer");
        for to in targets {
            if !under(to, within) {
                if within.is_empty() {
                    continue;
                }
                wrong.push(format!(
                    "{} uses {}, outside {}",
                    name(from),
                    name(to),
                    within.join("::")
                ));
                continue;
            }
            match layer_of(to) {
                Some(l) if l == from_layer || allowed.contains(&l) => {}
                Some(l) => wrong.push(format!(
                    "{} ({from_layer}) uses {} ({l}): {from_layer} may use only {allowed:?}",
                    name(from),
                    name(to)
                )),
                None => {}
            }
        }
    }
    wrong
}

#[test]
fn each_part_of_the_engine_uses_only_the_libraries_below_it() {
    let wrong = check_layers(&graph(), &["engine"], &ENGINE_LAYERS);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_rooms_are_layered_one_way() {
    let wrong = check_layers(&graph(), &[], &ROOMS);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn only_the_browser_adapters_and_the_ui_touch_browser_apis() {
    const BROWSER_CRATES: [&str; 4] = ["web_sys", "js_sys", "wasm_bindgen", "yew"];
    let g = graph();
    let mut wrong = Vec::new();
    for (module, crates) in &g.externals {
        let platform_free = ["engine", "client", "lab"]
            .iter()
            .any(|room| under(module, &[room]));
        for krate in crates
            .iter()
            .filter(|k| BROWSER_CRATES.contains(&k.as_str()))
        {
            if platform_free {
                wrong.push(format!("{} uses {krate}", name(module)));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The check can see such uses at all: the adapters do use web-sys.
    assert!(g
        .externals
        .get(&vec!["browser".to_string(), "cookies".to_string()])
        .is_some_and(|c| c.contains("web_sys")));
}

/// Where `id` occurs in `text` as a whole id (not as the start of a longer one, as `seed-000`
/// is of `seed-000-login`).
fn names(text: &str, id: &str) -> bool {
    let part_of_id = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + id.len()..].chars().next();
        !before.is_some_and(part_of_id) && !after.is_some_and(part_of_id)
    })
}

#[test]
fn only_a_scenarios_own_file_names_its_id() {
    use session_lab::lab::scenarios::ALL;
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a readable directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut wrong = Vec::new();
    for scenario in ALL {
        let file_name = scenario.id.replace('-', "_");
        let own = format!("lab/scenarios/{file_name}.rs");
        // The app of the same name may say which scenario it is.
        let app = format!("engine/apps/{file_name}.rs");
        let mut found_own = false;
        for path in &files {
            let rel = path
                .strip_prefix(&src)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(path).expect("a readable file");
            if !names(&text, scenario.id) {
                continue;
            }
            if rel == own {
                found_own = true;
            } else if rel != app {
                wrong.push(format!("src/{rel} names the scenario {:?}", scenario.id));
            }
        }
        // The search does find ids: every scenario's own file names it.
        assert!(found_own, "src/{own} should name {:?}", scenario.id);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
