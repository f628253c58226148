//! Candidate pairs and the checklist (RFC 8445 §6.1.2): forming, ordering,
//! pruning, unfreezing, and choosing the next check.

use std::net::SocketAddr;
use std::time::Instant;

use super::candidate::CandidateType;
use super::config::IceRole;
use super::priority::pair_priority;

/// The state of a candidate pair (RFC 8445 §6.1.2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairState {
    /// Waits for a pair of the same foundation to succeed.
    Frozen,
    /// May be checked.
    Waiting,
    /// A check is out.
    InProgress,
    /// A check succeeded: the pair is valid.
    Succeeded,
    /// The check failed or was cancelled.
    Failed,
}

/// A remote candidate the agent checks against (UDP, IP address).
#[derive(Debug, Clone)]
pub(crate) struct RemoteCandidate {
    pub addr: SocketAddr,
    pub priority: u32,
    pub kind: CandidateType,
    /// Hash of the remote foundation (pairs of equal foundation unfreeze
    /// together).
    pub foundation: u64,
}

/// A local candidate the agent sends checks from: a host candidate (its
/// base is itself).
#[derive(Debug, Clone)]
pub(crate) struct LocalHost {
    pub base: SocketAddr,
    pub priority: u32,
    /// Local preference used for PRIORITY in checks (peer-reflexive type).
    pub local_preference: u16,
    pub foundation: u64,
}

/// One candidate pair.
#[derive(Debug, Clone)]
pub(crate) struct CandidatePair {
    pub local_addr: SocketAddr,
    pub remote_addr: SocketAddr,
    pub local_priority: u32,
    pub remote_priority: u32,
    pub priority: u64,
    pub foundation: (u64, u64),
    pub state: PairState,
    /// The controlled side got USE-CANDIDATE on this pair.
    pub use_candidate_received: bool,
    /// Nominated (controlling: a USE-CANDIDATE check succeeded;
    /// controlled: valid and USE-CANDIDATE received).
    pub nominated: bool,
    /// The last response (or, for a lite agent, request) seen on the pair.
    pub last_seen: Option<Instant>,
}

impl CandidatePair {
    pub fn recompute_priority(&mut self, role: IceRole) {
        self.priority = match role {
            IceRole::Controlling => pair_priority(self.local_priority, self.remote_priority),
            IceRole::Controlled => pair_priority(self.remote_priority, self.local_priority),
        };
    }
}

/// The checklist: pairs sorted by priority (highest first) and the
/// triggered-check queue.
#[derive(Debug, Default)]
pub(crate) struct Checklist {
    pub pairs: Vec<CandidatePair>,
    pub triggered: Vec<usize>,
}

/// Most pairs kept (RFC 8445 §6.1.2.5 recommends a limit of 100).
pub const MAX_PAIRS: usize = 100;

impl Checklist {
    /// Adds the pair of `local` × `remote` unless one with the same local
    /// base and remote address exists; returns its index (after sorting).
    pub fn add_pair(
        &mut self,
        role: IceRole,
        local: &LocalHost,
        remote: &RemoteCandidate,
        state: PairState,
    ) -> Option<usize> {
        if local.base.is_ipv4() != remote.addr.is_ipv4() {
            return None;
        }
        if let Some(i) = self.find(local.base, remote.addr) {
            return Some(i);
        }
        if self.pairs.len() >= MAX_PAIRS {
            return None;
        }
        let mut pair = CandidatePair {
            local_addr: local.base,
            remote_addr: remote.addr,
            local_priority: local.priority,
            remote_priority: remote.priority,
            priority: 0,
            foundation: (local.foundation, remote.foundation),
            state,
            use_candidate_received: false,
            nominated: false,
            last_seen: None,
        };
        pair.recompute_priority(role);
        self.pairs.push(pair);
        self.sort();
        self.find(local.base, remote.addr)
    }

