//! Shared inputs for the zerortc benchmark suites.
