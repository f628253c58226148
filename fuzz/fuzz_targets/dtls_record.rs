//! Fuzz the DTLS record and handshake parsers and the handshake state
//! machines: arbitrary datagrams never panic. The input is split into
//! datagrams (`u16 length | bytes`); every datagram is parsed into records,
//! handshake fragments and (once reassembled) hello/key-exchange/
//! certificate messages, and fed to a fresh server (cookie exchange on and
//! off) and client. Reassembled messages must have the announced length.
//! Build and run as described in `rtp_packet.rs` (`cargo fuzz run
//! dtls_record`).
#![no_main]

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use zerortc::crypto::Certificate;
use zerortc::dtls::{
    CertificateList, CertificateRequest, ClientHello, ContentType, DtlsConfig, DtlsConnection,
    HandshakeFragment, HelloVerifyRequest, Reassembler, Records, ServerHello, ServerKeyExchange,
};

fn certificate() -> Arc<Certificate> {
    static CERT: OnceLock<Arc<Certificate>> = OnceLock::new();
    CERT.get_or_init(|| Arc::new(Certificate::generate_self_signed().expect("certificate")))
        .clone()
}

fn datagrams(mut data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some((len, rest)) = data.split_first_chunk::<2>() {
        let len = usize::from(u16::from_be_bytes(*len)).min(rest.len());
        let (datagram, rest) = rest.split_at(len);
        out.push(datagram);
        data = rest;
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let datagrams = datagrams(data);
    let mut reassembler = Reassembler::new();
    for datagram in &datagrams {
        for record in Records::new(datagram).flatten() {
            if record.header.content_type != ContentType::Handshake {
                continue;
            }
            let mut rest = record.fragment;
            while let Ok((fragment, tail)) = HandshakeFragment::parse(rest) {
                rest = tail;
                let _ = reassembler.insert(&fragment);
                while let Some(message) = reassembler.pop() {
                    let body = &message.body;
                    let _ = ClientHello::parse(body)
                        .map(|h| h.cipher_suites().count() + h.extensions().count());
                    let _ = ServerHello::parse(body).map(|h| h.extensions().count());
                    let _ = HelloVerifyRequest::parse(body);
                    let _ = ServerKeyExchange::parse(body);
                    let _ = CertificateRequest::parse(body);
                    let _ = CertificateList::parse(body).map(|l| l.count());
                    let _ = message.transcript_bytes();
                }
            }
        }
    }
    let now = Instant::now();
    for cookie_exchange in [true, false] {
        let mut config = DtlsConfig::new(certificate(), None);
        config.cookie_exchange = cookie_exchange;
        let mut server = DtlsConnection::new_server(config).expect("server");
        for datagram in &datagrams {
            let _ = server.handle_read(now, datagram);
            while server.poll_write().is_some() {}
        }
        while server.poll_event().is_some() {}
    }
    let mut client =
        DtlsConnection::new_client(DtlsConfig::new(certificate(), None), now).expect("client");
    for datagram in &datagrams {
        let _ = client.handle_read(now, datagram);
        let _ = client.handle_timeout(now);
    }
    while client.poll_write().is_some() {}
    while client.poll_event().is_some() {}
});
