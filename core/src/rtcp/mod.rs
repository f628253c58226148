//! RTCP packets (RFC 3550, RFC 4585, RFC 5104, RFC 3611, transport-cc).
