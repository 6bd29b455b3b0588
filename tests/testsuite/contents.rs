//! Contents pages and connections: the pocket handbook on one page, grouped contents, the
//! matrix of statements against the law, and each statement's map of its connections.

use std::collections::BTreeSet;
use std::fs;

use crate::common::{stderr, Fixture};
use crate::shared::sample;

/// A sample statement's front matter, as far as these tests need it.
struct Source {
    id: String,
    number: u32,
    title: String,
    short_title: Option<String>,
    group: Option<String>,
    wording: String,
    /// The ids of the instruments it cites, in order, once each.
    instruments: Vec<String>,
    related: Vec<String>,
}

/// A one-line value, or a folded (`>-`) one joined into one line.
fn value(front: &str, key: &str) -> Option<String> {
    let mut lines = front.lines();
    let first = lines.find_map(|l| l.strip_prefix(&format!("{key}: ")))?.trim().to_string();
    if first != ">-" {
        return Some(first);
    }
    let folded: Vec<&str> = lines.take_while(|l| l.starts_with("  ")).map(str::trim).collect();
    Some(folded.join(" "))
}

fn sources() -> Vec<Source> {
    let mut all = Vec::new();
    for entry in fs::read_dir(crate::common::repo().join("content/statements")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        let front = text.split("\n---\n").next().unwrap();
        let mut instruments = Vec::new();
        let cites = front.split("\ncites:\n").nth(1).unwrap();
        for line in cites.lines().take_while(|l| l.starts_with("  - ")) {
            let id = line.trim_start_matches("  - ").split(' ').next().unwrap().to_string();
            if !instruments.contains(&id) {
                instruments.push(id);
            }
        }
        let related = value(front, "related").unwrap();
        all.push(Source {
            id: value(front, "id").unwrap(),
            number: value(front, "number").unwrap().parse().unwrap(),
            title: value(front, "title").unwrap(),
            short_title: value(front, "short_title"),
            group: value(front, "group"),
            wording: value(front, "statement").unwrap(),
            instruments,
            related: related.trim_matches(['[', ']']).split(", ").map(str::to_string).collect(),
        });
    }
    all.sort_by_key(|s| s.number);
    all
}

fn page(path: &str) -> String {
    String::from_utf8(sample().files[path].clone()).unwrap()
}

