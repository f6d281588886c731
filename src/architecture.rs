//! The layers of the crate, kept by a test: no top-level module may use another that uses it
//! back, directly or through others, so that the pipeline reads bottom-up:
//!
//! ```text
//! main.rs, cli.rs                 arguments in, messages out (the library never prints)
//! serve/, check/, scaffold        commands
//! lib.rs                          build(): the engine, its state, the writer
//! pipeline/                       the engine every command runs, and its saved state
//! output                          staging, swap, lock
//! render/                         one job per output file, its context and its key
//! site/                           Site and its indexes
//! content/                        loading and parsing
//! config                          gazette.yaml
//! i18n                            the theme's words, dates and numbers per language
//! url, date, text, yaml, walk,    vocabulary and leaf helpers: Slug, UrlPath, Pattern,
//!   folders, clock                BaseUrl, links, dates, the site's folder names
//! error                           Diagnostic, with file:line:col
//! ```
//!
//! `main.rs` alone prints: the library returns values and reports events.
//!
//! An edge is any `crate::<module>` path, or a module named in a `use crate::{...}` group, in
//! the code of a module outside `#[cfg(test)]`: tests may reach anywhere.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// The files at the root of the crate that are not modules of the library's layers.
    const NOT_LAYERS: [&str; 3] = ["lib", "main", "cli"];

    /// From module to module, with the files that make the edge.
    type Edges = BTreeMap<(String, String), BTreeSet<String>>;

    /// The modules `code` names: `crate::x` paths and the top level of `use crate::{x, y::z}`.
    fn used_modules(code: &str) -> BTreeSet<String> {
        let mut used = BTreeSet::new();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                used.extend(group_heads(group));
            } else {
                used.insert(identifier(rest).to_string());
            }
        }
        used.retain(|m| !m.is_empty());
        used
    }

    /// The first identifier of each item of a `{...}` group, `group` starting after its `{`.
    fn group_heads(group: &str) -> Vec<String> {
        let (mut heads, mut depth, mut item_start) = (Vec::new(), 1, true);
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 1 => break,
                '}' => depth -= 1,
                ',' if depth == 1 => item_start = true,
                c if item_start && depth == 1 && !c.is_whitespace() => {
                    heads.push(identifier(&group[i..]).to_string());
                    item_start = false;
                }
                _ => {}
            }
        }
        heads
    }

    fn identifier(text: &str) -> &str {
        let end = text
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len());
        &text[..end]
    }

    /// The edges between `modules` made by `files`, each a path below src/ and its text.
    fn edges(modules: &BTreeSet<String>, files: &[(String, String)]) -> Edges {
        let mut edges = Edges::new();
        for (path, text) in files {
            let first = path.split('/').next().unwrap_or_default();
            let from = first.strip_suffix(".rs").unwrap_or(first);
            if !modules.contains(from) {
                continue;
            }
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for to in used_modules(code) {
                if to != from && modules.contains(&to) {
                    let edge = (from.to_string(), to);
                    edges.entry(edge).or_default().insert(path.clone());
                }
            }
        }
        edges
    }

    /// One cycle through each group of modules that reach each other, as the modules in order,
    /// the first repeated at the end.
    fn cycles(edges: &Edges) -> Vec<Vec<String>> {
        let next = |from: &str| -> Vec<String> {
            (edges.keys())
                .filter(|(f, _)| f == from)
                .map(|(_, to)| to.clone())
                .collect()
        };
        // The shortest way from `from` to `to`, breadth first.
        let path = |from: &str, to: &str| -> Option<Vec<String>> {
            let mut came_from: BTreeMap<String, String> = BTreeMap::new();
            let mut frontier = vec![from.to_string()];
            while !frontier.is_empty() {
                let mut further = Vec::new();
                for module in frontier {
                    for n in next(&module) {
                        if n == to {
                            let mut way = vec![n, module.clone()];
                            let mut at = module;
                            while let Some(before) = came_from.get(&at) {
                                way.push(before.clone());
                                at = before.clone();
                            }
                            way.reverse();
                            return Some(way);
                        }
                        if n != from && !came_from.contains_key(&n) {
                            came_from.insert(n.clone(), module.clone());
                            further.push(n);
                        }
                    }
                }
                frontier = further;
            }
            None
        };
        let modules: BTreeSet<&String> = edges.keys().map(|(from, _)| from).collect();
        let mut seen = BTreeSet::new();
        let mut found = Vec::new();
        for module in modules {
            if seen.contains(module) {
                continue;
            }
            if let Some(cycle) = path(module, module) {
                seen.extend(cycle.iter().cloned());
                found.push(cycle);
            }
        }
        found
    }

    /// Every `.rs` file below `dir`, as its path below `src` and its text.
    fn sources(src: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                sources(src, &path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.strip_prefix(src).unwrap().to_string_lossy();
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((name.replace('\\', "/"), text));
            }
        }
    }

    #[test]
    fn modules_use_each_other_in_no_cycle() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let modules: BTreeSet<String> = std::fs::read_dir(&src)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
            .filter(|m| !NOT_LAYERS.contains(&m.as_str()))
            .collect();
        let mut files = Vec::new();
        sources(&src, &src, &mut files);
        let edges = edges(&modules, &files);
        // The parsing finds what is plainly there, so that no cycle is missed for want of edges.
        let config = ("config".to_string(), "error".to_string());
        assert!(edges.contains_key(&config), "no edge found: {edges:?}");

        let report: Vec<String> = (cycles(&edges).iter())
            .map(|cycle| {
                let steps = cycle.windows(2).map(|w| {
                    let by = &edges[&(w[0].clone(), w[1].clone())];
                    let by: Vec<&str> = by.iter().map(String::as_str).collect();
                    format!("  {} -> {} (in {})", w[0], w[1], by.join(", "))
                });
                format!(
                    "{}:\n{}",
                    cycle.join(" -> "),
                    steps.collect::<Vec<_>>().join("\n")
                )
            })
            .collect();
        assert!(
            report.is_empty(),
            "modules that use each other in a circle; move what both need into a module below \
             them:\n{}",
            report.join("\n")
        );
    }

    /// The library never prints: it returns values and reports events, and `main.rs` decides
    /// what reaches the terminal.
    #[test]
    fn only_main_prints() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &src, &mut files);
        let printing = ["print!(", "println!(", "stdout()", "stderr()"];
        let printers: Vec<&str> = (files.iter())
            .filter(|(path, _)| path != "main.rs" && path != "cli.rs")
            .filter(|(_, text)| {
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                printing.iter().any(|p| code.contains(p))
            })
            .map(|(path, _)| path.as_str())
            .collect();
        assert!(
            printers.is_empty(),
            "library code that prints: {printers:?}"
        );
    }

    #[test]
    fn a_cycle_through_a_use_group_is_named() {
        let modules = ["config", "content", "error", "url"]
            .map(String::from)
            .into();
        let files = [
            ("config.rs", "use crate::{error::Diagnostic, url};\n"),
            ("content/mod.rs", "use crate::config::Settings;\n"),
            (
                "url/mod.rs",
                "use crate::{\n    content::{self, Article},\n};",
            ),
            ("error.rs", "#[cfg(test)]\nmod tests { use crate::config; }"),
        ]
        .map(|(p, t)| (p.to_string(), t.to_string()));
        let edges = edges(&modules, &files);
        let named: Vec<(&str, &str)> = (edges.keys())
            .map(|(f, t)| (f.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("config", "error"),
                ("config", "url"),
                ("content", "config"),
                ("url", "content")
            ]
        );
        assert_eq!(
            cycles(&edges),
            [["config", "url", "content", "config"].map(String::from)]
        );
    }
}
