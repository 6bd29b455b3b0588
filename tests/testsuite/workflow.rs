//! The content editor's workflow through the real binary: check, review, new and serve.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

fn run(fixture: &Fixture, args: &[&str]) -> std::process::Output {
    let mut command = guidepress(fixture.dir.path());
    command.args(args);
    if !args.contains(&"--content") {
        command.arg("--content").arg(fixture.content());
    }
    if args.first().is_some_and(|a| *a == "check") {
        command.arg("--theme").arg(default_theme());
    }
    command.output().expect("guidepress runs")
}

#[test]
fn check_reports_five_mistakes_in_three_files_with_line_column_and_suggestions() {
    let fixture = Fixture::new();
    // qs-1: a misspelt field name. qs-2: a misspelt citation and a misspelt picture.
    // rec-1: an unknown pinpoint and an empty `who`.
    write_five_mistakes(&fixture);
    let output = run(&fixture, &["check"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    for expected in [
        "statements/qs-1.md:13:1",
        "did you mean `who_to_ask`?",
        "statements/qs-2.md:31:5",
        "did you mean `children-act-1989`?",
        "statements/qs-2.md:24:5",
        "did you mean `help`?",
        "recommendations/rec-1.md:7:",
        "did you mean `s22C`?",
        "recommendations/rec-1.md:6:",
        "`who` is empty",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains("guidepress check: 5 errors"), "{err}");
    assert!(!fixture.output().exists(), "check must not write output");
}

#[test]
fn check_reports_all_five_mistakes_as_json_with_positions() {
    let fixture = Fixture::new();
    fixture.write(
        "statements/qs-1.md",
        &statement("qs-1", 1, &["children-act-1989 s99"], &["qs-7"]).replace("picture: help", "picture: hlep"),
    );
    fixture.write(
        "statements/qs-2.md",
        &statement("qs-2", 2, &["new-guidance-2015"], &[])
            .replace("recommendations: [rec-1]", "recommendations: [rec-2]"),
    );
    fixture.write("recommendations/rec-1.md", &RECOMMENDATION.replace("who:", "whom:"));
    let output = run(&fixture, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("check --format json prints JSON");
    let diagnostics = document["diagnostics"].as_array().unwrap();
    let errors: Vec<&serde_json::Value> = diagnostics.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 5, "{document:#}");
    let files: std::collections::BTreeSet<String> =
        errors.iter().map(|d| d["file"].as_str().unwrap().rsplit('/').take(2).collect::<Vec<_>>().join("<")).collect();
    assert_eq!(files.len(), 3, "{files:?}");
    for error in &errors {
        assert!(error["line"].as_u64().unwrap() > 0, "{error}");
        assert!(error["column"].as_u64().unwrap() > 0, "{error}");
        assert!(error["help"].is_string(), "{error}");
    }
    assert_eq!(document["ok"], false);
}

#[test]
fn check_is_clean_on_a_valid_publication_and_strict_counts_warnings() {
    let fixture = Fixture::new();
    let output = run(&fixture, &["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Edition coverage"), "{}", stdout(&output));
    fixture.write("statements/qs-1.md", &statement("qs-1", 1, &["children-act-1989 s22", "old-guidance-2009"], &[]));
    assert!(run(&fixture, &["check"]).status.success());
    let strict = run(&fixture, &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
    assert!(stderr(&strict).contains("not ready to publish"));
    let build = fixture.build(&["--strict"]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(!fixture.output().exists());
    fixture.write("site.yaml", &format!("{SITE}strict: true\n"));
    assert_eq!(run(&fixture, &["check"]).status.code(), Some(1), "strict: true in site.yaml counts warnings");
}

#[test]
fn changing_a_statement_makes_its_derived_texts_stale_until_reviewed() {
    let fixture = Fixture::new();
    let review = run(&fixture, &["review", "--all", "--done"]);
    assert!(review.status.success(), "{}", stderr(&review));
    assert!(fixture.content().join("reviews.yaml").is_file());
    // Every derived text was just marked reviewed, and the fixture has no other warning.
    let err = stderr(&run(&fixture, &["check"]));
    assert!(!err.contains("stale-text"), "{err}");
    assert!(err.ends_with("guidepress check: 0 errors and 0 warnings: ready to publish\n"), "{err}");

    let text = fs::read_to_string(fixture.content().join("statements/qs-1.md")).unwrap();
    fixture.write(
        "statements/qs-1.md",
        &text.replace(
            "statement: Children in care get statement 1.",
            "statement: Children in care and care leavers get statement 1.",
        ),
    );
    let output = run(&fixture, &["check"]);
    let err = stderr(&output);
    assert!(output.status.success(), "stale texts are warnings: {err}");
    for field in [
        "headline",
        "plain",
        "audiences.commissioners",
        "audiences.providers",
        "audiences.carers",
        "audiences.young_people",
        "easy_read",
    ] {
        assert!(
            err.contains(&format!("the `{field}` text of qs-1 was written for an earlier wording")),
            "{field} not flagged:\n{err}"
        );
    }
    assert!(err.contains("Children in care {+and care leavers+} get statement 1."), "no word diff:\n{err}");
    assert!(stdout(&output).contains("stale"), "coverage report shows stale: {}", stdout(&output));

    let shown = run(&fixture, &["review", "qs-1"]);
    assert!(
        stdout(&shown).contains("change 1: Children in care {+and care leavers+} get statement 1."),
        "{}",
        stdout(&shown)
    );
    assert!(stdout(&shown).contains("carers         stale"), "{}", stdout(&shown));

    let partial = run(&fixture, &["review", "qs-1", "--done", "--text", "carers"]);
    assert!(partial.status.success(), "{}", stderr(&partial));
    let err = stderr(&run(&fixture, &["check"]));
    assert!(!err.contains("`audiences.carers` text of qs-1"), "{err}");
    assert!(err.contains("`headline` text of qs-1"), "{err}");

    assert!(run(&fixture, &["review", "qs-1", "--done"]).status.success());
    let err = stderr(&run(&fixture, &["check", "--strict"]));
    assert!(!err.contains("stale-text"), "{err}");

    let unknown = run(&fixture, &["review", "qs-9"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("no statement with the id `qs-9`"));
}

#[test]
fn a_new_statement_starts_valid_and_appears_in_every_edition() {
    let fixture = Fixture::new();
    let output = run(&fixture, &["new", "statement", "--title", "Mental health support"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("qs-3"), "{}", stdout(&output));
    assert!(fixture.content().join("statements/qs-03-mental-health-support.md").is_file());

    // Valid at once, except that its texts are still to be written: one error for the file,
    // listing every marked line, and nothing else (its placeholder words are not linted).
    let check = run(&fixture, &["check"]);
    let err = stderr(&check);
    assert_eq!(check.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error[").count(), 1, "{err}");
    assert!(
        err.contains("error[placeholder]: 17 texts still marked FILL IN, so this file cannot be published"),
        "{err}"
    );
    assert!(err.contains("(lines 7, 9, 10, "), "{err}");
    assert!(err.contains("1 error and 0 warnings: not ready to publish"), "{err}");

    // Never published by a plain build; the previous output stays as it was.
    let build = fixture.build(&[]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(!fixture.output().exists(), "nothing was written");

    // A draft build publishes it, and every page says it is a draft.
    let build = fixture.build(&["--draft"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(stderr(&build).contains("warning[placeholder]"), "{}", stderr(&build));
    for edition in ["commissioner", "carer", "easy-read", "pocket"] {
        let page = fs::read_to_string(fixture.output().join(edition).join("statements/qs-3.html")).unwrap();
        // The easy-read edition shows the easy-read title, still to be written.
        let title = if edition == "easy-read" { "the title in young people" } else { "Mental health support" };
        assert!(page.contains(title), "{edition}");
        assert!(page.contains("<strong>Draft.</strong> This is not the published guidance"), "{edition}");
    }
    let landing = fs::read_to_string(fixture.output().join("index.html")).unwrap();
    assert!(landing.contains("class=draft-banner"), "every page, the landing page too");

    for (kind, title, file) in [
        ("recommendation", "Joint working", "recommendations/rec-02-joint-working.md"),
        ("citation", "Mental Health Act 1983", "register.yaml"),
        ("term", "key worker", "glossary.yaml"),
    ] {
        let output = run(&fixture, &["new", kind, "--title", title]);
        assert!(output.status.success(), "{kind}: {}", stderr(&output));
        assert!(fixture.content().join(file).is_file(), "{kind}");
    }
    let register = fs::read_to_string(fixture.content().join("register.yaml")).unwrap();
    assert!(register.contains("id: mental-health-act-1983") && register.contains("year: 1983"), "{register}");
    // Each new item is valid but for its texts still to write: one placeholder error per file
    // (the statement, the recommendation, the register and the glossary), and nothing else.
    let check = run(&fixture, &["check"]);
    let err = stderr(&check);
    assert_eq!(err.matches("error[placeholder]").count(), 4, "{err}");
    assert_eq!(err.matches("error[").count(), 4, "{err}");
}

#[test]
fn build_timings_name_every_stage_and_the_slowest_pages() {
    let fixture = Fixture::new();
    let output = fixture.build(&["--timings"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stderr(&output);
    for stage in ["load:", "model:", "render:", "write: swap in the new output", "total", "slowest page:"] {
        assert!(report.contains(stage), "no `{stage}` in:\n{report}");
    }
    assert!(report.contains("MiB peak") || !cfg!(target_os = "linux"), "{report}");
}

#[test]
fn every_command_has_help_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["build", "check", "serve", "new", "review", "init"] {
        let output = guidepress(dir.path()).args([command, "--help"]).output().unwrap();
        assert!(output.status.success(), "{command}");
        let text = stdout(&output);
        assert!(text.contains("Example"), "{command} --help has no example:\n{text}");
    }
    let output = guidepress(dir.path()).args(["new", "chapter"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("possible values"), "{}", stderr(&output));
}

/// A running `guidepress serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(fixture: &Fixture) -> Server {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("guidepress"))
        .current_dir(fixture.dir.path())
        .arg("serve")
        .arg("--port")
        .arg("0")
        .arg("--content")
        .arg(fixture.content())
        .arg("--theme")
        .arg(default_theme())
        .arg("--output")
        .arg(fixture.output())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout piped");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("serve prints its address").expect("readable");
    let address = first
        .split("http://")
        .nth(1)
        .expect("an http address")
        .trim_end_matches(|c: char| c != '/')
        .trim_end_matches('/')
        .to_string();
    // Keep draining stdout so the server never blocks on a full pipe; tests may read the lines.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    Server { child, address, lines: receiver }
}

impl Server {
    /// The next line `serve` prints that contains `text`, skipping others.
    fn line_with(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("serve printed no line with {text:?} within 120 s");
    }
}

fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect to serve");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if condition() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn serve_rebuilds_on_change_and_shows_errors_over_the_page_until_fixed() {
    let fixture = Fixture::new();
    let server = start_server(&fixture);
    let address = server.address.clone();
    wait_for("the first build", || get(&address, "/carer/statements/qs-1.html").0 == 200);
    let (_, page) = get(&address, "/carer/statements/qs-1.html");
    assert!(page.contains("Statement number 1"));
    assert!(page.contains("/__guidepress/status"), "the reload script is injected");
    let version = |address: &str| -> u64 {
        let (_, body) = get(address, "/__guidepress/status");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["version"].as_u64().unwrap()
    };
    // The first build's version: serve moves it once the build is written and announced.
    server.line_with("rendered");
    let first_version = version(&address);

    let text = statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"])
        .replace("title: Statement number 1", "title: A changed title")
        .replace("easy_read_title: Your help number 1", "easy_read_title: A changed title");
    fixture.write("statements/qs-1.md", &text);
    wait_for("the rebuilt page", || get(&address, "/carer/statements/qs-1.html").1.contains("A changed title"));
    // Serve writes an update's pages, then moves the version: the carer page can be on disk a
    // moment before the version moves (and the easy-read page is written after it).
    wait_for("the version to move, so open pages reload", || version(&address) > first_version);
    assert!(fs::read_to_string(fixture.output().join("easy-read/statements/qs-1.html"))
        .unwrap()
        .contains("A changed title"));
    // Pages that do not show qs-1 were not rewritten.
    assert!(get(&address, "/carer/glossary.html").1.contains("Glossary"));

    fixture.write("statements/qs-1.md", &text.replace("number: 1", "number: [1"));
    wait_for("the error overlay", || get(&address, "/index.html").1.contains("guidepress-overlay"));
    let (_, status) = get(&address, "/__guidepress/status");
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["ok"], false);
    assert!(status["problems"].as_str().unwrap().contains("qs-1.md:3:"), "{status}");
    assert!(get(&address, "/carer/statements/qs-1.html").1.contains("A changed title"), "the last good site stays");

    fixture.write("statements/qs-1.md", &text);
    wait_for("the overlay to clear", || !get(&address, "/index.html").1.contains("guidepress-overlay"));
    assert_eq!(get(&address, "/../../etc/passwd").0, 404);
    drop(server);
}

#[test]
fn serve_shows_an_edited_statement_at_once_and_then_matches_a_full_build() {
    let fixture = Fixture::new();
    let server = start_server(&fixture);
    server.line_with("rendered");

    // An edit to a statement's text: its own pages first, then everything that lists it.
    let text = statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"])
        .replace("title: Statement number 1", "title: A quick title");
    fixture.save("statements/qs-1.md", &text);
    let quick = server.line_with("guidepress: updated");
    assert!(quick.contains("of the edited statement") && quick.contains("qs-1.md"), "{quick}");
    assert!(fs::read_to_string(fixture.output().join("carer/statements/qs-1.html")).unwrap().contains("A quick title"));
    server.line_with("rendered");
    // The neighbour's page names qs-1 by its title, and is only updated by the full rebuild.
    assert!(fs::read_to_string(fixture.output().join("carer/statements/qs-2.html")).unwrap().contains("A quick title"));

    // A changed number moves the statement: no quick update, only the full rebuild.
    assert!(text.contains("number: 1\n"));
    fixture.save("statements/qs-1.md", &text.replace("number: 1\n", "number: 3\n"));
    let line = server.line_with("guidepress:");
    assert!(line.contains("rendered"), "no quick update for a changed number: {line}");
    fixture.save("statements/qs-1.md", &text);
    let line = server.line_with("guidepress:");
    assert!(line.contains("rendered"), "the last build had this statement under another number: {line}");

    // What serve left on disk is what a full build makes of the same content.
    let built = fixture.dir.path().join("built");
    let output = run(
        &fixture,
        &["build", "--quiet", "--theme", default_theme().to_str().unwrap(), "--output", built.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let (served, built) = (snapshot(&fixture.output()), snapshot(&built));
    assert_eq!(served.keys().collect::<Vec<_>>(), built.keys().collect::<Vec<_>>());
    for (path, bytes) in &built {
        assert!(served.get(path) == Some(bytes), "{path} differs between serve and build");
    }
    drop(server);
}

/// Reads one HTTP/1.1 response (head and `Content-Length` body) from a kept-alive connection.
fn read_response(reader: &mut BufReader<TcpStream>) -> (u16, Vec<u8>) {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a status line");
    let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).expect("a header line");
        if line.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().expect("a length");
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the body");
    (status, body)
}

/// Reads until the server closes the connection, or `limit` passes. Returns the bytes read and
/// whether the server closed it.
fn drain(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    stream.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let started = Instant::now();
    let mut read = Vec::new();
    let mut chunk = vec![0; 1 << 16];
    while started.elapsed() < limit {
        match stream.read(&mut chunk) {
            Ok(0) => return (read, true),
            Ok(n) => read.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return (read, true),
        }
    }
    (read, false)
}

#[test]
fn serve_answers_other_clients_while_some_misbehave() {
    let fixture = Fixture::new();
    let server = start_server(&fixture);
    let address = server.address.clone();
    server.line_with("rendered");
    let big_page = "/commissioner/print.html";
    let (status, body) = get(&address, big_page);
    assert_eq!(status, 200);

    // One client pipelines requests for the largest page in one write and never reads: 300, or
    // more when the page is small, so that the answers (16 MiB) cannot all wait in the sockets'
    // buffers and the server's writes stall.
    let pipelined = (16 << 20) / body.len().max(1) + 1;
    let pipelined = pipelined.max(300);
    let attack_started = Instant::now();
    let mut pipeliner = TcpStream::connect(&address).unwrap();
    let requests = format!("GET {big_page} HTTP/1.1\r\nHost: {address}\r\n\r\n").repeat(pipelined);
    pipeliner.write_all(requests.as_bytes()).unwrap();

    // Five clients send a request head one byte every 200 ms, for at most 10 s.
    let slow: Vec<_> = (0..5)
        .map(|_| {
            let address = address.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&address).unwrap();
                let head = format!("GET / HTTP/1.1\r\nHost: {address}\r\nX-Slow: {}\r\n", "a".repeat(40));
                let started = Instant::now();
                for byte in head.bytes() {
                    if stream.write_all(&[byte]).is_err() {
                        return Some(started.elapsed());
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
                None
            })
        })
        .collect();

    // 300 connections open and idle, more than the 256 serve keeps: the oldest are asked to close
    // (an idle one closes at once), so the newest, with a request on its way, is served.
    let mut idle: Vec<TcpStream> = (0..300).map(|_| TcpStream::connect(&address).unwrap()).collect();
    let (_, closed) = drain(&mut idle[0], Duration::from_secs(2));
    assert!(closed, "the oldest idle connection was not closed when the cap was reached");

    // Meanwhile a fresh client's request is answered, every time, well within a second.
    let mut waits = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let mut stream = TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let waited = started.elapsed();
        assert!(
            response.starts_with(b"HTTP/1.1 200"),
            "{:?}",
            String::from_utf8_lossy(&response[..response.len().min(200)])
        );
        // A generous bound: this checks the server is not frozen, not how fast it is (benches/).
        assert!(waited < Duration::from_secs(2), "a fresh client waited {waited:?} while others misbehaved");
        waits.push(waited);
        std::thread::sleep(Duration::from_millis(250));
    }
    waits.sort();
    eprintln!("fresh clients under attack: median {:?}, max {:?}", waits[waits.len() / 2], waits[waits.len() - 1]);

    // A kept-alive connection answers request after request.
    let stream = TcpStream::connect(&address).unwrap();
    stream.set_nodelay(true).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut times = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        write!(writer, "GET /__guidepress/status HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
        let (status, body) = read_response(&mut reader);
        times.push(started.elapsed());
        assert_eq!(status, 200);
        assert!(String::from_utf8_lossy(&body).contains("\"version\""));
    }
    times.sort();
    eprintln!(
        "keep-alive requests during the test: median {:?}, max {:?}",
        times[times.len() / 2],
        times[times.len() - 1]
    );

    // The slow senders were cut off by the head timeout (5 s), before they finished.
    for client in slow {
        let cut = client.join().unwrap();
        assert!(cut.is_some_and(|after| after < Duration::from_secs(9)), "a slow client was not cut off: {cut:?}");
    }
    // The pipeliner was dropped once its responses had waited 5 s to be read: it gets fewer than
    // the 300 answers and then the end of the connection.
    std::thread::sleep(Duration::from_secs(8).saturating_sub(attack_started.elapsed()));
    let (read, closed) = drain(&mut pipeliner, Duration::from_secs(30));
    let answers = read.windows(9).filter(|w| w == b"HTTP/1.1 ").count();
    assert!(closed, "the client that never read is still connected");
    assert!(answers < pipelined, "the client that never read got all {answers} answers");
    eprintln!("the client that never read got {answers} of {pipelined} answers before it was dropped");
    drop(idle);
    assert_eq!(get(&address, "/").0, 200);
    drop(server);
}

/// A loopback web server for the external-link check: `/ok` answers 200, anything else 404.
fn tiny_web_server() -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let handle = std::thread::spawn(move || {
        listener.set_nonblocking(false).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut request = [0u8; 2048];
            let n = stream.read(&mut request).unwrap_or(0);
            let line = String::from_utf8_lossy(&request[..n]).lines().next().unwrap_or("").to_string();
            let path = line.split_whitespace().nth(1).unwrap_or("");
            let status = if path == "/stop" || path == "/ok" { "200 OK" } else { "404 Not Found" };
            let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            if path == "/stop" || Instant::now() > deadline {
                break;
            }
        }
    });
    (address, handle)
}

#[test]
fn check_external_reports_addresses_that_do_not_answer() {
    let (address, server) = tiny_web_server();
    let fixture = Fixture::new();
    let register = REGISTER
        .replace("url: https://www.legislation.gov.uk/ukpga/1989/41\n", &format!("url: http://{address}/ok\n"))
        .replace(
            "url: https://www.legislation.gov.uk/ukpga/1989/41/section/22C\n",
            &format!("url: http://{address}/gone\n"),
        );
    fixture.write("register.yaml", &register);
    let output = run(&fixture, &["check", "--external"]);
    let err = stderr(&output);
    let _ = TcpStream::connect(&address).and_then(|mut s| write!(s, "GET /stop HTTP/1.1\r\n\r\n"));
    let _ = server.join();
    assert!(output.status.success(), "broken external links are warnings: {err}");
    assert!(
        err.contains(&format!(
            "warning[external-link]: the address http://{address}/gone does not work: it answered 404"
        )),
        "{err}"
    );
    assert!(!err.contains(&format!("http://{address}/ok does not work")), "{err}");
    assert!(err.contains("register.yaml:"), "{err}");
    // The register's 5 addresses: the 3 instruments' own and the 2 pinpoints that have one.
    assert!(err.lines().any(|l| l == "note: checked 5 web addresses"), "{err}");
}

#[test]
fn init_starts_a_publication_that_builds_and_checks_clean_from_inside_its_folder() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let started = guidepress(dir.path()).args(["init", "fostering-guide"]).output().expect("guidepress runs");
    assert!(started.status.success(), "{}", stderr(&started));
    assert!(stdout(&started).contains("cd fostering-guide && guidepress serve"), "{}", stdout(&started));
    let publication = dir.path().join("fostering-guide");
    let site = fs::read_to_string(publication.join("content/site.yaml")).expect("site.yaml written");
    assert!(site.contains("title: \"Fostering guide\""), "{site}");
    assert!(publication.join("content/README.md").is_file(), "the editors' guide comes with it");

    // Built from inside the folder, with no flags, as an editor would: no errors, no warnings.
    let checked = guidepress(&publication).arg("check").output().expect("guidepress runs");
    assert!(stderr(&checked).contains("0 errors and 0 warnings"), "{}", stderr(&checked));
    let built = guidepress(&publication).arg("build").output().expect("guidepress runs");
    assert!(built.status.success(), "{}", stderr(&built));
    let contents = fs::read_to_string(publication.join("output/commissioner/index.html")).expect("built");
    assert!(contents.contains("Fostering guide"));
    assert!(publication.join("output/easy-read/statements").is_dir());

    // A second init never writes over an editor's files.
    let again = guidepress(dir.path()).args(["init", "fostering-guide", "--sample"]).output().expect("runs");
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already has files in it"), "{}", stderr(&again));
    assert_eq!(fs::read_to_string(publication.join("content/site.yaml")).expect("kept"), site);

    // --sample writes the whole sample: twelve statements.
    let whole = guidepress(dir.path()).args(["init", "sample-copy", "--sample"]).output().expect("runs");
    assert!(whole.status.success(), "{}", stderr(&whole));
    let statements = fs::read_dir(dir.path().join("sample-copy/content/statements")).expect("written").count();
    assert_eq!(statements, 12);
}

#[test]
fn serve_starts_again_on_a_newer_save_instead_of_finishing_a_stale_rebuild() {
    let fixture = Fixture::new();
    // Enough statements that a rebuild (contents, print pages, law pages) takes a while.
    for n in 3..=300 {
        fixture.write(
            &format!("statements/qs-{n}.md"),
            &statement(&format!("qs-{n}"), n, &["children-act-1989 s22"], &[]),
        );
    }
    let server = start_server(&fixture);
    server.line_with("rendered");

    let text = statement("qs-1", 1, &["children-act-1989 s22"], &["qs-2"]);
    fixture.save("statements/qs-1.md", &text.replace("title: Statement number 1", "title: The first save"));
    // The quick update is printed just before the rebuild of every page that lists qs-1 starts:
    // a save now lands while that rebuild runs.
    server.line_with("now updating the pages that list it");
    fixture.save("statements/qs-1.md", &text.replace("title: Statement number 1", "title: The newest save"));
    server.line_with("a newer save arrived; rebuilding from it instead");
    let line = server.line_with("rendered");
    assert!(line.contains("qs-1.md"), "{line}");
    // The stale rebuild wrote nothing: every page that lists qs-1 shows the newest save.
    for page in ["carer/index.html", "carer/print.html", "carer/statements/qs-2.html", "carer/statements/qs-1.html"] {
        let html = fs::read_to_string(fixture.output().join(page)).unwrap();
        assert!(html.contains("The newest save") && !html.contains("The first save"), "{page}");
    }
    drop(server);
}
