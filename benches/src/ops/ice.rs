//! A consent round and an answered connectivity check between two
//! connected ICE agents, driven with a virtual clock.

use std::net::SocketAddr;
use std::time::Instant;

use zerortc::ice::{Candidate, IceAgent, IceConfig, IceConnectionState, IceError, IceRole};

use super::OUT_LEN;

/// Two ICE agents on loopback, connected (A controlling, B controlled, one
/// host candidate each), with their virtual clock and a send buffer.
///
/// [`IceSession::consent_round`] is one RFC 7675 consent round of A;
/// [`IceSession::answer_check`] is B answering a connectivity check.
/// Only A's timers run: B's own consent checks are the mirror image of A's
/// and are left out so that every call does the same work.
#[derive(Debug)]
pub struct IceSession {
    a: IceAgent,
    b: IceAgent,
    addrs: [SocketAddr; 2],
    now: Instant,
    buf: Vec<u8>,
    /// A consent request of A's, kept for [`IceSession::answer_check`].
    check: Vec<u8>,
}

impl IceSession {
    /// Builds both agents (fixed seeds), exchanges credentials and
    /// candidates, runs them until both are completed, then runs one
    /// consent round so every queue has its working size.
    pub fn connected() -> Result<IceSession, IceError> {
        let addrs: [SocketAddr; 2] = [
            SocketAddr::from(([127, 0, 0, 1], 50_000)),
            SocketAddr::from(([127, 0, 0, 1], 50_002)),
        ];
        let agent = |seed: u64, role| {
            IceAgent::new(IceConfig {
                role,
                ..IceConfig::new(seed)
            })
        };
        let mut a = agent(0x1cea, IceRole::Controlling)?;
        let mut b = agent(0x1ceb, IceRole::Controlled)?;
        a.add_local_host(addrs[0]);
        b.add_local_host(addrs[1]);
        a.set_remote_credentials(b.local_credentials().clone())?;
        b.set_remote_credentials(a.local_credentials().clone())?;
        let now = Instant::now();
        a.gather(now);
        b.gather(now);
        for (agent, remote) in [(&mut a, addrs[1]), (&mut b, addrs[0])] {
            let line = format!(
                "candidate:1 1 udp 2130706431 {} {} typ host",
                remote.ip(),
                remote.port()
            );
            if let Ok(c) = Candidate::parse(&line) {
                agent.add_remote_candidate(&c);
            }
            agent.end_of_remote_candidates();
        }
        let mut session = IceSession {
            a,
            b,
            addrs,
            now,
            buf: vec![0; OUT_LEN],
            check: Vec::new(),
        };
        for _ in 0..1000 {
            if session.both_completed() {
                break;
            }
            session.step_both()?;
        }
        if !session.both_completed() {
            return Err(IceError::Closed);
        }
        // One consent round, keeping A's request for `answer_check`.
        session.now = session
            .a
            .poll_timeout()
            .ok_or(IceError::Closed)?
            .max(session.now);
        session.a.handle_timeout(session.now);
        let t = session
            .a
            .poll_transmit(&mut session.buf)?
            .ok_or(IceError::Closed)?;
        session.check = session.buf[..t.len].to_vec();
        session
            .b
            .handle_packet(session.now, t.destination, t.source, &session.check);
        if let Some(t) = session.b.poll_transmit(&mut session.buf)? {
            let (a, buf) = (&mut session.a, &session.buf);
            a.handle_packet(session.now, t.destination, t.source, &buf[..t.len]);
        }
        session.consent_round();
        Ok(session)
    }

    fn both_completed(&self) -> bool {
        self.a.connection_state() == IceConnectionState::Completed
            && self.b.connection_state() == IceConnectionState::Completed
    }

