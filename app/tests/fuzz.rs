//! Fuzz targets: the parsers and checkers that read untrusted input. Each must answer every
//! input with a value or an error, never a panic, and keep its invariants.
//!
//! A small coverage-blind fuzzer on `rand` (already a dependency): byte targets mutate seed
//! inputs (real provider specs and JUnit reports from the fixtures) by flipping, inserting,
//! deleting, duplicating and splicing; structured targets generate documents by shape, so the
//! spec diff sees real operations and schemas rather than bytes that never parse. (cargo-fuzz
//! and bolero were tried: adding any new crate re-resolves Cargo.lock against this registry
//! mirror's older index and downgrades leptos to a release that does not build.)
//!
//! Under `cargo test` each target runs for `TOLLGATE_FUZZ_SECONDS` (1 s by default);
//! `scripts/fuzz.sh SECONDS` runs them longer and prints the executions of each. A finding
//! fails the test, names the seed (`TOLLGATE_FUZZ_SEED` replays it) and writes the input
//! under `target/fuzz-findings/`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use app::events::model::EventIn;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How long each target runs.
fn budget() -> Duration {
    let seconds = std::env::var("TOLLGATE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(1);
    Duration::from_secs(seconds)
}

fn rng() -> (StdRng, u64) {
    let seed = std::env::var("TOLLGATE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    (StdRng::seed_from_u64(seed), seed)
}

/// Runs `target` on inputs from `next` for the budget; a panic is a finding.
fn fuzz<T: std::fmt::Debug>(
    name: &str,
    mut next: impl FnMut(&mut StdRng) -> T,
    target: impl Fn(&T),
    bytes_of: impl Fn(&T) -> Vec<u8>,
) {
    let (mut rng, seed) = rng();
    let started = Instant::now();
    let mut runs = 0u64;
    while started.elapsed() < budget() {
        let input = next(&mut rng);
        runs += 1;
        if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
            let dir =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-findings");
            let _ = std::fs::create_dir_all(&dir);
            let file = dir.join(format!("{}-{seed}", name.replace(' ', "-")));
            let _ = std::fs::write(&file, bytes_of(&input));
            panic!(
                "fuzz {name}: finding after {runs} executions (TOLLGATE_FUZZ_SEED={seed}); input in {}",
                file.display()
            );
        }
    }
    eprintln!(
        "fuzz {name}: {runs} executions in {:.0} s, no findings (seed {seed})",
        started.elapsed().as_secs_f64()
    );
}

/// A byte target over mutations of `seeds`.
fn fuzz_bytes(name: &str, seeds: &[Vec<u8>], target: impl Fn(&[u8])) {
    fuzz(
        name,
        |rng| mutate(rng, seeds),
        |input: &Vec<u8>| target(input),
        Clone::clone,
    );
}

/// One seed, changed a few times.
fn mutate(rng: &mut StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    const TOKENS: [&[u8]; 14] = [
        b"{",
        b"}",
        b"[",
        b"]",
        b"\"",
        b":",
        b",",
        b"\n  ",
        b"&a ",
        b"*a",
        b"$ref",
        b"\\u0000",
        b"<!DOCTYPE x [<!ENTITY e \"e\">]>",
        b"\xff\xfe",
    ];
    let mut data = seeds[rng.gen_range(0..seeds.len())].clone();
    for _ in 0..rng.gen_range(1..8) {
        let at = if data.is_empty() {
            0
        } else {
            rng.gen_range(0..data.len())
        };
        match rng.gen_range(0..6) {
            0 if !data.is_empty() => data[at] ^= 1 << rng.gen_range(0..8),
            1 => {
                let token = TOKENS[rng.gen_range(0..TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            2 if !data.is_empty() => {
                let end = (at + rng.gen_range(1..64)).min(data.len());
                data.drain(at..end);
            }
            3 if !data.is_empty() => {
                let end = (at + rng.gen_range(1..256)).min(data.len());
                let chunk = data[at..end].to_vec();
                data.splice(at..at, chunk);
            }
            4 => {
                let other = &seeds[rng.gen_range(0..seeds.len())];
                if !other.is_empty() {
                    let from = rng.gen_range(0..other.len());
                    let end = (from + rng.gen_range(1..512)).min(other.len());
                    data.splice(at..at, other[from..end].iter().copied());
                }
            }
            _ => data.truncate(at),
        }
    }
    data
}

fn fixture(path: &str) -> Vec<u8> {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path);
    let raw = std::fs::read(&full).expect("fixture");
    if path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .expect("gunzip");
        out
    } else {
        raw
    }
}

/// Arbitrary text: mostly short words from a small alphabet (so documents share names),
/// sometimes any characters at all.
fn text(rng: &mut StdRng) -> String {
    const WORDS: [&str; 10] = [
        "id",
        "amount",
        "user",
        "order",
        "{id}",
        "a b",
        "x~1",
        "é",
        "",
        "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    ];
    if rng.gen_bool(0.8) {
        format!(
            "{}{}",
            WORDS[rng.gen_range(0..WORDS.len())],
            rng.gen_range(0..4)
        )
    } else {
        (0..rng.gen_range(0..40))
            .map(|_| char::from_u32(rng.gen_range(0..0x3000)).unwrap_or('?'))
            .collect()
    }
}

fn schema(rng: &mut StdRng, depth: usize) -> serde_json::Value {
    use serde_json::json;
    const TYPES: [&str; 5] = ["string", "integer", "number", "boolean", "null"];
    let kind = if depth > 6 { 0 } else { rng.gen_range(0..5) };
    match kind {
        0 => {
            let mut v = json!({"type": TYPES[rng.gen_range(0..TYPES.len())]});
            if rng.gen_bool(0.2) {
                v["enum"] = (0..rng.gen_range(0..4)).map(|_| text(rng)).collect();
            }
            if rng.gen_bool(0.1) {
                v["format"] = json!(text(rng));
            }
            v
        }
        1 => json!({"type": "array", "items": schema(rng, depth + 1)}),
        2 => {
            let mut properties = serde_json::Map::new();
            let mut required = Vec::new();
            for _ in 0..rng.gen_range(0..5) {
                let name = text(rng);
                properties.insert(name.clone(), schema(rng, depth + 1));
                if rng.gen_bool(0.4) {
                    required.push(name);
                }
            }
            json!({"type": "object", "properties": properties, "required": required})
        }
        3 => json!({"$ref": format!("#/components/schemas/{}", text(rng))}),
        _ => json!({
            ["oneOf", "anyOf", "allOf"][rng.gen_range(0..3)]:
                (0..rng.gen_range(1..4)).map(|_| schema(rng, depth + 1)).collect::<Vec<_>>()
        }),
    }
}

/// A small OpenAPI document, generated by shape.
fn spec(rng: &mut StdRng) -> Vec<u8> {
    use serde_json::json;
    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
    const PLACES: [&str; 4] = ["query", "header", "path", "cookie"];
    let mut paths = serde_json::Map::new();
    for _ in 0..rng.gen_range(0..6) {
        let path = format!("/{}", text(rng));
        let mut operation = json!({
            "deprecated": rng.gen_bool(0.2),
            "parameters": (0..rng.gen_range(0..4)).map(|_| json!({
                "name": text(rng),
                "in": PLACES[rng.gen_range(0..PLACES.len())],
                "required": rng.gen_bool(0.5),
                "schema": schema(rng, 0),
            })).collect::<Vec<_>>(),
            "responses": (0..rng.gen_range(0..3)).map(|_| {
                let mut r = json!({"description": "r"});
                if rng.gen_bool(0.7) {
                    r["content"] = json!({"application/json": {"schema": schema(rng, 0)}});
                }
                (rng.gen_range(100..600).to_string(), r)
            }).collect::<serde_json::Map<_, _>>(),
        });
        if rng.gen_bool(0.3) {
            operation["security"] = (0..rng.gen_range(0..3))
                .map(|_| json!({text(rng): []}))
                .collect();
        }
        if rng.gen_bool(0.4) {
            operation["requestBody"] = json!({"required": rng.gen_bool(0.5), "content": {"application/json": {"schema": schema(rng, 0)}}});
        }
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[METHODS[rng.gen_range(0..METHODS.len())]] = operation;
    }
    let schemas: serde_json::Map<_, _> = (0..rng.gen_range(0..4))
        .map(|_| (text(rng), schema(rng, 0)))
        .collect();
    let version = ["3.0.3", "3.1.0"][rng.gen_range(0..2)];
    serde_json::to_vec(&json!({
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }))
    .expect("json")
}

fn spec_seeds() -> Vec<Vec<u8>> {
    vec![
        fixture("specs/twilio-verify-v2.json.gz"),
        fixture("specs/twilio-verify-v2.yaml.gz"),
        b"openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n".to_vec(),
        br#"{"swagger": "2.0", "paths": {"/a/{id}": {"post": {"parameters": [{"name": "id", "in": "path", "type": "string"}], "responses": {"201": {"description": "made"}}}}}}"#.to_vec(),
    ]
}

#[test]
fn fuzz_spec_parse() {
    fuzz_bytes("spec parse", &spec_seeds(), |bytes| {
        let _ = app::specs::document::parse(bytes);
    });
}

#[test]
fn fuzz_spec_diff() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
    fuzz(
        "spec diff",
        |rng| (spec(rng), spec(rng)),
        |(a, b)| {
            let (Ok(a), Ok(b)) = (
                app::specs::document::parse(a),
                app::specs::document::parse(b),
            ) else {
                return;
            };
            let _ = app::specs::index::operations(&a);
            let _ = app::specs::diff::diff(&a, &b, today);
            let _ = app::specs::diff::diff(&b, &a, today);
            let same = app::specs::diff::diff(&a, &a, today);
            assert!(same.is_empty(), "a document differs from itself: {same:?}");
        },
        |(a, b)| [a.as_slice(), b"\n---\n", b.as_slice()].concat(),
    );
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JUnit report generated by shape, with arbitrary names and messages.
fn report(rng: &mut StdRng) -> Vec<u8> {
    let mut xml = String::from("<testsuites>");
    for _ in 0..rng.gen_range(0..3) {
        xml.push_str(&format!("<testsuite name=\"{}\">", escape(&text(rng))));
        for _ in 0..rng.gen_range(0..6) {
            let message = escape(&text(rng));
            let inner = match rng.gen_range(0..4) {
                0 => String::new(),
                1 => format!("<failure message=\"{message}\"/>"),
                2 => format!("<error>{message}</error>"),
                _ => "<skipped/>".into(),
            };
            xml.push_str(&format!(
                "<testcase classname=\"{}\" name=\"{}\" time=\"{}\">{inner}</testcase>",
                escape(&text(rng)),
                escape(&text(rng)),
                text(rng)
            ));
        }
        xml.push_str("</testsuite>");
    }
    xml.push_str("</testsuites>");
    xml.into_bytes()
}

#[test]
fn fuzz_junit_import() {
    let seeds: Vec<Vec<u8>> = ["nextest", "playwright", "pytest", "surefire"]
        .iter()
        .map(|name| fixture(&format!("junit/{name}.xml")))
        .collect();
    fuzz_bytes("junit parse", &seeds, |bytes| {
        let _ = app::testing::junit::parse(bytes);
    });
    fuzz(
        "junit generated",
        report,
        |xml| {
            let _ = app::testing::junit::parse(xml);
        },
        Clone::clone,
    );
}

fn event(rng: &mut StdRng) -> EventIn {
    EventIn {
        level: ["", "error", "warning", "info", "fatal"][rng.gen_range(0..5)].into(),
        message: text(rng),
        error_type: text(rng),
        operation: text(rng),
        environment: text(rng),
        http_status: rng.gen_bool(0.5).then(|| rng.gen_range(-10..700)),
        latency_ms: rng.gen_bool(0.5).then(|| rng.gen_range(-10..4_000_000)),
        time: rng.gen_bool(0.3).then(|| {
            if rng.gen_bool(0.5) {
                "2026-12-01T10:00:00Z".to_string()
            } else {
                text(rng)
            }
        }),
        context: rng
            .gen_bool(0.3)
            .then(|| serde_json::json!({"note": text(rng), "n": rng.gen_range(0..9)})),
        fingerprint: (0..rng.gen_range(0..12)).map(|_| text(rng)).collect(),
    }
}

#[test]
fn fuzz_event_batches() {
    let now = chrono::Utc::now();
    let seeds = vec![
        br#"[{"level": "error", "message": "Timeout after 30 s", "operation": "POST /v1/charges", "http_status": 504, "latency_ms": 30000, "context": {"request_id": "req_1"}}]"#.to_vec(),
        br#"[{"message": "card declined", "time": "2026-12-01T10:00:00Z"}, {"level": "info", "message": "ok"}]"#.to_vec(),
    ];
    fuzz_bytes("event batch bytes", &seeds, |bytes| {
        if app::limits::check_json(bytes, app::limits::BODY_NODES).is_err() {
            return;
        }
        if let Ok(events) = serde_json::from_slice::<Vec<EventIn>>(bytes) {
            let _ = app::events::service::prepare(&events, now);
        }
    });
    fuzz(
        "event batch generated",
        |rng| {
            (0..rng.gen_range(0..20))
                .map(|_| event(rng))
                .collect::<Vec<_>>()
        },
        |events| {
            if let Ok(prepared) = app::events::service::prepare(events, now) {
                for print in prepared.fingerprints() {
                    assert_eq!(print.len(), 64, "a fingerprint is a SHA-256 in hex");
                }
            }
        },
        |events| serde_json::to_vec(events).unwrap_or_default(),
    );
}

/// An envelope as the Python SDK sends one: a header, an event item with a length, and a
/// session item without.
fn envelope_seed() -> Vec<u8> {
    let event = serde_json::json!({
        "event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "level": "error", "platform": "python",
        "timestamp": 1_780_000_000.25, "release": "shop@1.0", "tags": {"operation": "POST /v1/charges"},
        "exception": {"values": [{"type": "CardDeclined", "value": "declined ch_1",
            "stacktrace": {"frames": [{"function": "charge", "filename": "pay.py", "lineno": 42}]}}]},
        "breadcrumbs": {"values": [{"category": "http", "message": "POST 402"}]},
    })
    .to_string();
    format!(
        "{{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\",\"dsn\":\"http://k@127.0.0.1/1\"}}\n{{\"type\":\"event\",\"length\":{}}}\n{event}\n{{\"type\":\"session\"}}\n{{\"sid\":\"x\"}}\n",
        event.len()
    )
    .into_bytes()
}

/// Every envelope is read or refused, and every event in one becomes an event the events
/// room takes: an SDK's data is never refused for its form.
#[test]
fn fuzz_sentry_envelopes() {
    let now = chrono::Utc::now();
    let seeds = vec![
        envelope_seed(),
        b"{}\n{\"type\":\"event\"}\n{\"message\":\"hi\",\"level\":\"warning\"}".to_vec(),
    ];
    fuzz_bytes("sentry envelope", &seeds, |bytes| {
        let Ok(envelope) = app::sentry::envelope::parse(bytes) else {
            return;
        };
        for item in envelope.items.iter().filter(|i| i.kind == "event") {
            if app::limits::check_json(item.payload, app::limits::BODY_NODES).is_err() {
                continue;
            }
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(item.payload) else {
                continue;
            };
            let event = app::sentry::event::to_event(&value, "production", now);
            if let Err(e) = app::events::service::prepare(std::slice::from_ref(&event), now) {
                panic!("{event:?} refused: {e:?}");
            }
        }
    });
}

/// Every check-in payload and cron expression is read or refused without a panic, and a
/// schedule read from one always comes round after the time it is asked from.
#[test]
fn fuzz_check_ins_and_schedules() {
    use app::heartbeats::schedule;
    let now = chrono::Utc::now();
    let seeds = vec![
        br#"{"check_in_id":"83a7c03ed0a04e1b97e2e3b18d38f244","monitor_slug":"nightly-sync","status":"in_progress","monitor_config":{"schedule":{"type":"crontab","value":"0 3 * * *"},"checkin_margin":10,"max_runtime":45,"timezone":"UTC"}}"#.to_vec(),
        br#"{"monitor_slug":"token-refresh","status":"ok","monitor_config":{"schedule":{"type":"interval","value":2,"unit":"hour"}}}"#.to_vec(),
        b"*/15 1-5,22 L * MON-FRI".to_vec(),
        b"@weekly".to_vec(),
    ];
    fuzz_bytes("check-in and schedule", &seeds, |bytes| {
        let text = String::from_utf8_lossy(bytes);
        if schedule::cron(&text).is_ok() {
            let s = app::heartbeats::model::Schedule {
                interval_minutes: None,
                cron: Some(text.trim().to_string()),
                grace_minutes: 5,
                max_runtime_minutes: 30,
            };
            assert!(schedule::next_run(&s, now) > now, "{text:?} comes round");
            let _ = schedule::describe(&s);
        }
        if app::limits::check_json(bytes, app::limits::BODY_NODES).is_err() {
            return;
        }
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
            return;
        };
        if let Some(c) = schedule::check_in(&value) {
            assert!(!c.slug.is_empty() && c.slug.len() <= schedule::SLUG_CHARS);
            if let Some(s) = c.config {
                assert!(schedule::deadline(&s, now) > now);
            }
        }
    });
}

/// Every trace is read without a panic, and each call in one is matched to an operation or
/// to none; a matched call's operation has its method.
#[test]
fn fuzz_traces() {
    use app::observed::calls::{Operation, calls, operation_of};
    let ops: Vec<Operation> = [
        ("POST", "/v1/charges"),
        ("GET", "/v1/charges/{charge}"),
        ("GET", "/v1/files/{name}.json"),
    ]
    .iter()
    .map(|(m, p)| Operation {
        spec_id: 1,
        method: (*m).into(),
        path: (*p).into(),
        template: app::specs::model::template(p),
    })
    .collect();
    let base = reqwest::Url::parse("https://api.stripe.example/").unwrap();
    let seeds = vec![
        br#"{"type":"transaction","spans":[{"op":"http.client","description":"POST https://api.stripe.example/v1/charges","start_timestamp":1780000000.0,"timestamp":1780000000.25,"data":{"http.response.status_code":402}}]}"#.to_vec(),
        br#"{"version":2,"items":[{"name":"GET https://api.stripe.example/v1/files/a.json","status":"ok","start_timestamp":1796684501.0,"end_timestamp":"2026-12-07T23:00:00Z","attributes":{"sentry.op":{"value":"http.client","type":"string"},"url.full":{"value":"https://api.stripe.example/v1/files/a.json","type":"string"}}}]}"#.to_vec(),
    ];
    fuzz_bytes("trace", &seeds, |bytes| {
        if app::limits::check_json(bytes, app::limits::BODY_NODES).is_err() {
            return;
        }
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
            return;
        };
        for c in calls(&value) {
            assert!(c.millis >= 0.0);
            if let Some(op) = operation_of(&ops, &base, &c.method, &c.url) {
                assert_eq!(op.method, c.method);
            }
        }
    });
}

#[test]
fn fuzz_mapping_expressions() {
    use app::implementation::mapping::{MappingRow, Transform, preview};
    let row = |rng: &mut StdRng, i: usize| MappingRow {
        id: i32::try_from(i).unwrap_or(0),
        integration: app::integrations::model::IntegrationRef {
            id: 1,
            slug: "orders".into(),
            name: "Orders".into(),
            gate_overridden: false,
        },
        position: i32::try_from(i).unwrap_or(0) + 1,
        source_pointer: if rng.gen_bool(0.6) {
            ["/data/object/amount", "/data/id", "/a/0/b", "/", "/~1x/~0y"][rng.gen_range(0..5)]
                .to_string()
        } else {
            text(rng)
        },
        target_field: text(rng),
        transform: Transform::ALL[rng.gen_range(0..Transform::ALL.len())],
        transform_arg: if rng.gen_bool(0.5) {
            format!("{}={},{}", text(rng), text(rng), text(rng))
        } else {
            text(rng)
        },
        required: rng.gen_bool(0.5),
        notes: String::new(),
    };
    fuzz(
        "mapping preview",
        |rng| {
            let rows: Vec<MappingRow> = (0..rng.gen_range(0..8)).map(|i| row(rng, i)).collect();
            let sample = if rng.gen_bool(0.7) {
                serde_json::json!({"data": {"id": text(rng), "object": {"amount": rng.gen_range(-5i64..100_000), "at": text(rng)}}, "a": [{"b": text(rng)}]})
                    .to_string()
            } else {
                text(rng)
            };
            (rows, sample)
        },
        |(rows, sample)| {
            let _ = preview(rows, sample);
        },
        |(_, sample)| sample.clone().into_bytes(),
    );
}

#[test]
fn fuzz_search_text() {
    use app::search::model::{QUERY_WORDS, marked, snippet, words};
    fuzz(
        "search text",
        |rng| {
            let q: String = (0..rng.gen_range(0..6))
                .map(|_| text(rng))
                .collect::<Vec<_>>()
                .join(if rng.gen_bool(0.5) { " " } else { "-\u{0}\"*" });
            let body: String = (0..rng.gen_range(0..80))
                .map(|_| text(rng))
                .collect::<Vec<_>>()
                .join(if rng.gen_bool(0.8) { " " } else { "\n\t…" });
            (q, body)
        },
        |(q, body)| {
            let Ok(w) = words(q) else {
                assert!(q.chars().count() > app::search::model::QUERY_CHARS);
                return;
            };
            assert!(w.len() <= QUERY_WORDS);
            assert!(
                w.iter()
                    .all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric))
            );
            // The title's pieces are the whole title, in order; the snippet's are from the body.
            let t: String = marked(body, &w).into_iter().map(|p| p.text).collect();
            assert_eq!(&t, body);
            for p in snippet(body, &w) {
                assert!(!p.text.is_empty());
                if p.hit {
                    assert!(body.contains(&p.text));
                }
            }
        },
        |(q, body)| format!("{q}\n{body}").into_bytes(),
    );
}
