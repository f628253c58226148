//! Simulcast in offers and answers (RFC 8853 with the `a=rid` of RFC
//! 8851, JSEP RFC 8829 §5.2.1 and §5.3.1): the layers a simulcast sender
//! offers, the answer to a peer's simulcast offer, and the layers an
//! answer settles. RTP packets then carry their layer's rid in the
//! `rtp-stream-id` header extension (RFC 8852), which the receiver routes
//! on (`media.rs`).
//!
//! What we answer: a video (or audio) m-line whose offer sends simulcast
//! (`a=rid:<id> send` lines and `a=simulcast:send <id>;<id>...`, as
//! Chromium and Firefox write it) gets `a=rid:<id> recv` lines and
//! `a=simulcast:recv <id>;<id>...` for the layers we take: each stream's
//! first alternative whose rid is valid here (at most 16 bytes), that has
//! an `a=rid ... send` line, and whose `pt=` restriction (if any) keeps a
//! payload type of the answer; at most [`MAX_SIMULCAST_LAYERS`]. We take
//! none (and answer without simulcast, RFC 8853 §5.3: one stream) when
//! the `rtp-stream-id` extension is not negotiated (packets could not be
//! told apart) or when we do not receive on the m-line. We do not send
//! simulcast in an answer (an offer's `a=simulcast:recv` gets one
//! stream); a sender offers it with `sendEncodings`.

use crate::rtp::ExtensionKind;
use crate::sdp::{ExtMap, MediaDescription, Rid, RidDirection, Simulcast, SimulcastRid};

use crate::peer::media::{MAX_SIMULCAST_LAYERS, RtpStreamId, SendLayer};

/// The id (fitting a byte, not 0) of extension `kind` in these extmaps.
pub(crate) fn extension_id(extmaps: &[ExtMap], kind: ExtensionKind) -> Option<u8> {
    extmaps
        .iter()
        .find(|e| e.uri == kind.uri())
        .and_then(|e| u8::try_from(e.id).ok())
        .filter(|&id| id != 0)
}

/// Writes a simulcast sender's layers into its offered m-line (RFC 8853
/// §5.2, Chromium's shape): `a=rid:<rid> send` per layer, then
/// `a=simulcast:send <rid>;<rid>...`. No `a=ssrc` lines go with them: the
/// rids identify the streams.
pub(crate) fn offer_layers(layers: &[SendLayer], m: &mut MediaDescription) {
    if layers.len() < 2 {
        return;
    }
    m.rids = layers
        .iter()
        .map(|l| Rid::new(l.rid.as_str(), RidDirection::Send))
        .collect();
    m.simulcast = Some(Simulcast::send(layers.iter().map(|l| l.rid.as_str())));
}

/// Answers the simulcast of `offered` in `answer` (an accepted m-line
/// whose codecs, extensions and direction are set): see the module docs
/// for which layers are taken.
pub(crate) fn answer_layers(offered: &MediaDescription, answer: &mut MediaDescription) {
    let Some(sim) = &offered.simulcast else {
        return;
    };
    if sim.send.is_empty()
        || !answer.direction.is_some_and(|d| d.receives())
        || extension_id(&answer.extmaps, ExtensionKind::RtpStreamId).is_none()
    {
        return;
    }
    let answer_pts: Vec<u8> = answer.payload_types().collect();
    let mut rids: Vec<Rid> = Vec::new();
    let mut streams: Vec<Vec<SimulcastRid>> = Vec::new();
    for stream in &sim.send {
        if streams.len() == MAX_SIMULCAST_LAYERS {
            break;
        }
        let taken = stream.iter().find_map(|alt| {
            RtpStreamId::new(&alt.id)?;
            if rids.iter().any(|r| r.id == alt.id) {
                return None;
            }
            let line = offered
                .rids
                .iter()
                .find(|r| r.id == alt.id && r.direction == RidDirection::Send)?;
            let mut rid = line.clone();
            rid.direction = RidDirection::Recv;
            if !rid.payload_types.is_empty() {
                rid.payload_types.retain(|pt| answer_pts.contains(pt));
                if rid.payload_types.is_empty() {
                    return None;
                }
            }
            Some((rid, alt.clone()))
        });
        if let Some((rid, alt)) = taken {
            rids.push(rid);
            streams.push(vec![alt]);
        }
    }
    if streams.is_empty() {
        return;
    }
    answer.rids = rids;
    answer.simulcast = Some(Simulcast {
        send: Vec::new(),
        recv: streams,
    });
}

/// The layers an answer settled for one m-line: (we send, we receive).
/// The answerer's `a=simulcast:recv` streams are the layers the offerer
/// sends, its `send` streams the layers the offerer receives; each
/// stream's first alternative counts. Empty without the `rtp-stream-id`
/// extension in the answer.
pub(crate) fn negotiated_layers(
    answer_line: &MediaDescription,
    local_offer: bool,
) -> (Vec<RtpStreamId>, Vec<RtpStreamId>) {
    let Some(sim) = &answer_line.simulcast else {
        return (Vec::new(), Vec::new());
    };
    if extension_id(&answer_line.extmaps, ExtensionKind::RtpStreamId).is_none() {
        return (Vec::new(), Vec::new());
    }
    let ids = |streams: &[Vec<SimulcastRid>]| -> Vec<RtpStreamId> {
        let mut out: Vec<RtpStreamId> = Vec::new();
        for rid in streams.iter().filter_map(|s| s.first()) {
            if let Some(id) = RtpStreamId::new(&rid.id)
                && !out.contains(&id)
                && out.len() < MAX_SIMULCAST_LAYERS
            {
                out.push(id);
            }
        }
        out
    };
    let (answerer_recv, answerer_send) = (ids(&sim.recv), ids(&sim.send));
    if local_offer {
        (answerer_recv, answerer_send)
    } else {
        (answerer_send, answerer_recv)
    }
}
