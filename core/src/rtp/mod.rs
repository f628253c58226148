//! RTP packets (RFC 3550) and header extensions (RFC 8285).
