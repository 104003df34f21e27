//! The amendments log: from the git history of `protocols/`, which rules and paragraphs changed
//! in each commit, and when. Without git history (a copy of the files rather than a clone) the
//! page says so and the build goes on.

use super::esc;
use handbook_content::Library;
use handbook_content::markdown::parse_chapter;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One commit's changes to one protocol.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    pub rules_added: Vec<String>,
    pub rules_changed: Vec<String>,
    pub rules_removed: Vec<String>,
    pub rules_reviewed: Vec<String>,
    pub paragraphs_added: Vec<String>,
    pub paragraphs_changed: Vec<String>,
    pub paragraphs_removed: Vec<String>,
    pub other: Vec<String>,
}

impl Change {
    fn is_empty(&self) -> bool {
        *self == Change::default()
    }
}

type Table = BTreeMap<String, toml::Table>;

fn rules_of(text: Option<&str>) -> Table {
    let Some(text) = text else {
        return Table::new();
    };
    let Ok(v) = toml::from_str::<toml::Table>(text) else {
        return Table::new();
    };
    v.get("rule")
        .and_then(|r| r.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_table())
                .filter_map(|t| Some((t.get("id")?.as_str()?.to_string(), t.clone())))
                .collect()
        })
        .unwrap_or_default()
}

fn paragraphs_of(path: &str, text: Option<&str>) -> BTreeMap<String, String> {
    text.and_then(|t| parse_chapter(path, "x", t).ok())
        .map(|c| c.paragraphs.into_iter().map(|p| (p.id, p.text)).collect())
        .unwrap_or_default()
}

fn diff<V: PartialEq>(
    old: &BTreeMap<String, V>,
    new: &BTreeMap<String, V>,
    added: &mut Vec<String>,
    changed: &mut Vec<String>,
    removed: &mut Vec<String>,
) {
    for (k, v) in new {
        match old.get(k) {
            None => added.push(k.clone()),
            Some(o) if o != v => changed.push(k.clone()),
            _ => {}
        }
    }
    removed.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
}

/// One commit's changes, by protocol id.
fn commit_changes(root: &Path, commit: &str) -> BTreeMap<String, Change> {
    let mut out: BTreeMap<String, Change> = BTreeMap::new();
    let Some(files) = git(
        root,
        &[
            "diff-tree",
            "-r",
            "--root",
            "--no-commit-id",
            "--name-only",
            commit,
            "--",
            "protocols",
        ],
    ) else {
        return out;
    };
    for path in files.lines() {
        let mut parts = path.split('/');
        let (Some("protocols"), Some(id), Some(file)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let change = out.entry(id.to_string()).or_default();
        let new = git(root, &["show", &format!("{commit}:{path}")]);
        let old = git(root, &["show", &format!("{commit}^:{path}")]);
        if file == "rules.toml" {
            let (o, n) = (rules_of(old.as_deref()), rules_of(new.as_deref()));
            let mut changed = Vec::new();
            diff(
                &o,
                &n,
                &mut change.rules_added,
                &mut changed,
                &mut change.rules_removed,
            );
            for id in changed {
                // A change only to `checksum` and `reviewed` is a review, not an amendment.
                let strip = |t: Option<&toml::Table>| {
                    t.map(|t| {
                        let mut t = t.clone();
                        t.remove("checksum");
                        t.remove("reviewed");
                        t
                    })
                };
                if strip(o.get(&id)) == strip(n.get(&id)) {
                    change.rules_reviewed.push(id);
                } else {
                    change.rules_changed.push(id);
                }
            }
        } else if file.ends_with(".md") {
            let (o, n) = (
                paragraphs_of(path, old.as_deref()),
                paragraphs_of(path, new.as_deref()),
            );
            diff(
                &o,
                &n,
                &mut change.paragraphs_added,
                &mut change.paragraphs_changed,
                &mut change.paragraphs_removed,
            );
        } else {
            change.other.push(file.to_string());
        }
    }
    out.retain(|_, c| !c.is_empty());
    out
}

/// What a commit changed never changes, so each commit's changes are worked out once (two
/// `git show`s and a parse per file it touched, most of this page's time) and kept in a file
/// in the target folder. Raise [`CACHE_VERSION`] when what [`commit_changes`] finds changes.
const CACHE_VERSION: u32 = 1;

#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Cache {
    version: u32,
    commits: BTreeMap<String, BTreeMap<String, Change>>,
}

