//! A request before it is framed: method, parameters and per-request options.

use std::borrow::Cow;
use std::time::Duration;

use crate::ids::RequestId;
use crate::method::{method_info, MethodInfo, Security};
use crate::params::{ParamValue, Params};
use crate::sign::Credentials;

/// One WS API request: any method name with any parameters.
///
/// The client adds `apiKey`, `timestamp`, `recvWindow` and `signature` as the method's
/// [`Security`] requires; do not set those yourself (a `recvWindow` or `timestamp` you set is kept).
///
/// ```
/// use binance_wsapi_proto::Request;
/// use rust_decimal::Decimal;
///
/// let request = Request::new("order.place")
///     .param("symbol", "BTCUSDT")
///     .param("side", "SELL")
///     .param("type", "LIMIT")
///     .param("timeInForce", "GTC")
///     .param("price", Decimal::new(5200000, 2))
///     .param("quantity", Decimal::new(1000000, 8));
/// assert_eq!(request.method(), "order.place");
/// ```
#[derive(Debug, Clone)]
pub struct Request {
    method: Cow<'static, str>,
    params: Params,
    security: Security,
    info: Option<&'static MethodInfo>,
    /// Rarely used options, boxed so that the builder moves a small value.
    options: Option<Box<Options>>,
}

#[derive(Debug, Clone, Default)]
struct Options {
    id: Option<RequestId>,
    timeout: Option<Duration>,
    credentials: Option<Credentials>,
    timestamp: Option<i64>,
}

impl Request {
    /// A request for `method`. Known methods get their security type from [`crate::METHODS`];
    /// unknown ones default to [`Security::None`] (set another with [`Self::with_security`]).
    pub fn new(method: impl Into<Cow<'static, str>>) -> Self {
        let method = method.into();
        let info = method_info(&method);
        Self {
            security: info.map_or(Security::None, |m| m.security),
            info,
            method,
            // Room comes with the first parameter (see `Params::set`): a request without
            // parameters (`ping`, `time`) allocates nothing for them.
            params: Params::new(),
            options: None,
        }
    }

    /// Sets a parameter (replacing an earlier value of the same name).
    #[must_use]
    #[inline]
    pub fn param(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<ParamValue>,
    ) -> Self {
        self.params.set(name, value);
        self
    }

    /// Sets a parameter only when `value` is `Some`.
    #[must_use]
    pub fn param_opt<V: Into<ParamValue>>(
        self,
        name: impl Into<Cow<'static, str>>,
        value: Option<V>,
    ) -> Self {
        match value {
            Some(v) => self.param(name, v),
            None => self,
        }
    }

    /// Replaces all parameters.
    #[must_use]
    pub fn with_params(mut self, params: Params) -> Self {
        self.params = params;
        self
    }

    /// Overrides the security type (for methods this version does not know).
    #[must_use]
    pub fn with_security(mut self, security: Security) -> Self {
        self.security = security;
        self
    }

    /// Uses this request id instead of the next one from the client's counter. It must not be in
    /// flight already.
    #[must_use]
    pub fn id(mut self, id: RequestId) -> Self {
        self.options.get_or_insert_with(Box::default).id = Some(id);
        self
    }

    /// A deadline for this request other than [`crate::Config::request_timeout`].
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.get_or_insert_with(Box::default).timeout = Some(timeout);
        self
    }

    /// Signs this request with other credentials than the client's (e.g. a TRADE key on a session
    /// logged on with a USER_DATA key). Always sends `apiKey` and `signature`.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.options.get_or_insert_with(Box::default).credentials = Some(credentials);
        self
    }

    /// Uses this `timestamp` instead of the client's server-corrected clock (offline framing,
    /// tests). In the client's [`crate::TimestampUnit`].
    #[must_use]
    pub fn timestamp(mut self, timestamp: i64) -> Self {
        self.options.get_or_insert_with(Box::default).timestamp = Some(timestamp);
        self
    }

    /// The method name.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The parameters set so far.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Mutable access to the parameters.
    pub fn params_mut(&mut self) -> &mut Params {
        &mut self.params
    }

    /// The security type that decides what is signed.
    pub fn security(&self) -> Security {
        self.security
    }

    /// What the client knows about the method, if it knows it.
    pub fn info(&self) -> Option<&'static MethodInfo> {
        self.info
    }

    pub(crate) fn parts(self) -> RequestParts {
        let options = self.options.map(|o| *o).unwrap_or_default();
        RequestParts {
            method: self.method,
            params: self.params,
            security: self.security,
            info: self.info,
            id: options.id,
            timeout: options.timeout,
            credentials: options.credentials,
            timestamp: options.timestamp,
        }
    }
}

/// A request taken apart for the client.
pub(crate) struct RequestParts {
    pub(crate) method: Cow<'static, str>,
    pub(crate) params: Params,
    pub(crate) security: Security,
    pub(crate) info: Option<&'static MethodInfo>,
    pub(crate) id: Option<RequestId>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) timestamp: Option<i64>,
}
