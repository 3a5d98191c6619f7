//! `client::paginate::next_input`, the stepping logic every generated paginator uses, for each
//! paging style: which page comes next and when the list has ended. A hand-written list action
//! per style (no network: `next_input` only reads and sets cursors), and the generated
//! `DescribeDiskBackupsInput` (offset paging with a default page size). The paginators'
//! streams are exercised against the emulator elsewhere.

use cloudbackup::client::paginate::{Cursor, PageInfo, PageStyle, Paginated, next_input};
use cloudbackup::codec::{FieldError, WireBuilder};
use cloudbackup::meta::{ActionInfo, Family, ServiceInfo};
use cloudbackup::runtime::request::{HttpMethod, WireRequest};
use cloudbackup::{ErrorMeta, Operation, ServiceError, ValidationErrors};

/// `STYLE`: 0 page numbers from 1, 1 page numbers from 0, 2 offsets, 3 markers.
#[derive(Clone, Debug, Default, PartialEq)]
struct ListJobs<const STYLE: u8> {
    page: Option<i64>,
    marker: Option<String>,
    size: Option<i64>,
}

/// A page of `ListJobs`.
#[derive(Debug, Default)]
struct Page {
    jobs: Vec<String>,
}

#[derive(Debug)]
struct ListJobsError(ErrorMeta);

impl std::fmt::Display for ListJobsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ListJobsError {}

impl ServiceError for ListJobsError {
    fn meta(&self) -> &ErrorMeta {
        &self.0
    }
    fn is_retryable(&self) -> bool {
        false
    }
}

const SERVICE: ServiceInfo = ServiceInfo {
    provider: "demo",
    service: "jobs",
    title: "Demo jobs",
    family: Family::TencentTc3,
    version: None,
    signing_name: "jobs",
    global_host: None,
    regions: &[],
    resources: &[],
};

const ACTION: ActionInfo = ActionInfo {
    name: "ListJobs",
    method: HttpMethod::Get,
    path: "/jobs",
    idempotent: true,
    idempotency_field: None,
    limits: &[],
    follow_ups: &[],
    doc_url: "https://example.com/ListJobs",
};

impl<const STYLE: u8> Operation for ListJobs<STYLE> {
    type Output = Page;
    type Error = ListJobsError;
    const SERVICE: &'static ServiceInfo = &SERVICE;
    const ACTION: &'static ActionInfo = &ACTION;

    fn validate(&self) -> Result<(), ValidationErrors> {
        Ok(())
    }

    fn fill_idempotency_token(&mut self, _make: &mut dyn FnMut() -> String) {}

    fn to_wire(&self, _fresh_id: &mut dyn FnMut() -> String) -> WireRequest {
        let mut w = WireBuilder::new(HttpMethod::Get, "/jobs", false);
        if let Some(p) = self.page {
            w.param("Page", &p);
        }
        if let Some(m) = &self.marker {
            w.param("Marker", m);
        }
        if let Some(s) = self.size {
            w.param("Size", &s);
        }
        w.finish()
    }

    fn from_wire(_wire: &WireRequest) -> Result<Self, FieldError> {
        Err(FieldError {
            path: "<request>".into(),
            reason: "not read back in this test".into(),
        })
    }

    fn parse_output(_payload: &serde_json::Value) -> Result<Page, FieldError> {
        Err(FieldError {
            path: "<payload>".into(),
            reason: "not decoded in this test".into(),
        })
    }

    fn parse_error(meta: ErrorMeta) -> ListJobsError {
        ListJobsError(meta)
    }
}

impl<const STYLE: u8> Paginated for ListJobs<STYLE> {
    type Item = String;
    const STYLE: PageStyle = match STYLE {
        0 => PageStyle::PageNumber { first: 1 },
        1 => PageStyle::PageNumber { first: 0 },
        2 => PageStyle::Offset,
        _ => PageStyle::Marker,
    };

    fn cursor(&self) -> Option<Cursor> {
        match Self::STYLE {
            PageStyle::Marker => self.marker.clone().map(Cursor::Marker),
            _ => self.page.map(Cursor::Position),
        }
    }

    fn set_cursor(&mut self, cursor: Cursor) {
        match cursor {
            Cursor::Position(p) => self.page = Some(p),
            Cursor::Marker(m) => self.marker = Some(m),
        }
    }

    fn page_size(&self) -> Option<i64> {
        self.size
    }

    fn page_info(output: &Page) -> PageInfo {
        PageInfo {
            items: output.jobs.len(),
            ..PageInfo::default()
        }
    }

    fn into_items(output: Page) -> Vec<String> {
        output.jobs
    }
}

type FromOne = ListJobs<0>;
type FromZero = ListJobs<1>;
type Offsets = ListJobs<2>;
type Markers = ListJobs<3>;

fn info(items: usize) -> PageInfo {
    PageInfo {
        items,
        ..PageInfo::default()
    }
}

fn sized<const S: u8>(size: i64) -> ListJobs<S> {
    ListJobs {
        size: Some(size),
        ..ListJobs::default()
    }
}

#[test]
fn page_numbers_count_from_the_first_page() {
    // No cursor: the input asked for the first page (1), so the next is 2.
    let next = next_input(&sized::<0>(10), &info(10), 10).unwrap();
    assert_eq!(next.page, Some(2));
    assert_eq!(next.size, Some(10), "the rest of the input is kept");
    let third = next_input(&next, &info(10), 20).unwrap();
    assert_eq!(third.page, Some(3));
    // Numbered from 0: the first page is 0, the next 1.
    assert_eq!(
        next_input(&sized::<1>(10), &info(10), 10).unwrap().page,
        Some(1)
    );
    // Starting where the input says.
    let mid = FromOne {
        page: Some(7),
        ..sized(10)
    };
    assert_eq!(next_input(&mid, &info(10), 10).unwrap().page, Some(8));
}

