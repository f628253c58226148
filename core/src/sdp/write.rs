//! The serializer: [`SessionDescription`] → text, CRLF line ends, in the
//! order Chromium writes (see the module doc of [`crate::sdp`]).

use std::fmt::{self, Display};

use super::media::MediaDescription;
use super::session::SessionDescription;

/// Writes `<prefix><value>\r\n`.
fn line(f: &mut fmt::Formatter<'_>, prefix: &str, value: impl Display) -> fmt::Result {
    f.write_str(prefix)?;
    write!(f, "{value}")?;
    f.write_str("\r\n")
}

/// Writes `<prefix>\r\n` when `flag`.
fn flag(f: &mut fmt::Formatter<'_>, set: bool, name: &str) -> fmt::Result {
    if set {
        f.write_str(name)?;
        f.write_str("\r\n")?;
    }
    Ok(())
}

fn opt<T: Display>(f: &mut fmt::Formatter<'_>, prefix: &str, value: Option<&T>) -> fmt::Result {
    match value {
        Some(v) => line(f, prefix, v),
        None => Ok(()),
    }
}

fn all<T: Display>(f: &mut fmt::Formatter<'_>, prefix: &str, values: &[T]) -> fmt::Result {
    values.iter().try_for_each(|v| line(f, prefix, v))
}

/// `a=ice-options:` with space-separated tokens, if any.
fn ice_options(f: &mut fmt::Formatter<'_>, options: &[String]) -> fmt::Result {
    let Some((first, rest)) = options.split_first() else {
        return Ok(());
    };
    f.write_str("a=ice-options:")?;
    f.write_str(first)?;
    for option in rest {
        f.write_str(" ")?;
        f.write_str(option)?;
    }
    f.write_str("\r\n")
}

impl Display for SessionDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=0\r\n")?;
        line(f, "o=", &self.origin)?;
        line(f, "s=", &self.session_name)?;
        opt(f, "i=", self.information.as_ref())?;
        opt(f, "u=", self.uri.as_ref())?;
        all(f, "e=", &self.emails)?;
        all(f, "p=", &self.phones)?;
        opt(f, "c=", self.connection.as_ref())?;
        all(f, "b=", &self.bandwidths)?;
        for t in &self.timings {
            line(f, "t=", format_args!("{} {}", t.start, t.stop))?;
            all(f, "r=", &t.repeats)?;
        }
        opt(f, "z=", self.time_zones.as_ref())?;
        opt(f, "k=", self.encryption_key.as_ref())?;
        all(f, "a=group:", &self.groups)?;
        flag(f, self.extmap_allow_mixed, "a=extmap-allow-mixed")?;
        // Chromium writes a space after the colon; Firefox does not. The
        // value is the same either way.
        opt(f, "a=msid-semantic: ", self.msid_semantic.as_ref())?;
        flag(f, self.ice_lite, "a=ice-lite")?;
        opt(f, "a=ice-ufrag:", self.ice_ufrag.as_ref())?;
        opt(f, "a=ice-pwd:", self.ice_pwd.as_ref())?;
        ice_options(f, &self.ice_options)?;
        all(f, "a=fingerprint:", &self.fingerprints)?;
        opt(f, "a=setup:", self.setup.as_ref())?;
        opt(f, "a=", self.direction.as_ref())?;
        all(f, "a=", &self.attributes)?;
        self.media.iter().try_for_each(|m| m.fmt(f))
    }
}

impl Display for MediaDescription {
    /// The media section: `m=` and its lines, each ending in CRLF.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m={} {}", self.kind, self.port)?;
        if let Some(n) = self.port_count {
            write!(f, "/{n}")?;
        }
        write!(f, " {}", self.proto)?;
        for format in &self.formats {
            f.write_str(" ")?;
            f.write_str(format)?;
        }
        f.write_str("\r\n")?;
        opt(f, "i=", self.title.as_ref())?;
        opt(f, "c=", self.connection.as_ref())?;
        all(f, "b=", &self.bandwidths)?;
        opt(f, "k=", self.encryption_key.as_ref())?;
        opt(f, "a=rtcp:", self.rtcp.as_ref())?;
        all(f, "a=", &self.candidates)?;
        flag(f, self.end_of_candidates, "a=end-of-candidates")?;
        opt(f, "a=ice-ufrag:", self.ice_ufrag.as_ref())?;
        opt(f, "a=ice-pwd:", self.ice_pwd.as_ref())?;
        ice_options(f, &self.ice_options)?;
        all(f, "a=fingerprint:", &self.fingerprints)?;
        opt(f, "a=setup:", self.setup.as_ref())?;
        opt(f, "a=mid:", self.mid.as_ref())?;
        flag(f, self.bundle_only, "a=bundle-only")?;
        flag(f, self.extmap_allow_mixed, "a=extmap-allow-mixed")?;
        all(f, "a=extmap:", &self.extmaps)?;
        opt(f, "a=", self.direction.as_ref())?;
        all(f, "a=msid:", &self.msids)?;
        flag(f, self.rtcp_mux, "a=rtcp-mux")?;
        flag(f, self.rtcp_mux_only, "a=rtcp-mux-only")?;
        flag(f, self.rtcp_rsize, "a=rtcp-rsize")?;
        for codec in &self.codecs {
            let pt = codec.payload_type;
            if let Some(map) = &codec.rtpmap {
                line(f, "a=rtpmap:", format_args!("{pt} {map}"))?;
            }
            for fb in &codec.rtcp_fb {
                line(f, "a=rtcp-fb:", format_args!("{pt} {fb}"))?;
            }
            if let Some(fmtp) = &codec.fmtp {
                if fmtp.is_empty() {
                    line(f, "a=fmtp:", pt)?;
                } else {
                    line(f, "a=fmtp:", format_args!("{pt} {fmtp}"))?;
                }
            }
        }
        for fb in &self.rtcp_fb_all {
            line(f, "a=rtcp-fb:* ", fb)?;
        }
        all(f, "a=rid:", &self.rids)?;
        opt(f, "a=simulcast:", self.simulcast.as_ref())?;
        all(f, "a=ssrc-group:", &self.ssrc_groups)?;
        for ssrc in &self.ssrcs {
            for a in &ssrc.attributes {
                match &a.value {
                    Some(v) => line(f, "a=ssrc:", format_args!("{} {}:{v}", ssrc.ssrc, a.name))?,
                    None => line(f, "a=ssrc:", format_args!("{} {}", ssrc.ssrc, a.name))?,
                }
            }
        }
        opt(f, "a=sctp-port:", self.sctp_port.as_ref())?;
        opt(f, "a=max-message-size:", self.max_message_size.as_ref())?;
        opt(f, "a=sctpmap:", self.sctpmap.as_ref())?;
        all(f, "a=", &self.attributes)
    }
}
