//! `guidepress serve`: build, serve the output on 127.0.0.1, watch the content and theme, and
//! rebuild on every change, rendering only the pages the change affects.
//!
//! Pages are served from the output folder as written, with a small script added on the way out
//! that reloads the page after each rebuild. When the content has errors, the output is left as
//! it was and every page shows the diagnostics over it until the file is fixed.
//!
//! The HTTP server (hyper on a tokio runtime of its own threads) bounds what each connection can
//! hold: the time to send a request head, the time a response may wait for the client to read
//! it, and the number of connections open at once. No client can stop it answering the others.

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use codespan_reporting::term::termcolor::NoColor;
use http_body_util::Full;
use hyper::body::{Body, Bytes, Incoming};
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use notify::{RecursiveMode, Watcher};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;

use crate::commands::build;
use crate::diagnostics::{Diagnostics, SourceMap};
use crate::pipeline::{self, BuildOptions, Changes, Site};
use crate::text::markdown::escape;
use crate::write::{self, OutputFile, WriteError};

/// Where the status endpoint is served; the reload script polls it.
pub const STATUS_PATH: &str = "/__guidepress/status";

/// How long to wait for more file events before rebuilding, so one save is one rebuild.
const SETTLE: Duration = Duration::from_millis(25);

/// How long a client may take to send a request head, counted from when the server starts
/// waiting for it. This stops slow senders (slowloris), and closes idle keep-alive connections.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a response may wait for the client to read it before the connection is dropped, so
/// a client that sends requests and never reads the answers holds nothing for long.
const WRITE_STALL: Duration = Duration::from_secs(5);

/// Connections kept open at once; a browser keeps about six per site. A new connection beyond
/// this asks the oldest to close, so a flood of idle connections cannot lock a browser out.
const MAX_CONNECTIONS: usize = 256;

/// Sockets open at once, counting connections asked to close that are still finishing (at most
/// [`WRITE_STALL`] or [`HEAD_TIMEOUT`]). Beyond it a new connection gets a 503 and is closed at
/// once, so none waits in a queue.
const MAX_SOCKETS: usize = 2 * MAX_CONNECTIONS;

/// The most a connection buffers of request heads (hyper's minimum is 8 KiB).
const MAX_BUFFER: usize = 64 * 1024;

/// What a connection over [`MAX_SOCKETS`] is sent before it is closed.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\nRetry-After: 1\r\nConnection: close\r\n\r\nToo many connections\n";

