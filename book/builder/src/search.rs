//! Search, after mdBook has written its one elasticlunr index: the index is split into one
//! shard per kind of page (the protocols' own text, training cases, other views and pages),
//! so that a first query on a phone loads the protocols' text only, and mdBook's search script
//! is replaced by `theme/search.js`, which ranks the protocols' text first, offers filters by
//! protocol and by kind, and finds the protocols' different words for one thing.
//!
//! mdBook's `searchindex-<hash>.js` (which every page already points at) becomes the
//! catalogue: every indexed address, which shard holds it, and the shards' file names.

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The kinds of page, in the order their results are shown (and their shards loaded).
pub const KINDS: [&str; 3] = ["text", "views", "training"];

/// Which kind of page an indexed address is: a protocol's chapter (`protocols/<id>/NN-...`),
/// a training page, or anything else (the generated views and the handbook's own pages).
pub fn kind(url: &str) -> &'static str {
    let page = url.split('#').next().unwrap_or_default();
    let file = page.rsplit('/').next().unwrap_or_default();
    if page.starts_with("protocols/")
        && file.len() > 3
        && file.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        && file.as_bytes()[2] == b'-'
    {
        "text"
    } else if file.starts_with("training") {
        "training"
    } else {
        "views"
    }
}

/// The JSON inside mdBook's `window.search = Object.assign(window.search, JSON.parse('...'));`
/// (mdBook doubled every backslash and escaped every `'`).
fn unwrap_index(js: &str) -> Result<Value> {
    let start = js
        .find("JSON.parse('")
        .context("the search index has no JSON.parse('")?
        + "JSON.parse('".len();
    let end = js
        .rfind("'));")
        .context("the search index does not end with '));")?;
    if end < start {
        bail!("the search index is malformed");
    }
    let mut text = String::with_capacity(end - start);
    let mut chars = js[start..end].chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                text.push(next);
            }
        } else {
            text.push(c);
        }
    }
    serde_json::from_str(&text).context("the search index's JSON")
}

/// A script that hands `value` to a call opened by `call` (same escaping as mdBook's).
fn wrap(call: &str, value: &Value) -> String {
    let json = value.to_string();
    format!(
        "{call}JSON.parse('{}'));\n",
        json.replace('\\', "\\\\").replace('\'', "\\'")
    )
}

/// The inverted index's node with only the documents in `keep` (renamed to their new refs);
/// `None` when nothing is left under it.
fn prune(node: &Value, keep: &BTreeMap<String, String>) -> Option<Value> {
    let obj = node.as_object()?;
    let mut out = Map::new();
    let mut docs = Map::new();
    if let Some(d) = obj.get("docs").and_then(Value::as_object) {
        for (r, tf) in d {
            if let Some(new) = keep.get(r) {
                docs.insert(new.clone(), tf.clone());
            }
        }
    }
    for (k, v) in obj {
        if k == "docs" || k == "df" {
            continue;
        }
        if let Some(child) = prune(v, keep) {
            out.insert(k.clone(), child);
        }
    }
    if docs.is_empty() && out.is_empty() {
        return None;
    }
    out.insert("df".into(), json!(docs.len()));
    out.insert("docs".into(), Value::Object(docs));
    Some(Value::Object(out))
}

/// One shard: mdBook's index with only the documents of one kind, refs renumbered from 0;
/// `urls` the catalogue's numbers of those documents, in order. Built from the parts it keeps,
/// not from a copy of the whole index (copying it for each shard was most of the split's time).
fn shard(index: &Value, ids: &[usize]) -> Result<Value> {
    let keep: BTreeMap<String, String> = ids
        .iter()
        .enumerate()
        .map(|(new, old)| (old.to_string(), new.to_string()))
        .collect();
    let whole = index
        .as_object()
        .context("the search index is not an object")?;
    let store = whole
        .get("documentStore")
        .and_then(Value::as_object)
        .context("the search index has no documentStore")?;
    let mut new_store = Map::new();
    for (key, value) in store {
        if key == "docs" || key == "docInfo" {
            let mut kept = Map::new();
            let old = value.as_object().with_context(|| {
                format!("the search index's documentStore.{key} is not an object")
            })?;
            for (old_ref, new_ref) in &keep {
                if let Some(v) = old.get(old_ref) {
                    kept.insert(new_ref.clone(), v.clone());
                }
            }
            new_store.insert(key.clone(), Value::Object(kept));
        } else if key != "length" {
            new_store.insert(key.clone(), value.clone());
        }
    }
    for key in ["docs", "docInfo"] {
        if !new_store.contains_key(key) {
            bail!("the search index has no documentStore.{key}");
        }
    }
    new_store.insert("length".into(), json!(ids.len()));
    let fields = whole
        .get("index")
        .and_then(Value::as_object)
        .context("the search index has no index")?;
    let mut new_fields = Map::new();
    for (name, field) in fields {
        let mut new_field = Map::new();
        if let Some(parts) = field.as_object() {
            for (key, value) in parts {
                if key != "root" {
                    new_field.insert(key.clone(), value.clone());
                }
            }
        }
        let pruned = field
            .get("root")
            .and_then(|root| prune(root, &keep))
            .unwrap_or(json!({"docs": {}, "df": 0}));
        new_field.insert("root".into(), pruned);
        new_fields.insert(name.clone(), Value::Object(new_field));
    }
    let mut out = Map::new();
    for (key, value) in whole {
        if key != "documentStore" && key != "index" {
            out.insert(key.clone(), value.clone());
        }
    }
    out.insert("documentStore".into(), Value::Object(new_store));
    out.insert("index".into(), Value::Object(new_fields));
    Ok(json!({ "urls": ids, "index": out }))
}

