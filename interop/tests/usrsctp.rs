//! zerortc's SCTP association against a real SCTP stack: usrsctp's
//! `echo_server` example (Debian `libusrsctp-examples`), SCTP over UDP
//! encapsulation (RFC 6951) on 127.0.0.1. The test owns a UDP socket on a
//! free port, starts `echo_server <its encapsulation port> <our port>` on
//! another free port (SCTP port 7), connects, sends 300 messages of 1 to
//! 8000 bytes on three streams, checks that every one comes back byte for
//! byte, and shuts the association down gracefully. The server is killed
//! (by its own PID) when the test ends, also on failure.
//!
//! When `echo_server` is missing the test says so loudly and passes,
//! unless `ZERORTC_REQUIRE_USRSCTP=1` or `CI` is set: then it fails.
//! (`scripts/test` installs `libusrsctp-examples` and sets
//! `ZERORTC_REQUIRE_USRSCTP=1`.)

#[path = "usrsctp/common.rs"]
mod common;

use std::time::{Duration, Instant};

use zerortc::sctp::{Association, AssociationState, Config, Event, Reliability};

use common::{UsrsctpProgram, connect, drive, free_udp_port, test_socket, usrsctp_available};

const ECHO_SERVER: &str = "/usr/lib/usrsctp/echo_server";
/// SCTP port echo_server listens on (the echo service).
const ECHO_SCTP_PORT: u16 = 7;

/// Starts echo_server encapsulating on a free port and sending to
/// `our_port`.
fn start_echo_server(our_port: u16) -> UsrsctpProgram {
    let port = free_udp_port();
    UsrsctpProgram::start(
        ECHO_SERVER,
        &[port.to_string(), our_port.to_string()],
        port,
        |_| false,
    )
}

#[test]
fn echo_server_echoes_every_message_byte_for_byte() {
    if !usrsctp_available(ECHO_SERVER) {
        return;
    }
    let sock = test_socket();
    let our_port = sock.local_addr().expect("local address").port();
    let server = start_echo_server(our_port);
    let mut assoc = connect(&sock, server.addr, Duration::from_secs(10), |attempt| {
        let config = Config {
            local_port: 5000,
            remote_port: ECHO_SCTP_PORT,
            // echo_server needs a moment to start: retry the INIT soon.
            rto_initial: Duration::from_millis(200),
            seed: 0x05c7_9001 ^ u64::from(our_port) ^ (attempt << 32),
            ..Config::default()
        };
        Association::new(config, Instant::now())
    });
    assert_eq!(assoc.poll_event(), Some(Event::Connected));

    // echo_server reads into a 10 KiB buffer (larger messages would come
    // back in pieces), so the sizes stay below it; 1172 and 1173 bytes
    // straddle one full 1200-byte packet of DATA.
    let sizes = [1usize, 100, 1172, 1173, 5000, 8000];
    let mut sent: Vec<Vec<u8>> = Vec::new();
    for (i, &len) in sizes.iter().cycle().take(300).enumerate() {
        let data: Vec<u8> = (0..len).map(|k| (k * 13 + i * 7) as u8).collect();
        assoc
            .send(
                Instant::now(),
                (i % 3) as u16,
                53,
                &data,
                false,
                Reliability::Reliable,
            )
            .expect("queue message");
        sent.push(data);
    }
    let mut echoed: Vec<Vec<u8>> = Vec::new();
    let complete = drive(
        &sock,
        server.addr,
        &mut assoc,
        Duration::from_secs(20),
        |a| {
            while let Some(event) = a.poll_event() {
                if let Event::Message(m) = event {
                    assert_eq!(m.ppid, 53, "echo keeps the PPID");
                    echoed.push(m.data);
                }
            }
            echoed.len() >= sent.len()
        },
    );
    assert!(
        complete,
        "{} of {} messages echoed",
        echoed.len(),
        sent.len()
    );
    // Every message comes back exactly once, byte for byte (the messages
    // all differ; echo order across streams is the server's).
    echoed.sort();
    sent.sort();
    assert_eq!(echoed.len(), sent.len());
    for (got, want) in echoed.iter().zip(&sent) {
        assert_eq!(got.len(), want.len());
        assert!(
            got == want,
            "echoed bytes differ (message of {} bytes)",
            want.len()
        );
    }

    assoc.shutdown(Instant::now());
    assert!(
        drive(
            &sock,
            server.addr,
            &mut assoc,
            Duration::from_secs(10),
            |a| { a.state() == AssociationState::Closed }
        ),
        "no graceful shutdown (state {:?})",
        assoc.state()
    );
}