/// What the browser needs to know: has the site changed, and are there problems to show?
#[derive(Debug, Default)]
struct Status {
    version: u64,
    /// The diagnostics as text while the content has errors.
    problems: Option<String>,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The output folder was refused or could not be prepared.
    Output(WriteError),
    /// The port could not be listened on (what was being done, and why).
    Bind(&'static str, std::io::Error),
    /// A folder could not be watched for changes.
    Watch(String, notify::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Output(e) => write!(f, "{e}"),
            ServeError::Bind(what, e) => write!(f, "could not {what}: {e}"),
            ServeError::Watch(what, e) => write!(f, "could not watch {what} for changes: {e}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::Output(e) => Some(e),
            ServeError::Bind(_, e) => Some(e),
            ServeError::Watch(_, e) => Some(e),
        }
    }
}

fn diagnostics_text(diagnostics: &Diagnostics, sources: &SourceMap) -> String {
    let mut buffer = NoColor::new(Vec::new());
    let _ = diagnostics.emit(sources, &mut buffer);
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}

/// Runs the server until the process is stopped. Prints the address on the first line of
/// standard output, then one line per rebuild.
pub fn serve(options: &BuildOptions, port: u16, open: bool) -> Result<(), ServeError> {
    let sources: Vec<PathBuf> = [options.content.clone(), options.theme.clone()]
        .into_iter()
        .flatten()
        .chain([PathBuf::from("content"), PathBuf::from("themes/default")])
        .filter(|p| p.exists())
        .collect();
    let source_refs: Vec<&Path> = sources.iter().map(PathBuf::as_path).collect();
    let target =
        write::OutputTarget::resolve(&options.output, &source_refs, options.force).map_err(ServeError::Output)?;
    // From here on every write goes to what the path really is, never to its spelling.
    let options = &BuildOptions { output: target.path().to_path_buf(), ..options.clone() };

    let status = Arc::new(Mutex::new(Status::default()));
    let mut current: Option<Site> = None;

    // Listen first, so the address is known (and printed) before the first build finishes.
    let listener =
        std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| ServeError::Bind("listen on 127.0.0.1", e))?;
    listener.set_nonblocking(true).map_err(|e| ServeError::Bind("listen on 127.0.0.1", e))?;
    let address = listener.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| format!("127.0.0.1:{port}"));
    // Two workers for the connections; file reads run on the blocking pool beside them.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(8)
        .thread_name("guidepress-http")
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| ServeError::Bind("start the server", e))?;
    println!("guidepress: serving {} at http://{address}/ (press Ctrl-C to stop)", options.output.display());
    let _ = std::io::stdout().flush();

    let output: Arc<Path> = options.output.clone().into();
    let server_status = Arc::clone(&status);
    std::thread::spawn(move || runtime.block_on(accept(listener, output, server_status)));

    // Watch before the first build, so that a file saved while it runs is not missed. Each save
    // also marks the build under way as stale, so that it stops and the newest save is built.
    let (sender, events) = mpsc::channel();
    let superseded = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&superseded);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.as_ref().is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
            flag.store(true, Ordering::Relaxed);
        }
        let _ = sender.send(event);
    })
    .map_err(|e| ServeError::Watch("the content".to_string(), e))?;
    let mut notes = Vec::new();
    let roots =
        [pipeline::content_root(&options.content, &mut notes), pipeline::theme_root(&options.theme, &mut notes)];
    let mut watched: Vec<(PathBuf, String)> = Vec::new();
    for (root, label) in roots {
        if let crate::source::Root::Dir(dir) = root {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| ServeError::Watch(dir.display().to_string(), e))?;
            let canonical = dir.canonicalize().unwrap_or(dir);
            watched.push((canonical, label));
        }
    }
    rebuild(options, &mut current, None, &status);
    // Opened after the first build, so the browser finds pages (or the problems) at once.
    if open {
        let url = format!("http://{address}/");
        if let Err(error) = opener::open_browser(&url) {
            let _ = writeln!(std::io::stderr(), "note: could not open a web browser ({error}): open {url} yourself");
        }
    }

    let options = &BuildOptions { superseded: Some(Arc::clone(&superseded)), ..options.clone() };
    let settled = |first, changed: &mut BTreeSet<String>| {
        let mut batch = vec![first];
        while let Ok(more) = events.recv_timeout(SETTLE) {
            batch.push(more);
        }
        changed.extend(
            batch
                .into_iter()
                .filter_map(Result::ok)
                .filter(|event| !matches!(event.kind, notify::EventKind::Access(_)))
                .flat_map(|event| event.paths)
                .filter_map(|path| source_name(&path, &watched)),
        );
    };
    while let Ok(first) = events.recv() {
        let mut changed = BTreeSet::new();
        settled(first, &mut changed);
        if changed.is_empty() {
            continue;
        }
        loop {
            superseded.store(false, Ordering::Relaxed);
            quick_rerender(options, &mut current, &changed, &status);
            if rebuild(options, &mut current, Some(&changed), &status) == Rebuilt::Finished {
                break;
            }
            // A newer save made this rebuild stale: start again with every file changed so far.
            println!("guidepress: a newer save arrived; rebuilding from it instead");
            let _ = std::io::stdout().flush();
            match events.recv_timeout(SETTLE) {
                Ok(next) => settled(next, &mut changed),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }
    Ok(())
}

/// The name diagnostics use for a changed file, or `None` for files the build ignores.
fn source_name(path: &Path, watched: &[(PathBuf, String)]) -> Option<String> {
    let canonical = path
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(path.file_name().unwrap_or_default()))
        .unwrap_or_else(|| path.to_path_buf());
    for (root, label) in watched {
        if let Ok(rel) = canonical.strip_prefix(root) {
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            if rel.is_empty()
                || rel.iter().any(|part| part.starts_with('.'))
                || rel.last().is_some_and(|n| n.ends_with('~'))
            {
                return None;
            }
            // Editors and tools save through short-lived temporary files; a file that is gone and
            // could never have been content is not a change to rebuild for.
            let could_be_source =
                rel.last().is_some_and(|n| [".md", ".yaml", ".svg", ".html", ".css"].iter().any(|e| n.ends_with(e)));
            if !path.exists() && !could_be_source {
                return None;
            }
            return Some(format!("{}/{}", label.trim_end_matches('/'), rel.join("/")));
        }
    }
    None
}

