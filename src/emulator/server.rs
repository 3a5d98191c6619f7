//! The HTTP/1.1 server (hyper) around the transport-neutral handler.

use std::sync::Arc;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming as Body};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::handler::{Outcome, Shared, handle};
use super::wire::Incoming;

/// Returned by the service to make hyper close the connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

async fn to_incoming(req: Request<Body>) -> Result<Incoming, hyper::Error> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await?.to_bytes().to_vec();
    let mut headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    if !headers.iter().any(|(k, _)| k == "host")
        && let Some(a) = parts.uri.authority()
    {
        headers.push(("host".into(), a.as_str().to_owned()));
    }
    Ok(Incoming {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers,
        body,
    })
}

async fn service(
    shared: Arc<Shared>,
    req: Request<Body>,
) -> Result<Response<Full<Bytes>>, Box<dyn std::error::Error + Send + Sync>> {
    let incoming = to_incoming(req).await?;
    match handle(&shared, incoming).await {
        Outcome::Drop => Err(Box::new(Dropped)),
        Outcome::Respond(out) => {
            let mut b = Response::builder().status(out.status);
            for (k, v) in &out.headers {
                b = b.header(k.as_str(), v.as_str());
            }
            Ok(b.body(Full::new(Bytes::from(out.body)))?)
        }
    }
}

/// Accepts connections until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| service(shared.clone(), req));
                    // Errors here are client disconnects or injected drops.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}
