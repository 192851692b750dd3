//! `cargo xtask serve`: serves `dist/` with the same static server the browser tests use.

#[path = "../../tests/src/static_server.rs"]
#[allow(dead_code)]
mod static_server;

use std::net::TcpListener;
use std::path::Path;

pub fn serve(dist: &Path, port: u16) -> Result<(), String> {
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: did `trunk build --release` run?",
            dist.display()
        ));
    }
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!("cannot listen on 127.0.0.1:{port}: {e} (is another server running? try `cargo xtask serve --port 8081`)")
    })?;
    println!(
        "\nECS Planner is served from {} at\n\n    http://127.0.0.1:{port}/\n\n(Ctrl-C stops it)",
        dist.display()
    );
    static_server::serve_forever(listener, dist.to_path_buf());
    Ok(())
}
