//! A tiny HTTP/1.1 server on loopback for client tests: answers each connection with the next
//! scripted reply and records every request it read.
#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use cloudbackup::runtime::Clock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answers with a status and a JSON body.
    Json(u16, String),
    /// Answers with a status, extra headers and a body (any content type).
    Raw(u16, Vec<(&'static str, String)>, String),
    /// Sends the status line and headers (plus these) announcing a longer body than it sends,
    /// then closes the connection.
    Truncated(Vec<(&'static str, String)>),
    /// Reads the whole request, then closes the connection without answering.
    Close,
    /// Reads the whole request and never answers (until the client gives up).
    Hang,
}

/// A request as received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A query parameter's raw (encoded) value.
    pub fn query(&self, name: &str) -> Option<String> {
        let q = self.target.split_once('?')?.1;
        q.split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }
}

/// The server: its address, the replies still to give, and the requests seen.
pub struct Server {
    pub addr: std::net::SocketAddr,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Starts a server giving `replies` in order; once they run out, it repeats the last one.
    pub async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let replies = Arc::new(Mutex::new(VecDeque::from(replies)));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (r2, q2) = (replies.clone(), requests.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (r3, q3) = (r2.clone(), q2.clone());
                tokio::spawn(async move {
                    serve(stream, r3, q3).await;
                });
            }
        });
        Self {
            addr,
            replies,
            requests,
            task,
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    requests: Arc<Mutex<Vec<Recorded>>>,
) {
    // One request per connection (we answer with `Connection: close`).
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    requests.lock().unwrap().push(Recorded {
        method,
        target,
        headers,
        body,
    });
    let reply = {
        let mut r = replies.lock().unwrap();
        if r.len() > 1 {
            r.pop_front()
        } else {
            r.front().cloned()
        }
    };
    match reply.unwrap_or(Reply::Close) {
        Reply::Json(status, body) => {
            let resp = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(resp.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Reply::Raw(status, headers, body) => {
            let extra: String = headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}\r\n"))
                .collect();
            let resp = format!(
                "HTTP/1.1 {status} X\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(resp.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Reply::Truncated(headers) => {
            let extra: String = headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}\r\n"))
                .collect();
            let resp = format!(
                "HTTP/1.1 200 X\r\nContent-Type: application/json\r\n{extra}Content-Length: 1000\r\nConnection: close\r\n\r\n{{\"Response\":"
            );
            let _ = stream.write_all(resp.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Reply::Close => {
            let _ = stream.shutdown().await;
        }
        Reply::Hang => {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A wall clock that moves one second forward every time it is read.
#[derive(Debug)]
pub struct TickingClock(pub AtomicI64);

impl TickingClock {
    pub fn new(start: i64) -> Self {
        Self(AtomicI64::new(start))
    }
}

impl Clock for TickingClock {
    fn now_unix(&self) -> i64 {
        self.0.fetch_add(1, Ordering::SeqCst)
    }
}

pub fn tc3_ok(id: &str) -> Reply {
    Reply::Json(
        200,
        format!(r#"{{"Response":{{"DiskBackupId":"dbp-1","RequestId":"{id}"}}}}"#),
    )
}

pub fn tc3_err(code: &str, id: &str) -> Reply {
    Reply::Json(
        200,
        format!(
            r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"msg of {code}"}},"RequestId":"{id}"}}}}"#
        ),
    )
}

pub fn ali_ok() -> Reply {
    Reply::Json(
        200,
        r#"{"RequestId":"ali-req","Success":true,"BackupPlanId":"dbs1","OrderId":42}"#.into(),
    )
}

pub fn ali_err(status: u16, code: &str) -> Reply {
    Reply::Json(
        status,
        format!(r#"{{"RequestId":"ali-err","Code":"{code}","Message":"msg of {code}"}}"#),
    )
}

pub fn api2_ok() -> Reply {
    Reply::Json(
        200,
        r#"{"code":0,"message":"","codeDesc":"Success","data":{"requestId":375062,"flowId":5293}}"#
            .into(),
    )
}
