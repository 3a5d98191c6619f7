//! The "Pagination" and "Waiters" sections of an action's page.

use super::action::cli_params;
use super::text::cell;
use crate::ir::{Action, PageStyle, Provider, Service, WaitResult};

fn quoted(v: &[String]) -> String {
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `## Pagination`, for actions with `paginate:`.
pub(super) fn pagination(provider: &Provider, s: &Service, a: &Action) -> String {
    let Some(p) = &a.paginate else {
        return String::new();
    };
    let page = &a.request[p.page].wire;
    let style = match p.style {
        PageStyle::PageNumber { first } => {
            format!("page number `{page}` (the first page is {first})")
        }
        PageStyle::Offset => format!("offset `{page}`"),
        PageStyle::Marker => format!("marker `{page}`"),
    };
    let mut out = format!("\n## Pagination\n\nPaged by {style}");
    if let Some(i) = p.size {
        out.push_str(&format!(", page size `{}`", a.request[i].wire));
    }
    out.push_str(&format!("; the items are `{}`", p.items.text));
    if let Some(t) = &p.total {
        out.push_str(&format!(", the total `{}`", t.text));
    }
    if let Some(t) = &p.total_pages {
        out.push_str(&format!(", the total pages `{}`", t.text));
    }
    if let Some(n) = &p.next {
        out.push_str(&format!(", the next marker `{}`", n.text));
    }
    out.push_str(&format!(
        ".\n\nThe paginator stops after an empty page, when the total is reached, after a page \
         shorter than the page size, or (markers) when no new marker comes back:\n\n\
         ```rust,no_run\n\
         # async fn run(client: cloudbackup::{p}::{s}::Client, input: cloudbackup::{p}::{s}::{a}Input) -> Result<(), Box<dyn std::error::Error>> {{\n\
         let mut items = client.{snake}_paginator(input).max_items(500).items();\n\
         while let Some(item) = items.next().await {{\n    let _item = item?;\n}}\n\
         # Ok(())\n# }}\n```\n\n\
         CLI: `--all-pages` prints every item, `--max-items N` stops after N.\n",
        p = provider.id,
        s = s.id,
        a = a.name,
        snake = a.snake,
    ));
    out
}

/// `## Waiters`, for actions with `waiters:`.
pub(super) fn waiters(p: &Provider, s: &Service, a: &Action) -> String {
    if a.waiters.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n## Waiters\n\n| waiter | method | state | success | failure | retry | poll |\n| --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for w in &a.waiters {
        let mut failure = quoted(&w.failure);
        for (code, r) in &w.errors {
            let word = match r {
                WaitResult::Success => "success",
                WaitResult::Failure => "failure",
                WaitResult::Retry => "retry",
            };
            failure.push_str(&format!(
                "{}error `{code}`: {word}",
                if failure.is_empty() { "" } else { "; " }
            ));
        }
        out.push_str(&format!(
            "| `{}` | `wait_until_{}` | `{}` | {} | {} | {} | every {} s, at most {} s |\n",
            w.name,
            w.snake,
            w.state.text,
            quoted(&w.success),
            failure,
            w.retry.as_ref().map_or_else(
                || "any other value".to_owned(),
                |r| format!("{} (any other value fails)", quoted(r))
            ),
            w.interval,
            w.timeout
        ));
    }
    for w in &a.waiters {
        out.push_str(&format!("\n### `{}`\n\n", w.name));
        if let Some(d) = &w.doc {
            out.push_str(&format!("{}\n\n", cell(d)));
        }
        if let Some(f) = &w.from {
            let (args, what) = if f.uses_request() {
                ("&request, &output", "its request and output")
            } else {
                ("&output", "its output")
            };
            out.push_str(&format!(
                "After `{}`: `{}Input::for_{}({args})` builds the input from {what}.\n\n",
                f.action, a.name, w.snake
            ));
        }
        out.push_str(&format!(
            "```sh\ncloudbackup wait {} {} {}{}\n```\n",
            p.id,
            s.id,
            w.name,
            cli_params(s, a)
        ));
    }
    out
}
