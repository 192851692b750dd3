//! A tiny std-only static file server for trunk's `dist/`: GET and HEAD, correct MIME types
//! (`application/wasm` for streaming compilation, `text/javascript` for wasm-bindgen's ES module),
//! `index.html` for `/` and for extension-less paths (client-side routes), no caching.
//!
//! Used by the browser tests (`e2e`) and by `cargo xtask serve`, which includes this file with
//! `#[path]` so that both serve `dist/` the same way.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

/// Binds `127.0.0.1:port` (0 = a free port) and serves `root` from a background thread.
/// Returns the address actually bound.
pub fn spawn(root: PathBuf, port: u16) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let addr = listener.local_addr()?;
    thread::Builder::new()
        .name("static-server".into())
        .spawn(move || serve_forever(listener, root))?;
    Ok(addr)
}

/// Serves `root` on `listener` until the process ends, one thread per connection.
pub fn serve_forever(listener: TcpListener, root: PathBuf) {
    for stream in listener.incoming().flatten() {
        let root = root.clone();
        let _ = thread::Builder::new()
            .name("static-conn".into())
            .spawn(move || {
                let _ = handle(stream, &root);
            });
    }
}

fn handle(mut stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(());
    }
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let response = if method == "GET" || method == "HEAD" {
        resolve(root, target)
    } else {
        Response::text(405, "method not allowed")
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

/// What the server answers for one request target.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

/// Maps a request target (`/path?query#fragment`) to a file under `root`.
pub fn resolve(root: &Path, target: &str) -> Response {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some(path) = percent_decode(path) else {
        return Response::text(400, "bad request");
    };
    let rel = path.trim_start_matches('/');
    if rel.split('/').any(|seg| seg == ".." || seg.contains('\\')) || rel.contains('\0') {
        return Response::text(400, "bad request");
    }
    let mut file = root.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        file = file.join("index.html");
    }
    if !file.is_file() {
        let last = rel.rsplit('/').next().unwrap_or("");
        if last.contains('.') {
            return Response::text(404, "not found");
        }
        // A client-side route: the app decides what to show.
        file = root.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => Response {
            status: 200,
            content_type: mime(&file),
            body,
        },
        Err(_) => Response::text(404, "not found"),
    }
}

/// The Content-Type for a file, by extension.
pub fn mime(file: &Path) -> &'static str {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "static-server-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(dir.join("plans")).unwrap();
        std::fs::write(dir.join("index.html"), "<html>").unwrap();
        std::fs::write(dir.join("app-1a2b_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("app-1a2b.js"), "export {}").unwrap();
        std::fs::write(dir.join("plans/two az.json"), "{}").unwrap();
        dir
    }

    #[test]
    fn serves_files_with_their_mime_types() {
        let root = site();
        let r = resolve(&root, "/");
        assert_eq!(
            (r.status, r.content_type, r.body.as_slice()),
            (200, "text/html; charset=utf-8", &b"<html>"[..])
        );
        assert_eq!(
            resolve(&root, "/app-1a2b_bg.wasm").content_type,
            "application/wasm"
        );
        assert_eq!(
            resolve(&root, "/app-1a2b.js").content_type,
            "text/javascript; charset=utf-8"
        );
        let plan = resolve(&root, "/plans/two%20az.json?x=1");
        assert_eq!((plan.status, plan.content_type), (200, "application/json"));
    }

    #[test]
    fn routes_fall_back_to_index_but_missing_files_are_404() {
        let root = site();
        assert_eq!(resolve(&root, "/?plan=abc#frag").status, 200);
        assert_eq!(resolve(&root, "/services/web").body, b"<html>");
        assert_eq!(resolve(&root, "/favicon.ico").status, 404);
        assert_eq!(resolve(&root, "/plans/missing.json").status, 404);
    }

    #[test]
    fn refuses_to_leave_the_root() {
        let root = site();
        assert_eq!(resolve(&root, "/../etc/passwd").status, 400);
        assert_eq!(
            resolve(&root, "/plans/%2e%2e/%2e%2e/etc/passwd").status,
            400
        );
        assert_eq!(resolve(&root, "/%zz").status, 400);
    }

    #[test]
    fn answers_over_tcp() {
        let root = site();
        let addr = spawn(root, 0).unwrap();
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /app-1a2b_bg.wasm HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut got = Vec::new();
        io::Read::read_to_end(&mut s, &mut got).unwrap();
        let got = String::from_utf8_lossy(&got);
        assert!(got.starts_with("HTTP/1.1 200 OK\r\n"), "{got}");
        assert!(got.contains("Content-Type: application/wasm\r\n"), "{got}");
        assert!(got.ends_with("\r\n\r\n\0asm"), "{got}");
    }
}
