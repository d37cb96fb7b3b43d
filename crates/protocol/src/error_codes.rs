//! Binance's error codes with their names, as the reference table lists them (`errors.tsv`),
//! so that an [`crate::ApiError`] can be named in logs and matched by name.

/// `(code, name)`, sorted by code.
pub(crate) static NAMES: &[(i64, &str)] = &[
    (-2043, "NO_REFERENCE_PRICE"),
    (-2042, "MAXIMUM_SUBSCRIPTION_IDS"),
    (-2039, "CLIENT_ORDER_ID_INVALID"),
    (-2038, "ORDER_AMEND_REJECTED"),
    (-2036, "SUBSCRIPTION_INACTIVE"),
    (-2035, "SUBSCRIPTION_ACTIVE"),
    (-2026, "ORDER_ARCHIVED"),
    (-2022, "(cancel-replace) Order cancel-replace failed."),
    (
        -2021,
        "(cancel-replace) Order cancel-replace partially failed",
    ),
    (-2016, "NO_TRADING_WINDOW"),
    (-2015, "REJECTED_MBX_KEY"),
    (-2014, "BAD_API_KEY_FMT"),
    (-2013, "NO_SUCH_ORDER"),
    (-2011, "CANCEL_REJECTED"),
    (-2010, "NEW_ORDER_REJECTED"),
    (-1225, "PENDING_PARAM_NOT_REQUIRED"),
    (-1224, "WORKING_PARAM_REQUIRED"),
    (-1223, "OPO_PENDING_MUST_BE_SELL"),
    (-1222, "OPO_WORKING_MUST_BE_BUY"),
    (-1221, "INVALID_SBE_MESSAGE_FIELD"),
    (-1220, "SYMBOL_DOES_NOT_MATCH_STATUS"),
    (-1211, "INVALID_PEG_OFFSET_TYPE"),
    (-1210, "INVALID_PEG_PRICE_TYPE"),
    (-1199, "SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE"),
    (-1198, "BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW"),
    (-1197, "SELL_OCO_STOP_LOSS_MUST_BE_BELOW"),
    (-1196, "BUY_OCO_STOP_LOSS_MUST_BE_ABOVE"),
    (-1194, "INVALID_TIME_UNIT"),
    (-1191, "TOO_MANY_SUBSCRIPTIONS"),
    (-1190, "INVALID_REQUEST_ID"),
    (-1189, "DUPLICATE_ENTRIES_IN_A_GROUP"),
    (-1188, "INCORRECT_NUM_IN_GROUP_COUNT"),
    (-1187, "NOT_ALLOWED_IN_MARKET_DATA_SESSIONS"),
    (-1186, "NOT_ALLOWED_IN_ORDER_ENTRY_SESSIONS"),
    (-1185, "DROP_COPY_SESSION_REQUIRED"),
    (-1184, "DROP_COPY_SESSION_NOT_ALLOWED"),
    (-1183, "NOT_ALLOWED_IN_DROP_COPY_SESSIONS"),
    (-1182, "PARAMS_BAD_COMBO"),
    (-1181, "TOO_MANY_MESSAGES"),
    (-1180, "EXPECTED_LOGON"),
    (-1179, "BAD_SEQ_NUM"),
    (-1178, "BAD_SENDER_COMPID"),
    (-1177, "GARBLED_MESSAGE"),
    (-1176, "ALREADY_LOGGED_IN"),
    (-1175, "RESET_SEQ_NUM_SUPPORT"),
    (-1174, "INVALID_COMPONENT"),
    (-1173, "GROUP_FIELDS_OUT_OF_ORDER"),
    (-1172, "TAG_OUT_OF_ORDER"),
    (-1171, "TAG_APPEARS_MORE_THAN_ONCE"),
    (-1170, "TAG_NOT_DEFINED_IN_MESSAGE"),
    (-1169, "INVALID_TAG_NUMBER"),
    (-1168, "BOTH_OCO_ORDERS_CANNOT_BE_LIMIT"),
    (-1166, "SELL_OCO_LIMIT_MUST_BE_ABOVE"),
    (-1165, "BUY_OCO_LIMIT_MUST_BE_BELOW"),
    (-1161, "DEPRECATED_SCHEMA"),
    (-1160, "OCO_ICEBERGQTY_TIMEINFORCE"),
    (-1158, "OCO_ORDER_TYPE_REJECTED"),
    (-1155, "SBE_DISABLED"),
    (-1153, "UNSUPPORTED_SCHEMA_ID"),
    (-1152, "INVALID_SBE_HEADER"),
    (-1151, "DUPLICATE_SYMBOLS"),
    (-1145, "INVALID_CANCEL_RESTRICTIONS"),
    (-1139, "INVALID_TICKER_TYPE"),
    (-1135, "INVALID_JSON"),
    (-1134, "BAD_STRATEGY_TYPE"),
    (-1130, "INVALID_PARAMETER"),
    (-1128, "OPTIONAL_PARAMS_BAD_COMBO"),
    (-1127, "MORE_THAN_XX_HOURS"),
    (-1125, "INVALID_LISTEN_KEY"),
    (-1122, "INVALID_SYMBOLSTATUS"),
    (-1121, "BAD_SYMBOL"),
    (-1120, "BAD_INTERVAL"),
    (-1119, "EMPTY_ORG_CL_ORD_ID"),
    (-1118, "EMPTY_NEW_CL_ORD_ID"),
    (-1117, "INVALID_SIDE"),
    (-1116, "INVALID_ORDER_TYPE"),
    (-1115, "INVALID_TIF"),
    (-1114, "TIF_NOT_REQUIRED"),
    (-1112, "NO_DEPTH"),
    (-1111, "BAD_PRECISION"),
    (-1108, "PARAM_OVERFLOW"),
    (-1106, "PARAM_NOT_REQUIRED"),
    (-1105, "PARAM_EMPTY"),
    (-1104, "UNREAD_PARAMETERS"),
    (-1103, "UNKNOWN_PARAM"),
    (-1102, "MANDATORY_PARAM_EMPTY_OR_MALFORMED"),
    (-1101, "TOO_MANY_PARAMETERS"),
    (-1100, "ILLEGAL_CHARS"),
    (-1035, "LOGGED_OUT"),
    (-1034, "TOO_MANY_CONNECTIONS"),
    (-1033, "COMP_ID_IN_USE"),
    (-1022, "INVALID_SIGNATURE"),
    (-1021, "INVALID_TIMESTAMP"),
    (-1020, "UNSUPPORTED_OPERATION"),
    (-1016, "SERVICE_SHUTTING_DOWN"),
    (-1015, "TOO_MANY_ORDERS"),
    (-1014, "UNKNOWN_ORDER_COMPOSITION"),
    (-1013, "INVALID_MESSAGE"),
    (-1010, "ERROR_MSG_RECEIVED"),
    (-1008, "SERVER_BUSY"),
    (-1007, "TIMEOUT"),
    (-1006, "UNEXPECTED_RESP"),
    (-1003, "TOO_MANY_REQUESTS"),
    (-1002, "UNAUTHORIZED"),
    (-1001, "DISCONNECTED"),
    (-1000, "UNKNOWN"),
];

/// The name of `code`, if Binance documents it.
pub(crate) fn name(code: i64) -> Option<&'static str> {
    NAMES
        .binary_search_by_key(&code, |(c, _)| *c)
        .ok()
        .map(|i| NAMES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table says exactly what the reference table says.
    #[test]
    fn every_documented_code_has_its_name() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/spec/errors.tsv"
        );
        let text = std::fs::read_to_string(path).expect("errors.tsv");
        let mut rows = 0;
        for line in text.lines().skip(1) {
            let mut cols = line.split('\t');
            let code: i64 = cols.next().unwrap().parse().unwrap();
            let documented = cols.next().unwrap();
            assert_eq!(name(code), Some(documented), "code {code}");
            rows += 1;
        }
        assert_eq!(rows, NAMES.len());
        assert!(
            NAMES.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted for binary search"
        );
        assert_eq!(name(-1003), Some("TOO_MANY_REQUESTS"));
        assert_eq!(name(12345), None);
    }
}
