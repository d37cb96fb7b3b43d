//! Turning `name=value` words from the command line into request parameters.

use binance_wsapi_proto::ParamValue;

/// Reads `name=value`. Whole numbers become integers, `true`/`false` booleans, `[..]` JSON
/// string lists; everything else (decimals included) is sent as the exact text given.
pub(crate) fn parse_param(word: &str) -> Result<(String, ParamValue), String> {
    let (name, value) = word
        .split_once('=')
        .ok_or_else(|| format!("parameter {word:?} must look like name=value"))?;
    if name.is_empty() {
        return Err(format!("parameter {word:?} has no name"));
    }
    let value = if value == "true" || value == "false" {
        ParamValue::Bool(value == "true")
    } else if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        value
            .parse::<i64>()
            .map(ParamValue::Int)
            .map_err(|_| format!("parameter {name}: {value:?} is not a 64-bit integer"))?
    } else if value.starts_with('[') {
        let items: Vec<String> = serde_json::from_str(value)
            .map_err(|_| format!("parameter {name}: a list must be a JSON array of strings"))?;
        ParamValue::from(items)
    } else {
        ParamValue::from(value.to_owned())
    };
    Ok((name.to_owned(), value))
}

/// The closest known method name to a mistyped one, if any is close.
pub(crate) fn suggest(method: &str) -> Option<&'static str> {
    binance_wsapi_proto::METHODS
        .iter()
        .map(|m| {
            (
                distance(&method.to_lowercase(), &m.name.to_lowercase()),
                m.name,
            )
        })
        .filter(|(d, name)| *d <= 3.max(name.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_get_their_types() {
        assert_eq!(parse_param("limit=5").unwrap().1, ParamValue::Int(5));
        assert_eq!(
            parse_param("price=0.10").unwrap().1,
            ParamValue::from("0.10".to_owned())
        );
        assert_eq!(
            parse_param("omitZeroBalances=true").unwrap().1,
            ParamValue::Bool(true)
        );
        assert_eq!(
            parse_param(r#"symbols=["BTCUSDT","ETHBTC"]"#).unwrap().1,
            ParamValue::from(vec!["BTCUSDT".to_owned(), "ETHBTC".to_owned()])
        );
        assert!(parse_param("novalue").is_err());
        assert!(parse_param("=x").is_err());
        assert!(parse_param("id=99999999999999999999").is_err());
    }

    #[test]
    fn typos_get_suggestions() {
        assert_eq!(suggest("order.plcae"), Some("order.place"));
        assert_eq!(suggest("exchangeinfo"), Some("exchangeInfo"));
        assert_eq!(suggest("completely.different.thing"), None);
    }
}
