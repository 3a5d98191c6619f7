//! A minimal HTTP/1.1 keep-alive server on loopback for the call benchmark: reads each request
//! (head and `Content-Length` body) and answers every one with the same JSON body.
#![allow(dead_code, unreachable_pub)] // shared by bench targets

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Starts the server on `rt`; returns its address.
pub fn start(rt: &tokio::runtime::Runtime, body: &'static str) -> SocketAddr {
    let listener = rt
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let reply: &'static [u8] = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .leak()
    .as_bytes();
    rt.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve(stream, reply));
        }
    });
    addr
}

async fn serve(mut stream: TcpStream, reply: &'static [u8]) {
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        // Consume every complete request in the buffer.
        while let Some(end) = find(&buf, b"\r\n\r\n") {
            let len = content_length(&buf[..end]);
            let total = end + 4 + len;
            if buf.len() < total {
                break;
            }
            buf.drain(..total);
            if stream.write_all(reply).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn content_length(head: &[u8]) -> usize {
    let head = String::from_utf8_lossy(head);
    head.split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
