//! Helpers for the allocation-count tests: one hot path per test binary.