#[test]
fn page_numbers_stop_on_an_empty_short_or_last_page() {
    let input = sized::<0>(10);
    assert_eq!(next_input(&input, &info(0), 0), None, "empty page");
    assert_eq!(next_input(&input, &info(9), 9), None, "short page");
    // Without a page size a short page cannot be told apart: go on.
    assert!(next_input(&FromOne::default(), &info(9), 9).is_some());
    // The total number of items reached (items of every page so far).
    let total = |t| PageInfo {
        total: Some(t),
        ..info(10)
    };
    assert_eq!(next_input(&input, &total(20), 20), None);
    assert!(next_input(&input, &total(21), 20).is_some());
    // The total number of pages reached: page 3 of 3 (from 1), page 2 of 3 (from 0).
    let pages = |t| PageInfo {
        total_pages: Some(t),
        ..info(10)
    };
    let third = FromOne {
        page: Some(3),
        ..sized(10)
    };
    assert_eq!(next_input(&third, &pages(3), 30), None);
    assert_eq!(next_input(&third, &pages(4), 30).unwrap().page, Some(4));
    let third_from_zero = FromZero {
        page: Some(2),
        ..sized(10)
    };
    assert_eq!(next_input(&third_from_zero, &pages(3), 30), None);
    assert_eq!(next_input(&FromZero::default(), &pages(1), 10), None);
    // No page after the largest number.
    let last = FromOne {
        page: Some(i64::MAX),
        ..FromOne::default()
    };
    assert_eq!(next_input(&last, &info(10), 10), None);
}

#[test]
fn offsets_advance_by_the_items_of_the_page() {
    let input = sized::<2>(20);
    let next = next_input(&input, &info(20), 20).unwrap();
    assert_eq!(next.page, Some(20));
    assert_eq!(next_input(&next, &info(20), 40).unwrap().page, Some(40));
    // Without a page size, a page of 3 is not known to be the last.
    let no_size = Offsets {
        page: Some(5),
        ..Offsets::default()
    };
    assert_eq!(next_input(&no_size, &info(3), 3).unwrap().page, Some(8));
}

#[test]
fn offsets_stop_on_an_empty_or_short_page_or_at_the_total() {
    let input = sized::<2>(20);
    assert_eq!(next_input(&input, &info(0), 0), None);
    assert_eq!(next_input(&input, &info(19), 19), None);
    let at = |offset, total| {
        let input = Offsets {
            page: Some(offset),
            ..sized(20)
        };
        let page = PageInfo {
            total: Some(total),
            ..info(20)
        };
        next_input(&input, &page, 20).map(|n| n.page)
    };
    assert_eq!(at(80, 100), None, "80 + 20 items reach the total");
    assert_eq!(at(60, 100), Some(Some(80)));
    assert_eq!(at(i64::MAX - 5, i64::MAX), None, "no offset beyond i64");
}

#[test]
fn markers_follow_the_next_marker_until_it_ends_or_repeats() {
    let next = |input: &Markers, marker: Option<&str>, items| {
        let page = PageInfo {
            next_marker: marker.map(str::to_owned),
            ..info(items)
        };
        next_input(input, &page, 0)
    };
    let first = Markers::default();
    let second = next(&first, Some("m2"), 10).unwrap();
    assert_eq!(second.marker.as_deref(), Some("m2"));
    assert_eq!(next(&first, None, 10), None, "no next marker");
    assert_eq!(next(&first, Some(""), 10), None, "an empty next marker");
    assert_eq!(next(&second, Some("m2"), 10), None, "the same marker again");
    assert_eq!(
        next(&second, Some("m3"), 10).unwrap().marker.as_deref(),
        Some("m3")
    );
    // Markers decide: an empty or short page with a next marker goes on.
    assert!(next(&sized::<3>(10), Some("m2"), 0).is_some());
    assert!(next(&sized::<3>(10), Some("m2"), 3).is_some());
}

#[cfg(feature = "tencent-cbs")]
#[test]
fn describe_disk_backups_pages_by_offset_with_its_default_limit() {
    use cloudbackup::tencent::cbs::DescribeDiskBackupsInput;

    assert_eq!(
        <DescribeDiskBackupsInput as Paginated>::STYLE,
        PageStyle::Offset
    );
    let input = DescribeDiskBackupsInput::new();
    // `Limit` unset: the spec's default (20) is the page size.
    assert_eq!(
        input.page_size(),
        Some(DescribeDiskBackupsInput::LIMIT_DEFAULT)
    );
    let next = next_input(&input, &info(20), 20).unwrap();
    assert_eq!(next.offset, Some(20));
    assert_eq!(next.limit, None, "the input is otherwise unchanged");
    assert_eq!(next_input(&input, &info(19), 19), None, "shorter than 20");
    // An explicit limit is the page size.
    let fifty = DescribeDiskBackupsInput::new().limit(50);
    assert_eq!(next_input(&fifty, &info(20), 20), None);
    assert_eq!(
        next_input(&fifty, &info(50), 50).map(|n| n.offset),
        Some(Some(50))
    );
    // The total ends it.
    let page = PageInfo {
        total: Some(40),
        ..info(20)
    };
    let second = DescribeDiskBackupsInput::new().offset(20);
    assert_eq!(next_input(&second, &page, 20), None);
}