/// What [`run`] wrote, for the build's report.
#[derive(Debug, Default)]
pub struct Report {
    /// Kind, file (relative to the site), bytes.
    pub shards: Vec<(String, String, usize)>,
    pub catalogue: usize,
    pub before: usize,
}

/// Splits mdBook's index in `out` into shards and writes the catalogue and the search script
/// (`script`, the text of `theme/search.js`) in place of mdBook's. `protocols` are the
/// protocols' ids and short names, for the filter.
pub fn run(out: &Path, script: &str, protocols: &[(String, String)]) -> Result<Report> {
    let mut index_file = None;
    let mut searcher = None;
    for entry in fs::read_dir(out).with_context(|| format!("cannot read {}", out.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.starts_with("searchindex") && name.ends_with(".json") {
            fs::remove_file(&path).with_context(|| format!("cannot delete {}", path.display()))?;
        } else if name.starts_with("searchindex") && name.ends_with(".js") {
            index_file = Some(path);
        } else if name.starts_with("searcher") && name.ends_with(".js") {
            searcher = Some(path);
        }
    }
    let (Some(index_file), Some(searcher)) = (index_file, searcher) else {
        bail!("mdBook wrote no search index or no search script (is search enabled in book.toml?)");
    };
    let js = fs::read_to_string(&index_file)
        .with_context(|| format!("cannot read {}", index_file.display()))?;
    let whole = unwrap_index(&js)?;
    let urls: Vec<String> = whole
        .get("doc_urls")
        .and_then(Value::as_array)
        .context("the search index has no doc_urls")?
        .iter()
        .map(|u| u.as_str().unwrap_or_default().to_string())
        .collect();
    let index = whole
        .get("index")
        .context("the search index has no index")?;
    let dir = out.join("search");
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut report = Report {
        before: js.len(),
        ..Report::default()
    };
    let mut files = Map::new();
    for k in KINDS {
        let ids: Vec<usize> = (0..urls.len()).filter(|&i| kind(&urls[i]) == k).collect();
        let text = wrap(
            &format!("window.mcphSearch.shard('{k}', "),
            &shard(index, &ids)?,
        );
        let name = format!(
            "search/{k}-{}.js",
            &crate::fingerprint::hash(text.as_bytes())[..12]
        );
        fs::write(out.join(&name), &text).with_context(|| format!("cannot write {name}"))?;
        report
            .shards
            .push((k.to_string(), name.clone(), text.len()));
        files.insert(k.into(), json!(name));
    }
    let catalogue = json!({
        "results_options": whole.get("results_options"),
        "search_options": whole.get("search_options"),
        "doc_urls": urls,
        "shards": files,
        "order": KINDS,
        "protocols": protocols.iter().map(|(id, name)| json!([id, name])).collect::<Vec<_>>(),
    });
    let text = wrap("window.mcphSearch.catalogue(", &catalogue);
    report.catalogue = text.len();
    fs::write(&index_file, text)
        .with_context(|| format!("cannot write {}", index_file.display()))?;
    fs::write(&searcher, script).with_context(|| format!("cannot write {}", searcher.display()))?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_sorted_into_kinds() {
        assert_eq!(
            kind("protocols/wandsworth/24-return-home-conversation.html#x"),
            "text"
        );
        assert_eq!(
            kind("protocols/wandsworth/training.html#case-1"),
            "training"
        );
        assert_eq!(kind("views/training.html"), "training");
        assert_eq!(kind("protocols/wandsworth/flowcharts.html"), "views");
        assert_eq!(kind("protocols/wandsworth/index.html"), "views");
        assert_eq!(kind("introduction.html"), "views");
    }

    #[test]
    fn an_index_splits_into_shards_that_keep_only_their_documents() {
        let index = json!({
            "documentStore": {"docs": {"0": {"title": "a"}, "1": {"title": "b"}},
                              "docInfo": {"0": {"title": 1}, "1": {"title": 1}}, "length": 2},
            "index": {"title": {"root": {"docs": {}, "df": 0,
                "a": {"docs": {"0": {"tf": 1.0}}, "df": 1},
                "b": {"docs": {"1": {"tf": 1.0}}, "df": 1}}}}
        });
        let s = shard(&index, &[1]).expect("a shard");
        assert_eq!(s["urls"], json!([1]));
        assert_eq!(
            s["index"]["documentStore"]["docs"],
            json!({"0": {"title": "b"}})
        );
        let root = &s["index"]["index"]["title"]["root"];
        assert!(root.get("a").is_none());
        assert_eq!(root["b"], json!({"docs": {"0": {"tf": 1.0}}, "df": 1}));
    }

    #[test]
    fn the_index_round_trips_through_its_script() {
        let v = json!({"a": "it's a \\ \"quote\""});
        let js = wrap("window.search = Object.assign(window.search, ", &v);
        assert_eq!(unwrap_index(&js).expect("parsed"), v);
    }
}