    pub fn find(&self, local: SocketAddr, remote: SocketAddr) -> Option<usize> {
        self.pairs
            .iter()
            .position(|p| p.local_addr == local && p.remote_addr == remote)
    }

    /// Sorts by priority, keeping the triggered queue pointing at the same
    /// pairs.
    pub fn sort(&mut self) {
        let keys: Vec<(SocketAddr, SocketAddr)> = self
            .triggered
            .iter()
            .filter_map(|&i| self.pairs.get(i).map(|p| (p.local_addr, p.remote_addr)))
            .collect();
        self.pairs.sort_by_key(|p| std::cmp::Reverse(p.priority));
        self.triggered = keys
            .into_iter()
            .filter_map(|(l, r)| self.find(l, r))
            .collect();
    }

    /// Sets the initial states (RFC 8445 §6.1.2.6): per foundation, the
    /// highest-priority pair waits, the others stay frozen.
    pub fn unfreeze_initial(&mut self) {
        let mut seen: Vec<(u64, u64)> = Vec::new();
        for pair in &mut self.pairs {
            if pair.state != PairState::Frozen {
                seen.push(pair.foundation);
            }
        }
        for pair in &mut self.pairs {
            if pair.state == PairState::Frozen && !seen.contains(&pair.foundation) {
                seen.push(pair.foundation);
                pair.state = PairState::Waiting;
            }
        }
    }

    /// A pair succeeded: unfreeze the pairs of its foundation (§7.2.5.3.3).
    pub fn unfreeze_foundation(&mut self, foundation: (u64, u64)) {
        for pair in &mut self.pairs {
            if pair.state == PairState::Frozen && pair.foundation == foundation {
                pair.state = PairState::Waiting;
            }
        }
    }

    /// Queues a triggered check (§7.3.1.4), once.
    pub fn trigger(&mut self, index: usize) {
        if !self.triggered.contains(&index) {
            self.triggered.push(index);
        }
    }

    /// The next pair to check, without taking it: the first triggered
    /// one not in progress, else the highest-priority waiting pair, else a
    /// frozen pair whose foundation has nothing waiting or in progress
    /// (§6.1.4.2).
    pub fn peek_next(&self) -> Option<usize> {
        if let Some(&i) = self.triggered.iter().find(|&&i| {
            self.pairs
                .get(i)
                .is_some_and(|p| p.state != PairState::InProgress)
        }) {
            return Some(i);
        }
        if let Some(i) = self
            .pairs
            .iter()
            .position(|p| p.state == PairState::Waiting)
        {
            return Some(i);
        }
        let busy = |f: (u64, u64)| {
            self.pairs.iter().any(|p| {
                p.foundation == f && matches!(p.state, PairState::Waiting | PairState::InProgress)
            })
        };
        self.pairs
            .iter()
            .position(|p| p.state == PairState::Frozen && !busy(p.foundation))
    }

    /// Takes the next pair to check (see [`Checklist::peek_next`]); drops
    /// triggered entries whose pair is already in progress.
    pub fn next_check(&mut self) -> Option<usize> {
        let next = self.peek_next();
        let pairs = &self.pairs;
        self.triggered.retain(|&i| {
            Some(i) != next
                && pairs
                    .get(i)
                    .is_some_and(|p| p.state != PairState::InProgress)
        });
        next
    }

    /// Whether every pair is done (succeeded or failed).
    pub fn all_done(&self) -> bool {
        self.triggered.is_empty()
            && self
                .pairs
                .iter()
                .all(|p| matches!(p.state, PairState::Succeeded | PairState::Failed))
    }

    /// The highest-priority valid pair.
    pub fn best_valid(&self) -> Option<usize> {
        self.pairs
            .iter()
            .position(|p| p.state == PairState::Succeeded)
    }

    pub fn recompute_priorities(&mut self, role: IceRole) {
        for pair in &mut self.pairs {
            pair.recompute_priority(role);
        }
        self.sort();
    }
}
