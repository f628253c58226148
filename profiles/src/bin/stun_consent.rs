//! Flamegraph of the ICE consent round: two connected agents, A sends a
//! consent check, B answers, A processes the answer (virtual clock).

use zerortc_benches::ops::IceSession;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut session = IceSession::connected()?;
    zerortc_profiles::profile_loop("stun_consent", 1000, || session.consent_round())?;
    Ok(())
}