/// The part of `html` from `start` up to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start:?} not found"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The law pages a piece of HTML links to, by instrument id, in order.
fn law_links(html: &str, edition: &str) -> Vec<String> {
    let marker = format!("{edition}/law/");
    html.match_indices(&marker)
        .map(|(at, _)| html[at + marker.len()..].split(".html").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_pocket_home_is_a_handbook_every_headline_grouped_with_its_law_and_wording() {
    let home = page("pocket/index.html");
    let sources = sources();
    let register: Vec<String> = fs::read_to_string(crate::common::repo().join("content/register.yaml"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("  - id: "))
        .map(|id| id.trim().to_string())
        .collect();
    // Groups in the order of their first statement, each a section with its heading.
    let mut groups: Vec<&str> = Vec::new();
    for s in &sources {
        let group = s.group.as_deref().expect("every sample statement has a group");
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    assert_eq!(groups.len(), 5, "{groups:?}");
    let sections: Vec<&str> =
        home.split("class=handbook-group>").skip(1).map(|s| s.split("</section>").next().unwrap()).collect();
    assert_eq!(sections.len(), groups.len(), "one section per group");
    for (section, group) in sections.iter().zip(&groups) {
        let heading = between(section, "<h2", "</h2>");
        assert!(heading.ends_with(&format!(">{}", group.replace('\'', "&#39;"))), "{heading}");
        let members: Vec<&Source> = sources.iter().filter(|s| s.group.as_deref() == Some(*group)).collect();
        let entries: Vec<&str> = section.split("class=handbook-statement").skip(1).collect();
        assert_eq!(entries.len(), members.len(), "{group}: its statements only");
        for (entry, s) in entries.iter().zip(members) {
            assert!(entry.starts_with(&format!(" id={} value={}", s.id, s.number)), "{group}: {entry:.80}");
            // The short title where there is one, and the exact wording.
            let title = s.short_title.as_deref().unwrap_or(&s.title);
            assert!(entry.contains(&format!("statements/{}.html>{}</a></h3>", s.id, title)), "{}: {entry:.300}", s.id);
            assert!(entry.contains(&s.wording), "{}: the statement as written", s.id);
            // Each instrument it cites once, linked to its law page, in register order (Acts,
            // then regulations, then guidance), and a link to the full page.
            let mut in_register_order = s.instruments.clone();
            in_register_order.sort_by_key(|id| register.iter().position(|r| r == id));
            assert_eq!(law_links(entry, "pocket"), in_register_order, "{}", s.id);
            assert!(entry.contains(&format!("commissioner/statements/{}.html", s.id)), "{}: full version", s.id);
        }
    }
    // The contents at the top lists the groups, linked to their sections.
    let contents = between(&home, "class=handbook-groups", "</nav>");
    assert_eq!(contents.matches("href=#group-").count(), groups.len(), "{contents}");
}

#[test]
fn the_commissioner_contents_lists_statements_under_their_groups() {
    let home = page("commissioner/index.html");
    assert_eq!(home.matches("class=contents-group").count(), 5);
    let health = between(&home, ">Health</h3>", "</ol>");
    let numbers: Vec<&str> =
        health.match_indices("value=").map(|(at, _)| health[at + 6..].split('>').next().unwrap()).collect();
    assert_eq!(numbers, ["4", "6", "7"], "{health}");
    // The easy read keeps one list, in order.
    assert!(!page("easy-read/index.html").contains("contents-group"));
}

#[test]
fn without_groups_the_contents_is_one_list_and_ungrouped_statements_come_last() {
    let fixture = Fixture::new();
    let run = fixture.build(&[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let home = fs::read_to_string(fixture.output().join("commissioner/index.html")).unwrap();
    assert!(!home.contains("contents-group"), "no groups, no group headings");
    assert_eq!(home.matches("<ol class=contents>").count(), 1);

    // Statement 2 in a group: it comes first, and statement 1 under "Other statements" after it.
    let qs2 = fs::read_to_string(fixture.content().join("statements/qs-2.md")).unwrap();
    fixture.write(
        "statements/qs-2.md",
        &qs2.replacen("title: Statement number 2\n", "title: Statement number 2\ngroup: Health\nshort_title: Two\n", 1),
    );
    let run = fixture.build(&[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let home = fs::read_to_string(fixture.output().join("commissioner/index.html")).unwrap();
    let health = home.find(">Health</h3>").expect("the group's heading");
    let other = home.find(">Other statements</h3>").expect("a heading for the rest");
    assert!(health < other);
    assert!(home[health..other].contains("qs-2.html") && home[other..].contains("qs-1.html"));
    // The pocket shows the short title; the commissioner edition the title.
    let pocket = fs::read_to_string(fixture.output().join("pocket/statements/qs-2.html")).unwrap();
    assert!(pocket.contains("<h1>Two</h1>"), "{pocket}");
    assert!(home.contains("Statement 2: Statement number 2"));
}

#[test]
fn the_connections_matrix_marks_each_instrument_each_statement_cites_and_counts_them() {
    let sources = sources();
    let matrix = page("commissioner/connections.html");
    let header = between(&matrix, "<thead>", "</thead>");
    for s in &sources {
        assert!(header.contains(&format!(
            "statements/{}.html><span class=visually-hidden>Statement </span>{}</a>",
            s.id, s.number
        )));
    }
    let mut rows = 0;
    let mut marks = 0;
    let mut cited: BTreeSet<&str> = BTreeSet::new();
    for s in &sources {
        cited.extend(s.instruments.iter().map(String::as_str));
    }
    for row in matrix.split("<tr>").skip(2).filter(|r| r.contains("scope=row")) {
        let instrument = law_links(row, "commissioner").remove(0);
        let cells: Vec<&str> = row.split("<td").skip(1).collect();
        // A cell per statement, and the count.
        assert_eq!(cells.len(), sources.len() + 1, "{instrument}");
        for (cell, s) in cells.iter().zip(&sources) {
            let expected = s.instruments.contains(&instrument);
            assert_eq!(cell.contains("matrix-cites"), expected, "{instrument} × {}", s.id);
            assert_eq!(cell.contains(">cites it"), expected, "{instrument} × {}: what a screen reader hears", s.id);
        }
        let count = sources.iter().filter(|s| s.instruments.contains(&instrument)).count();
        assert!(
            cells[sources.len()].starts_with(&format!(" class=matrix-count>{count}<")),
            "{instrument}: {}",
            cells[sources.len()]
        );
        assert!(cited.remove(instrument.as_str()), "{instrument} is listed once, and only if cited");
        rows += 1;
        marks += count;
    }
    assert!(cited.is_empty(), "every cited instrument has a row; missing {cited:?}");
    let citations: usize = sources.iter().map(|s| s.instruments.len()).sum();
    assert_eq!(marks, citations, "one mark per statement and instrument it cites ({rows} rows)");
    // The old tangle of lines is gone: no drawing, nothing that could cut a label off.
    assert!(!matrix.contains("<svg"));
}

#[test]
fn each_statement_page_maps_the_law_and_statements_it_connects_to() {
    for s in sources() {
        let html = page(&format!("commissioner/statements/{}.html", s.id));
        let map = between(&html, "class=map-section", "</section>");
        let law = between(map, "class=\"map-list map-law\"", "</ul>");
        assert_eq!(law_links(law, "commissioner"), s.instruments, "{}", s.id);
        let related = between(map, "class=\"map-list map-related\"", "</ul>");
        let linked: Vec<String> = related
            .match_indices("commissioner/statements/")
            .map(|(at, _)| related[at + 24..].split(".html").next().unwrap().to_string())
            .collect();
        assert_eq!(linked, s.related, "{}", s.id);
        assert!(map.contains(&format!("<span class=map-number>{}</span> {}</span>", s.number, s.title)), "{}", s.id);
        // The editions without the connections page keep a plain list.
        for edition in ["easy-read", "pocket"] {
            assert!(!page(&format!("{edition}/statements/{}.html", s.id)).contains("map-section"));
        }
    }
}

#[test]
fn a_group_spelt_nearly_like_another_is_warned_at_its_line() {
    let fixture = Fixture::new();
    let add_group = |id: &str, number: u32, group: &str| {
        let path = format!("statements/{id}.md");
        let text = fs::read_to_string(fixture.content().join(&path)).unwrap();
        let title = format!("title: Statement number {number}\n");
        fixture.write(&path, &text.replacen(&title, &format!("{title}group: {group}\n"), 1));
    };
    fixture.write("statements/qs-3.md", &crate::common::statement("qs-3", 3, &["children-act-1989 s22"], &[]));
    add_group("qs-1", 1, "Health");
    add_group("qs-2", 2, "Health");
    add_group("qs-3", 3, "Heath");
    let run = fixture.check();
    let messages = stderr(&run);
    assert!(
        messages.contains(
            "warning[similar-group]: the group `Heath` is spelt nearly like `Health`, which 2 statements use"
        ),
        "{messages}"
    );
    assert!(messages.contains("content/statements/qs-3.md:5:1"), "at the group's line: {messages}");
    assert!(messages.contains("write `group: Health`"), "{messages}");
    // A group of its own that is not a near spelling is left alone.
    add_group("qs-3", 3, "Leaving care");
    let text = fs::read_to_string(fixture.content().join("statements/qs-3.md")).unwrap();
    fixture.write("statements/qs-3.md", &text.replacen("group: Heath\n", "", 1));
    assert!(!stderr(&fixture.check()).contains("similar-group"));
}
