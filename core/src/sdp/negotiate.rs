//! Negotiation rules (filled in next).
