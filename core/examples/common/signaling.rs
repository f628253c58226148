//! HTTP signaling for the examples (tiny_http, on its own thread): `POST
//! /offer` with an SDP offer as the body answers with the SDP answer
//! (`text/plain`), once the UDP loop has applied it. CORS is open so a
//! page served from anywhere on the machine can post. Loopback only by
//! default.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread;

/// An offer received over HTTP and where to send its answer (or why not).
pub struct Offer {
    /// The SDP offer.
    pub sdp: String,
    /// The answer SDP, or an error text.
    pub reply: mpsc::Sender<Result<String, String>>,
}

fn cors(
    mut response: tiny_http::Response<std::io::Cursor<Vec<u8>>>,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    for (name, value) in [
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "POST, OPTIONS"),
        ("Access-Control-Allow-Headers", "Content-Type"),
        ("Content-Type", "text/plain; charset=utf-8"),
    ] {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    response
}

/// Serves the signaling endpoint at `addr`; offers come out of the channel.
pub fn serve(
    addr: SocketAddr,
) -> Result<mpsc::Receiver<Offer>, Box<dyn std::error::Error + Send + Sync>> {
    let server = tiny_http::Server::http(addr)?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for mut request in server.incoming_requests() {
            let response = match (request.method(), request.url()) {
                (tiny_http::Method::Options, _) => tiny_http::Response::from_string(""),
                (tiny_http::Method::Post, "/offer") => {
                    let mut sdp = String::new();
                    if request.as_reader().read_to_string(&mut sdp).is_err() {
                        tiny_http::Response::from_string("body is not UTF-8").with_status_code(400)
                    } else {
                        let (reply, answer) = mpsc::channel();
                        if tx.send(Offer { sdp, reply }).is_err() {
                            return;
                        }
                        match answer.recv() {
                            Ok(Ok(sdp)) => tiny_http::Response::from_string(sdp),
                            Ok(Err(e)) => tiny_http::Response::from_string(e).with_status_code(400),
                            Err(_) => {
                                tiny_http::Response::from_string("gone").with_status_code(500)
                            }
                        }
                    }
                }
                _ => tiny_http::Response::from_string("POST an SDP offer to /offer\n"),
            };
            let _ = request.respond(cors(response));
        }
    });
    Ok(rx)
}

/// `--name value` from the command line, else `default`.
pub fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_string())
}

/// The client side: POSTs `offer` to `http://{server}/offer` (plain HTTP/1.1
/// over a `TcpStream`) and returns the answer SDP.
#[allow(dead_code)] // the servers include this file too and never post
pub fn post_offer(
    server: SocketAddr,
    offer: &str,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(server)?;
    write!(
        stream,
        "POST /offer HTTP/1.1\r\nHost: {server}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{offer}",
        offer.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or("bad HTTP response")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("signaling failed: {head} {body}").into());
    }
    Ok(body.to_string())
}