/// Shows an edit to statement files at once: re-renders the edited statements' own pages
/// against the kept model and writes them, before the full rebuild updates every page that lists
/// them (indexes, neighbours, print pages). Does nothing when the edit is anything else, when the
/// last build failed, or when the edited file has problems: the rebuild then handles it alone.
fn quick_rerender(
    options: &BuildOptions,
    current: &mut Option<Site>,
    changed: &BTreeSet<String>,
    status: &Arc<Mutex<Status>>,
) {
    let started = Instant::now();
    let Some(site) = current.as_mut() else { return };
    let healthy = match status.lock() {
        Ok(state) => state.problems.is_none(),
        Err(_) => false,
    };
    let strict = options.strict || site.strict;
    let Some(kept) = site.kept.as_mut().filter(|_| healthy) else { return };
    let mut diagnostics = Diagnostics::new();
    let Ok(pages) = pipeline::rerender_statements(kept, changed, options.base_url.as_deref(), &mut diagnostics) else {
        return;
    };
    if build::fails(&diagnostics, strict) {
        return;
    }
    let mut written = 0;
    for (path, bytes) in pages {
        if site.files.get(&path) == Some(&bytes) {
            continue;
        }
        if write::replace_file(&options.output, &path, &bytes).is_err() {
            // The full rebuild that follows writes the page again and reports the failure.
            return;
        }
        site.files.insert(path, bytes);
        written += 1;
    }
    if written > 0 {
        match status.lock() {
            Ok(mut state) => state.version += 1,
            Err(poisoned) => poisoned.into_inner().version += 1,
        }
    }
    let what = changed.iter().cloned().collect::<Vec<_>>().join(", ");
    println!("guidepress: updated {written} page{} of the edited statement in {} ms ({what}); now updating the pages that list it", if written == 1 { "" } else { "s" }, started.elapsed().as_millis());
    let _ = std::io::stdout().flush();
}

/// How a rebuild ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rebuilt {
    /// It wrote the site, or showed the problems that stopped it.
    Finished,
    /// A newer save arrived while it ran: it stopped, wrote nothing and changed no status.
    Superseded,
}

/// Builds the site again (only what `changed` touches, when given) and writes what differs.
fn rebuild(
    options: &BuildOptions,
    current: &mut Option<Site>,
    changed: Option<&BTreeSet<String>>,
    status: &Arc<Mutex<Status>>,
) -> Rebuilt {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let mut sources = SourceMap::default();
    let mut notes = Vec::new();
    let changes = match (current.as_ref(), changed) {
        (Some(previous), Some(files)) => Some(Changes { previous, files }),
        _ => None,
    };
    let site = pipeline::render_site(
        options,
        changes.as_ref(),
        &mut diagnostics,
        &mut sources,
        &mut notes,
        &pipeline::Destination::Memory,
    );
    if options.is_superseded() {
        return Rebuilt::Superseded;
    }
    let strict = options.strict || site.as_ref().is_some_and(|s| s.strict);
    let mut stderr = std::io::stderr();
    for note in notes.iter().filter(|_| current.is_none()) {
        let _ = writeln!(stderr, "note: {note}");
    }
    let text = diagnostics_text(&diagnostics, &sources);
    if !text.is_empty() {
        let _ = write!(stderr, "{text}");
    }
    let mut state = match status.lock() {
        Ok(state) => state,
        Err(poisoned) => poisoned.into_inner(),
    };
    match site {
        Some(site) if !build::fails(&diagnostics, strict) => {
            let written = match current.as_ref() {
                Some(previous) => write::update(&options.output, &previous.files, &site.files),
                None => {
                    let files: Vec<OutputFile> = site
                        .files
                        .iter()
                        .map(|(path, bytes)| OutputFile { path: path.clone(), bytes: bytes.clone() })
                        .collect();
                    write::publish(&options.output, &files).map(|()| files.len())
                }
            };
            match written {
                Ok(count) => {
                    let what = changed
                        .map(|c| c.iter().cloned().collect::<Vec<_>>().join(", "))
                        .unwrap_or_else(|| "first build".to_string());
                    println!(
                        "guidepress: rendered {} page{}, wrote {count} file{} in {} ms ({what})",
                        site.rendered.len(),
                        if site.rendered.len() == 1 { "" } else { "s" },
                        if count == 1 { "" } else { "s" },
                        started.elapsed().as_millis()
                    );
                    let _ = std::io::stdout().flush();
                    *current = Some(site);
                    state.problems = None;
                }
                Err(error) => state.problems = Some(format!("could not write the output: {error}")),
            }
        }
        _ => {
            let (errors, warnings) = diagnostics.counts();
            let _ = writeln!(stderr, "guidepress: {errors} error(s) and {warnings} warning(s); the pages show them until the files are fixed");
            state.problems = Some(if text.is_empty() { "The build failed.".to_string() } else { text });
        }
    }
    state.version += 1;
    Rebuilt::Finished
}