    /// Delivers everything both agents have to send, then runs the earliest
    /// timer.
    fn step_both(&mut self) -> Result<(), IceError> {
        loop {
            let mut moved = false;
            for i in 0..2 {
                let (from, to) = if i == 0 {
                    (&mut self.a, &mut self.b)
                } else {
                    (&mut self.b, &mut self.a)
                };
                while let Some(t) = from.poll_transmit(&mut self.buf)? {
                    to.handle_packet(self.now, t.destination, t.source, &self.buf[..t.len]);
                    moved = true;
                }
                while from.poll_event().is_some() {}
            }
            if !moved {
                break;
            }
        }
        if let Some(at) = [self.a.poll_timeout(), self.b.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
        {
            self.now = self.now.max(at);
            self.a.handle_timeout(self.now);
            self.b.handle_timeout(self.now);
        }
        Ok(())
    }

    /// One consent round: the virtual clock moves to A's next consent
    /// check, A sends it, B verifies it and answers, A verifies the
    /// response and refreshes consent. Returns the bytes exchanged (0 if a
    /// step did not happen).
    #[inline]
    pub fn consent_round(&mut self) -> usize {
        let Some(at) = self.a.poll_timeout() else {
            return 0;
        };
        self.now = self.now.max(at);
        self.a.handle_timeout(self.now);
        let Ok(Some(request)) = self.a.poll_transmit(&mut self.buf) else {
            return 0;
        };
        self.b.handle_packet(
            self.now,
            request.destination,
            request.source,
            &self.buf[..request.len],
        );
        let Ok(Some(response)) = self.b.poll_transmit(&mut self.buf) else {
            return 0;
        };
        self.a.handle_packet(
            self.now,
            response.destination,
            response.source,
            &self.buf[..response.len],
        );
        request.len + response.len
    }

    /// B receives a connectivity check of A's on the selected pair (a
    /// consent request captured in setup), verifies it and writes the
    /// success response. Returns the response length (0 if none).
    #[inline]
    pub fn answer_check(&mut self) -> usize {
        self.b
            .handle_packet(self.now, self.addrs[1], self.addrs[0], &self.check);
        match self.b.poll_transmit(&mut self.buf) {
            Ok(Some(t)) => t.len,
            _ => 0,
        }
    }

    /// Consent checks A has sent so far.
    pub fn consent_checks_sent(&self) -> u64 {
        self.a.stats().consent_checks_sent
    }

    /// Success responses A has accepted so far.
    pub fn responses_received(&self) -> u64 {
        self.a.stats().responses_received
    }

    /// Checks B has answered so far.
    pub fn checks_answered(&self) -> u64 {
        self.b.stats().checks_answered
    }

    /// Both connection states.
    pub fn states(&self) -> (IceConnectionState, IceConnectionState) {
        (self.a.connection_state(), self.b.connection_state())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_rounds_keep_both_completed_and_are_answered() {
        let mut s = IceSession::connected().unwrap();
        let (sent, received) = (s.consent_checks_sent(), s.responses_received());
        let start = s.now;
        for _ in 0..100 {
            // Request: 20 + USERNAME + ICE-CONTROLLING + PRIORITY + MI + FP;
            // response: 20 + XOR-MAPPED-ADDRESS 12 + MI 24 + FP 8.
            let n = s.consent_round();
            assert!(n > 64 + 80, "{n}");
        }
        assert_eq!(s.consent_checks_sent() - sent, 100);
        assert_eq!(s.responses_received() - received, 100);
        // 100 rounds every 4 to 6 s of virtual time.
        let elapsed = s.now - start;
        assert!(
            elapsed.as_secs() >= 400 && elapsed.as_secs() <= 600,
            "{elapsed:?}"
        );
        assert_eq!(
            s.states(),
            (IceConnectionState::Completed, IceConnectionState::Completed)
        );
    }

    #[test]
    fn answered_checks_are_success_responses() {
        let mut s = IceSession::connected().unwrap();
        let answered = s.checks_answered();
        for _ in 0..10 {
            assert_eq!(s.answer_check(), 20 + 12 + 24 + 8);
        }
        assert_eq!(s.checks_answered() - answered, 10);
    }
}
