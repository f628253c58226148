//! SDP inputs: real browser descriptions from `core/tests/fixtures/sdp/`
//! (captured by `scripts/capture-sdp`), embedded at compile time.

/// One session description to parse.
#[derive(Debug, Clone)]
pub struct SdpInput {
    /// The figure id.
    pub id: &'static str,
    /// The text, as the browser wrote it (CRLF).
    pub text: &'static str,
}

/// Chromium 156's audio+video offer: 165 lines, two sections, 31 codecs,
/// 16 header extensions, candidates.
pub const CHROMIUM_AV_OFFER: &str =
    include_str!("../../core/tests/fixtures/sdp/chromium156-av-offer.sdp");

/// Firefox ESR 153's audio+video offer: 114 lines, attributes sorted by
/// name, session-level fingerprint.
pub const FIREFOX_AV_OFFER: &str =
    include_str!("../../core/tests/fixtures/sdp/firefox153-av-offer.sdp");

/// Chromium 156's data channel offer: 19 lines.
pub const CHROMIUM_DATA_OFFER: &str =
    include_str!("../../core/tests/fixtures/sdp/chromium156-data-offer.sdp");

/// The inputs of the SDP suites: `chromium_av_offer`, `firefox_av_offer`,
/// `chromium_data_offer`.
pub fn sdp_inputs() -> Vec<SdpInput> {
    vec![
        SdpInput {
            id: "chromium_av_offer",
            text: CHROMIUM_AV_OFFER,
        },
        SdpInput {
            id: "firefox_av_offer",
            text: FIREFOX_AV_OFFER,
        },
        SdpInput {
            id: "chromium_data_offer",
            text: CHROMIUM_DATA_OFFER,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerortc::sdp::SessionDescription;

    #[test]
    fn inputs_parse_and_round_trip() {
        for input in sdp_inputs() {
            let sdp = SessionDescription::parse(input.text).unwrap();
            assert_eq!(SessionDescription::parse(&sdp.to_string()).unwrap(), sdp);
        }
        let av = SessionDescription::parse(CHROMIUM_AV_OFFER).unwrap();
        assert_eq!(av.media.len(), 2);
        assert_eq!(av.media[1].codecs.len(), 23);
    }
}