/// Accepts connections until the process stops, each served on its own task within the bounds
/// above.
async fn accept(listener: std::net::TcpListener, output: Arc<Path>, status: Arc<Mutex<Status>>) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("guidepress: the server could not start: {error}");
            return;
        }
    };
    let sockets = Arc::new(AtomicUsize::new(0));
    let open = Arc::new(Mutex::new(Open::default()));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEAD_TIMEOUT).max_buf_size(MAX_BUFFER).keep_alive(true);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors, or a connection reset before it was accepted: wait a
                // little for connections to close rather than spin.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        // Without it, Nagle's algorithm and the client's delayed ACK hold a response for ~40 ms.
        let _ = stream.set_nodelay(true);
        let Some(slot) = Slot::take(&sockets) else {
            // `try_write` never waits; a client whose buffer is full just sees the close.
            let _ = stream.try_write(BUSY);
            continue;
        };
        let (output, status) = (Arc::clone(&output), Arc::clone(&status));
        let service =
            hyper::service::service_fn(move |request| handle(request, Arc::clone(&output), Arc::clone(&status)));
        let connection = http.serve_connection(TokioIo::new(Guarded::new(stream)), service);
        let (id, closing) = lock(&open).admit();
        let open = Arc::clone(&open);
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let mut asked = std::pin::pin!(closing.notified());
            let mut shutting = false;
            // A failed connection (timed out, reset, malformed) concerns that client only.
            let _ = std::future::poll_fn(|cx| {
                if !shutting && asked.as_mut().poll(cx).is_ready() {
                    shutting = true;
                    // Closes an idle connection now, a busy one after its response.
                    connection.as_mut().graceful_shutdown();
                }
                connection.as_mut().poll(cx)
            })
            .await;
            lock(&open).connections.remove(&id);
            drop(slot);
        });
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The open connections, oldest first, each with the signal that asks it to close.
#[derive(Default)]
struct Open {
    next: u64,
    connections: BTreeMap<u64, Arc<Notify>>,
}

impl Open {
    /// Registers a new connection. When [`MAX_CONNECTIONS`] are open already, it asks the oldest
    /// to close: the newest connection is the one with a request on its way.
    fn admit(&mut self) -> (u64, Arc<Notify>) {
        if self.connections.len() >= MAX_CONNECTIONS {
            if let Some((_, oldest)) = self.connections.pop_first() {
                // `notify_one` keeps the signal if the connection is not waiting for it yet.
                oldest.notify_one();
            }
        }
        let id = self.next;
        self.next += 1;
        let closing = Arc::new(Notify::new());
        self.connections.insert(id, Arc::clone(&closing));
        (id, closing)
    }
}

