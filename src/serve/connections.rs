//! The connections of `gazette serve`: accepts them and speaks HTTP/1.1 on each within fixed
//! limits, so that no client, however slow, large or numerous, can make the server hold
//! unbounded memory, tasks or sockets.
//!
//! axum's own `serve` takes no settings, and without them hyper keeps a connection that never
//! finishes its request open forever; so connections are served here with hyper's builder,
//! which axum wraps.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::events::{Report, ServeEvent};

/// Connections served at once. A browser opens up to six to a site and each open page one more
/// to listen for reloads, so this is room for a hundred tabs and more; beyond it, a new
/// connection waits in the kernel's queue until one closes. It bounds the server's memory:
/// each connection costs its task and at most `MAX_HEAD` twice over.
pub const MAX_CONNECTIONS: usize = 1024;

/// How long a client may take to send a request's line and headers, counted from when the
/// server starts waiting for them, so a kept-alive connection left idle is closed after it too.
/// A browser on this machine sends them at once; a client that stalls, or trickles them a byte
/// at a time to hold the connection (slowloris), is disconnected.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most a request's line and headers may take (larger ones get 431 and the connection is
/// closed), and about the most of a response held for a client that reads slowly. Browsers
/// send a few KiB, cookies included.
pub const MAX_HEAD: usize = 64 * 1024;

/// How long stopping waits for responses under way.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// How long to wait before accepting again when the system is out of sockets or memory.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(250);

/// Serves `app` on every connection `listener` accepts until `shutdown` completes, then lets
/// responses under way finish for a moment.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    report: Report,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_HEAD);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, slot) = tokio::select! {
            () = &mut shutdown => break,
            accepted = accept(&listener, &slots, &report) => accepted,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A connection's errors (a reset, a timeout, a malformed request already answered
            // with 400) concern only that client.
            let _ = connection.await;
            drop(slot);
        });
    }
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// The next connection, once fewer than `MAX_CONNECTIONS` are open, with its place among them.
async fn accept(
    listener: &TcpListener,
    slots: &Arc<Semaphore>,
    report: &Report,
) -> (TcpStream, Option<OwnedSemaphorePermit>) {
    // The semaphore is never closed, so a permit always comes.
    let slot = slots.clone().acquire_owned().await.ok();
    loop {
        match listener.accept().await {
            Ok((stream, _)) => return (stream, slot),
            Err(e) if gone_before_accepted(&e) => {}
            Err(e) => {
                report(&ServeEvent::NotAccepted(e.to_string()));
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

/// Whether an accept failed only because that client went away.
fn gone_before_accepted(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}
