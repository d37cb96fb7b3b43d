//! What a replacement connection must redo to stand where a lost one stood.

/// The session log-on and user-data subscription a connection had, learned from its successful
/// requests, so that a driver can redo them on a new socket (Binance keeps neither across
/// connections).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resume {
    logged_on: bool,
    subscribed_with: Option<&'static str>,
}

impl Resume {
    /// Notes a request that succeeded; `subscriptions_left` is how many user-data
    /// subscriptions the connection still has after it.
    pub fn note_success(&mut self, method: &str, subscriptions_left: usize) {
        match method {
            "session.logon" => self.logged_on = true,
            "session.logout" => self.logged_on = false,
            "userDataStream.subscribe" => self.subscribed_with = Some("userDataStream.subscribe"),
            "userDataStream.subscribe.signature" => {
                self.subscribed_with = Some("userDataStream.subscribe.signature");
            }
            "userDataStream.unsubscribe" if subscriptions_left == 0 => self.subscribed_with = None,
            _ => {}
        }
    }

    /// Whether the connection was logged on (`session.logon` to redo first).
    pub fn logged_on(&self) -> bool {
        self.logged_on
    }

    /// The method that subscribed user data, to redo after the log-on.
    pub fn subscription(&self) -> Option<&'static str> {
        self.subscribed_with
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_logon_and_subscription_until_undone() {
        let mut r = Resume::default();
        r.note_success("ping", 0);
        assert_eq!(r, Resume::default());
        r.note_success("session.logon", 0);
        r.note_success("userDataStream.subscribe.signature", 1);
        assert!(r.logged_on());
        assert_eq!(r.subscription(), Some("userDataStream.subscribe.signature"));
        r.note_success("userDataStream.unsubscribe", 1);
        assert!(r.subscription().is_some(), "one subscription is left");
        r.note_success("userDataStream.unsubscribe", 0);
        r.note_success("session.logout", 0);
        assert_eq!(r, Resume::default());
    }
}