fn read_cache(path: Option<&Path>) -> Cache {
    path.and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str::<Cache>(&t).ok())
        .filter(|c| c.version == CACHE_VERSION)
        .unwrap_or_default()
}

fn list(label: &str, ids: &[String], link: impl Fn(&str) -> String) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = ids.iter().take(12).map(|i| link(i)).collect();
    let more = if ids.len() > 12 {
        format!(" and {} more", ids.len() - 12)
    } else {
        String::new()
    };
    format!(
        "<li>{label} ({}): {}{more}</li>",
        ids.len(),
        shown.join(", ")
    )
}

/// The page. `cache` is the file that keeps each commit's changes between builds (none: work
/// every commit out).
pub fn page(lib: &Library, root: &Path, r: &str, cache: Option<&Path>) -> String {
    let mut s = String::from(
        "# Amendments log\n\nWhat changed in the protocols' text and rules, and when, taken from the handbook's version history on each build. Changes to a paragraph's wording are listed by paragraph; changes to the checker's rules by rule. A rule marked *reviewed* was re-read against its paragraph without being changed.\n\n",
    );
    let log = git(
        root,
        &[
            "log",
            "--no-merges",
            "--format=%H%x09%cs%x09%s",
            "--",
            "protocols",
        ],
    );
    let Some(log) = log.filter(|l| !l.trim().is_empty()) else {
        s.push_str("<div class=\"mcph-warning\" role=\"note\"><p><strong>No history available.</strong> This copy of the handbook was built without its version history (it was not built from a git clone), so the amendments cannot be listed. Build from a clone of the repository to see them.</p></div>\n");
        return s;
    };
    let mut known = read_cache(cache);
    let mut learnt = false;
    for line in log.lines() {
        let mut f = line.splitn(3, '\t');
        let (Some(commit), Some(date), Some(subject)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let changes = match known.commits.get(commit) {
            Some(c) => c.clone(),
            None => {
                let c = commit_changes(root, commit);
                known.commits.insert(commit.to_string(), c.clone());
                learnt = true;
                c
            }
        };
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "## {date}: {}\n\n<p class=\"mcph-commit\">Version <code>{}</code></p>\n",
            subject.replace(['<', '>', '[', ']'], ""),
            esc(commit.get(..10).unwrap_or(commit))
        );
        s.push_str("<ul class=\"mcph-amendments\">");
        for (id, c) in &changes {
            let Some(p) = lib.get(id) else {
                let _ = write!(
                    s,
                    "<li>{}: a protocol no longer in the handbook</li>",
                    esc(id)
                );
                continue;
            };
            let para = |pid: &str| {
                let link = p.protocol.link(pid);
                if link.is_empty() {
                    esc(pid)
                } else {
                    format!("<a href=\"{r}{}\">{}</a>", esc(&link), esc(pid))
                }
            };
            let rule = |rid: &str| {
                if p.protocol.rule(rid).is_some() {
                    format!(
                        "<a href=\"{r}protocols/{}/traceability.html#rule-{}\">{}</a>",
                        p.id,
                        esc(rid),
                        esc(rid)
                    )
                } else {
                    format!("<code>{}</code>", esc(rid))
                }
            };
            let _ = write!(s, "<li><strong>{}</strong><ul>", esc(&p.meta.short_title));
            s.push_str(&list("Paragraphs added", &c.paragraphs_added, para));
            s.push_str(&list("Paragraphs reworded", &c.paragraphs_changed, para));
            s.push_str(&list("Paragraphs removed", &c.paragraphs_removed, |x| {
                esc(x)
            }));
            s.push_str(&list("Rules added", &c.rules_added, rule));
            s.push_str(&list("Rules changed", &c.rules_changed, rule));
            s.push_str(&list("Rules removed", &c.rules_removed, |x| {
                format!("<code>{}</code>", esc(x))
            }));
            s.push_str(&list("Rules reviewed", &c.rules_reviewed, rule));
            s.push_str(&list("Other files", &c.other, |x| {
                format!("<code>{}</code>", esc(x))
            }));
            s.push_str("</ul></li>");
        }
        s.push_str("</ul>\n\n");
    }
    if let (true, Some(path)) = (learnt, cache) {
        known.version = CACHE_VERSION;
        // A cache that cannot be written costs only time on the next build.
        if let Ok(text) = serde_json::to_string(&known) {
            let _ = std::fs::write(path, text);
        }
    }
    s
}