/// One of the [`MAX_SOCKETS`] places, given back when its connection ends.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>) -> Option<Slot> {
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_SOCKETS {
            open.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A connection's socket whose writes fail once one has waited [`WRITE_STALL`] for the client to
/// read. hyper has no write timeout of its own.
struct Guarded {
    stream: TcpStream,
    /// Set while a write waits; cleared by any progress.
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Guarded {
    fn new(stream: TcpStream) -> Guarded {
        Guarded { stream, stall: None }
    }

    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<std::io::Result<T>>) -> Poll<std::io::Result<T>> {
        if poll.is_ready() {
            self.stall = None;
            return poll;
        }
        let stall = self.stall.get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_STALL)));
        match stall.as_mut().poll(cx) {
            Poll::Ready(()) => {
                Poll::Ready(Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the client stopped reading")))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.watch(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_flush(cx);
        this.watch(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.stream).poll_shutdown(cx);
        this.watch(cx, poll)
    }
}

/// Answers one request. The file is read (and the script injected) on the blocking pool: pages
/// such as `print.html` run to megabytes, and the two workers must stay free for other clients.
async fn handle(
    request: Request<Incoming>,
    output: Arc<Path>,
    status: Arc<Mutex<Status>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let url = request.uri().path().to_string();
    // The preview reads no request bodies; closing after a request that has one means a body
    // sent slowly cannot hold the connection.
    let close = !request.body().is_end_stream();
    let (code, kind, body) = tokio::task::spawn_blocking(move || respond(&url, &output, &status))
        .await
        .unwrap_or_else(|_| (500, "text/plain; charset=utf-8", b"Internal error".to_vec()));
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    if close {
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    }
    Ok(response)
}

/// The status code, content type and body for a URL path.
fn respond(url: &str, output: &Path, status: &Mutex<Status>) -> (u16, &'static str, Vec<u8>) {
    let (version, problems) = match status.lock() {
        Ok(state) => (state.version, state.problems.clone()),
        Err(poisoned) => {
            let state = poisoned.into_inner();
            (state.version, state.problems.clone())
        }
    };
    if url == STATUS_PATH {
        let body =
            serde_json::json!({ "version": version, "ok": problems.is_none(), "problems": problems }).to_string();
        return (200, "application/json", body.into_bytes());
    }
    let Some(path) = local_path(output, url) else {
        return (404, "text/plain; charset=utf-8", b"Not found".to_vec());
    };
    let (code, path) = if path.is_file() { (200, path) } else { (404, output.join("404.html")) };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(_) => {
            let page = format!(
                "<!DOCTYPE html><html lang=\"en\"><title>Not found</title><h1>Not found</h1><p>{}</p></html>",
                escape(url)
            );
            inject(page.into_bytes(), version, problems.as_deref())
        }
    };
    let is_html = path.extension().is_some_and(|e| e == "html");
    let body = if is_html && path.is_file() { inject(bytes, version, problems.as_deref()) } else { bytes };
    (code, content_type(&path), body)
}

/// Maps a URL path to a file in the output folder, refusing anything that climbs out of it.
fn local_path(output: &Path, url: &str) -> Option<PathBuf> {
    let mut path = output.to_path_buf();
    for segment in url.split('/').filter(|s| !s.is_empty()) {
        let segment = percent_decode(segment)?;
        if segment == ".." || segment == "." || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        path.push(segment);
    }
    if path.is_dir() {
        path.push("index.html");
    }
    Some(path)
}

fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script, and the problems overlay while there are problems, before `</body>`.
fn inject(page: Vec<u8>, version: u64, problems: Option<&str>) -> Vec<u8> {
    let mut snippet = format!(
        "<script>(function(){{var v={version};setInterval(function(){{fetch('{STATUS_PATH}').then(function(r){{return r.json()}}).then(function(s){{if(s.version!==v)location.reload()}}).catch(function(){{}})}},250)}})();</script>"
    );
    if let Some(problems) = problems {
        // A panel over the foot of the real page, which stays readable and usable above it. It can
        // be folded away, and stays folded across the reloads while the editor works. The report
        // is not wrapped: a wrapped line would break the column of its `│` gutter.
        let count = problems.lines().filter(|l| l.starts_with("error") || l.starts_with("warning")).count().max(1);
        let noun = if count == 1 { "problem" } else { "problems" };
        snippet.push_str(&format!(
            "<details id=\"guidepress-overlay\" open role=\"region\" aria-label=\"Problems in the content\" style=\"position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:60vh;overflow:auto;background:#fff;color:#0b0c0c;margin:0;padding:0.75rem 1.5rem;font:1rem/1.5 Arial,sans-serif;border-top:0.5rem solid #d4351c;box-shadow:0 -0.25rem 1rem rgba(0,0,0,0.25)\"><summary style=\"cursor:pointer;font-weight:700;font-size:1.125rem\">guidepress found {count} {noun} in the content</summary><p style=\"margin:0.5rem 0\">The page above is the last one that built. Fix the file and save it: this page reloads by itself. Select the heading to fold this panel away.</p><pre style=\"white-space:pre;overflow-x:auto;margin:0;font:0.875rem/1.25 'DejaVu Sans Mono',Menlo,Consolas,'Liberation Mono',monospace\">{}</pre></details><script>(function(){{var d=document.getElementById('guidepress-overlay');try{{if(sessionStorage.getItem('guidepress-overlay')==='closed')d.open=false;d.addEventListener('toggle',function(){{sessionStorage.setItem('guidepress-overlay',d.open?'open':'closed')}})}}catch(e){{}}}})();</script>",
            escape(problems)
        ));
    }
    let text = String::from_utf8_lossy(&page);
    match text.rfind("</body>") {
        Some(at) => format!("{}{snippet}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{snippet}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_never_leave_the_output() {
        let out = Path::new("/srv/out");
        assert_eq!(local_path(out, "/carer/glossary.html"), Some(PathBuf::from("/srv/out/carer/glossary.html")));
        assert_eq!(local_path(out, "/../etc/passwd"), None);
        assert_eq!(local_path(out, "/%2e%2e/etc/passwd"), None);
        assert_eq!(local_path(out, "/a%2Fb"), None);
    }

    #[test]
    fn sockets_over_the_cap_get_no_slot_until_one_ends() {
        let open = Arc::new(AtomicUsize::new(0));
        let slots: Vec<Slot> = (0..MAX_SOCKETS).map(|_| Slot::take(&open).unwrap()).collect();
        assert!(Slot::take(&open).is_none());
        assert_eq!(open.load(Ordering::SeqCst), MAX_SOCKETS);
        drop(slots);
        assert_eq!(open.load(Ordering::SeqCst), 0);
        assert!(Slot::take(&open).is_some());
    }

    #[test]
    fn a_connection_over_the_cap_asks_the_oldest_to_close() {
        let mut open = Open::default();
        let first: Vec<u64> = (0..MAX_CONNECTIONS).map(|_| open.admit().0).collect();
        assert_eq!(open.connections.len(), MAX_CONNECTIONS);
        let (newest, _) = open.admit();
        assert_eq!(open.connections.len(), MAX_CONNECTIONS);
        assert!(!open.connections.contains_key(&first[0]), "the oldest was asked to close");
        assert!(open.connections.contains_key(&first[1]) && open.connections.contains_key(&newest));
    }

    #[test]
    fn the_busy_answer_has_the_right_length() {
        let text = std::str::from_utf8(BUSY).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}\r\n", body.len())), "{head}");
    }

    #[test]
    fn injection_escapes_problems_and_goes_before_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>".to_vec(), 3, Some("<script>bad</script>"));
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("var v=3"));
        assert!(page.contains("&lt;script&gt;bad"));
        assert!(page.ends_with("</body></html>"));
    }

    #[test]
    fn problems_sit_in_a_folding_panel_over_the_page_and_are_counted() {
        let report = "error[yaml]: a\n  ┌─ content/site.yaml:1:1\nwarning[b]: c\n";
        let page = String::from_utf8(inject(b"<body><p>the page</p></body>".to_vec(), 1, Some(report))).unwrap();
        assert!(page.starts_with("<body><p>the page</p>"), "the page itself stays");
        assert!(page.contains("<details id=\"guidepress-overlay\" open"));
        assert!(page.contains("guidepress found 2 problems in the content</summary>"));
        assert!(page.contains("white-space:pre;"), "report lines are not wrapped, so the gutter stays straight");
        assert!(!page.contains("inset:0"), "the panel does not cover the whole page");
    }
}
