//! The parameters Binance documents for each method (`testdata/spec/params.tsv`, built in), so
//! that `call` and `frame` name a missing mandatory parameter before anything is sent, and point
//! at a name the method does not know.

/// The table, as shipped with the repository's reference data.
const PARAMS_TSV: &str = include_str!("../../../testdata/spec/params.tsv");

/// Parameters the client adds itself; never the user's to give.
const ADDED_BY_CLIENT: [&str; 3] = ["apiKey", "signature", "timestamp"];

/// What is wrong with the parameters given for `method`, as a message for the user; `Ok` with
/// notes (unknown names) that do not stop the request.
pub(crate) fn check(method: &str, given: &[String]) -> Result<Vec<String>, String> {
    let rows: Vec<(&str, &str)> = PARAMS_TSV
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let (m, name, _type, mandatory) =
                (cols.next()?, cols.next()?, cols.next()?, cols.next()?);
            (m == method).then_some((name, mandatory))
        })
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new()); // a method without documented parameters, or an unknown one
    }
    let has = |name: &str| given.iter().any(|g| g == name);
    let mut missing = Vec::new();
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for (name, mandatory) in &rows {
        if ADDED_BY_CLIENT.contains(name) {
            continue;
        }
        match *mandatory {
            "YES" | "Yes" if !has(name) => missing.push((*name).to_owned()),
            m if m.starts_with("YES (one of ") => {
                let inner = m.trim_start_matches("YES (one of ");
                let group: Vec<&str> = inner.split(';').next().unwrap_or("").split('|').collect();
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
            _ => {}
        }
    }
    for group in groups {
        if !group.iter().any(|n| has(n)) {
            missing.push(format!("one of {}", group.join(" or ")));
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "{method}: missing mandatory parameter {}",
            missing.join(", ")
        ));
    }
    let notes = given
        .iter()
        .filter(|g| !rows.iter().any(|(name, _)| name == g))
        .map(|g| format!("{method} documents no parameter {g:?}; the server will likely refuse it"))
        .collect();
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn mandatory_and_one_of_parameters_are_named() {
        let err = check("order.place", &names(&["symbol", "side"])).unwrap_err();
        assert_eq!(err, "order.place: missing mandatory parameter type");
        let err = check("order.status", &names(&["symbol"])).unwrap_err();
        assert_eq!(
            err,
            "order.status: missing mandatory parameter one of orderId or origClientOrderId"
        );
        assert!(check("order.status", &names(&["symbol", "orderId"]))
            .unwrap()
            .is_empty());
        let notes = check("depth", &names(&["symbol", "limt"])).unwrap();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("\"limt\""));
        assert!(check("ping", &[]).unwrap().is_empty());
        assert!(check("no.such.method", &names(&["x"])).unwrap().is_empty());
    }
}
