//! How an application reached the office, which decides the day it counts as received
//! (条例第三十一条): handed in at the window, that day; by post, the day it was signed for
//! (an ordinary letter, the day the office confirms it with the applicant); online (a phone
//! form, from a kiosk's QR code or not), the day the office confirms it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Online,
    InPerson,
    Post,
}

impl Channel {
    /// The channels staff register at the window (窗口登记), as the form offers them.
    pub const AT_THE_WINDOW: [Channel; 2] = [Channel::InPerson, Channel::Post];

    pub const fn label(self) -> &'static str {
        match self {
            Channel::Online => "网上提交",
            Channel::InPerson => "当面提交",
            Channel::Post => "邮寄",
        }
    }

    /// Which day is the day of receipt, in the words of 第三十一条.
    pub fn receipt_rule(self) -> &'static str {
        match self {
            Channel::Online => "以双方确认之日为收到申请之日",
            Channel::InPerson => "以提交之日为收到申请之日",
            Channel::Post => "以行政机关签收之日为收到申请之日（平常信函等无需签收的，以行政机关与申请人确认之日为收到申请之日）",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::InPerson => "in_person",
            Channel::Post => "post",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        [Channel::Online, Channel::InPerson, Channel::Post].into_iter().find(|c| c.as_str() == text)
    }

    /// The window's channel labelled `label` on the form.
    pub fn at_the_window(label: &str) -> Option<Channel> {
        Channel::AT_THE_WINDOW.into_iter().find(|c| c.label() == label)
    }
}
