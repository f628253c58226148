//! Hot loops shared by the profile binaries.
