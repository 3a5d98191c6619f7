//! Paginators: every page (or every item) of a list action, as an async stream or, on the
//! blocking client, an iterator. Generated code implements [`Paginated`] for each action with
//! a `paginate:` in its spec; the stepping logic is here, once for every action.
//!
//! ```no_run
//! # #[cfg(feature = "tencent-cbs")]
//! # async fn run(client: cloudbackup::tencent::cbs::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use cloudbackup::tencent::cbs::DescribeDiskBackupsInput;
//!
//! let mut pages = client.describe_disk_backups_paginator(DescribeDiskBackupsInput::new()).pages();
//! while let Some(page) = pages.next().await {
//!     println!("{} backups on this page", page?.disk_backup_set.map_or(0, |s| s.len()));
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use super::{Error, ServiceClient};
use crate::Operation;

/// How an action pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStyle {
    /// A page number (the first page's number given) and a page size.
    PageNumber {
        /// The number of the first page: 0 or 1.
        first: i64,
    },
    /// An offset into the whole list and a limit.
    Offset,
    /// An opaque marker from the previous page.
    Marker,
}

/// Where a request starts reading: a page number or offset, or a marker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// A page number ([`PageStyle::PageNumber`]) or an offset ([`PageStyle::Offset`]).
    Position(i64),
    /// A marker ([`PageStyle::Marker`]).
    Marker(String),
}

/// What a page says about the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// Items on this page.
    pub items: usize,
    /// Total items in the list, when the page says.
    pub total: Option<i64>,
    /// Total pages, when the page says.
    pub total_pages: Option<i64>,
    /// The next page's marker, for marker paging.
    pub next_marker: Option<String>,
}

/// A list action with a `paginate:` in its spec (implemented by generated code).
pub trait Paginated: Operation + Clone + Send + Sync + 'static {
    /// One item of the list.
    type Item: Send + 'static;
    /// The action's paging style.
    const STYLE: PageStyle;
    /// Where this input starts (`None`: the first page).
    fn cursor(&self) -> Option<Cursor>;
    /// Points the input at another page.
    fn set_cursor(&mut self, cursor: Cursor);
    /// The page size asked for, or the size the service uses by default (`default:`).
    fn page_size(&self) -> Option<i64>;
    /// What a page says about the list.
    fn page_info(output: &Self::Output) -> PageInfo;
    /// The items of a page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// The input of the page after the one `input` asked for, which answered `info`, or `None`
/// when it was the last: an empty page, the total (items or pages) reached, a page shorter
/// than the page size, or no new marker. `seen` counts the items of every page so far.
pub fn next_input<O: Paginated>(input: &O, info: &PageInfo, seen: u64) -> Option<O> {
    let short = input
        .page_size()
        .is_some_and(|size| i64::try_from(info.items).unwrap_or(i64::MAX) < size);
    let total_reached = info
        .total
        .is_some_and(|t| i64::try_from(seen).unwrap_or(i64::MAX) >= t);
    let next = match O::STYLE {
        PageStyle::PageNumber { first } => {
            let current = match input.cursor() {
                Some(Cursor::Position(p)) => p,
                _ => first,
            };
            let pages_done = current.saturating_sub(first).saturating_add(1);
            let last_page = info.total_pages.is_some_and(|t| pages_done >= t);
            if info.items == 0 || short || total_reached || last_page {
                return None;
            }
            Cursor::Position(current.checked_add(1)?)
        }
        PageStyle::Offset => {
            let current = match input.cursor() {
                Some(Cursor::Position(p)) => p,
                _ => 0,
            };
            let next = current.checked_add(i64::try_from(info.items).ok()?)?;
            let end = info.total.is_some_and(|t| next >= t);
            if info.items == 0 || short || end {
                return None;
            }
            Cursor::Position(next)
        }
        PageStyle::Marker => {
            let marker = info.next_marker.as_deref().filter(|m| !m.is_empty())?;
            if input.cursor() == Some(Cursor::Marker(marker.to_owned())) {
                return None;
            }
            Cursor::Marker(marker.to_owned())
        }
    };
    let mut input = input.clone();
    input.set_cursor(next);
    Some(input)
}

type PageResult<O> = Result<<O as Operation>::Output, Error<<O as Operation>::Error>>;
type ItemResult<O> = Result<<O as Paginated>::Item, Error<<O as Operation>::Error>>;
type PageFuture<O> = Pin<Box<dyn Future<Output = PageResult<O>> + Send>>;

/// Every page of a list action, from the page the input asks for: see [`PageStream`] and
/// [`ItemStream`]. Made by the generated `<action>_paginator(input)` methods.
#[must_use = "a paginator does nothing until its pages or items are read"]
pub struct Paginator<O: Paginated> {
    client: ServiceClient,
    input: O,
    max_items: Option<u64>,
}

impl<O: Paginated> fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("action", &O::ACTION.name)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl<O: Paginated> Paginator<O>
where
    O::Output: Send,
    O::Error: Send,
{
    /// A paginator of `input` through `client`.
    pub fn new(client: ServiceClient, input: O) -> Self {
        Paginator {
            client,
            input,
            max_items: None,
        }
    }

    /// Stops after `n` items: no page is asked for once `n` items were read, and
    /// [`Paginator::items`] yields at most `n`.
    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = Some(n);
        self
    }

    /// The pages, each a typed output (or the error that ended the stream).
    pub fn pages(self) -> PageStream<O> {
        PageStream {
            client: self.client,
            next: Some(self.input),
            in_flight: None,
            seen: 0,
            max_items: self.max_items,
        }
    }

    /// The items of every page, one by one.
    pub fn items(self) -> ItemStream<O> {
        ItemStream {
            remaining: self.max_items,
            pages: self.pages(),
            buffer: VecDeque::new(),
        }
    }

    /// Every item, in order.
    ///
    /// # Errors
    ///
    /// The first error any page ended with.
    pub async fn collect_items(self) -> Result<Vec<O::Item>, Error<O::Error>> {
        let mut items = self.items();
        let mut out = Vec::new();
        while let Some(item) = items.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

/// The pages of a [`Paginator`]: an async [`Stream`](futures_core::Stream) (or call
/// [`PageStream::next`]). It ends after the last page, or after the first error.
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<O: Paginated> {
    client: ServiceClient,
    next: Option<O>,
    in_flight: Option<(O, PageFuture<O>)>,
    seen: u64,
    max_items: Option<u64>,
}

impl<O: Paginated> fmt::Debug for PageStream<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("action", &O::ACTION.name)
            .field("items_seen", &self.seen)
            .field("done", &(self.next.is_none() && self.in_flight.is_none()))
            .finish_non_exhaustive()
    }
}

impl<O: Paginated> PageStream<O>
where
    O::Output: Send,
    O::Error: Send,
{
    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Option<PageResult<O>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageResult<O>>> {
        if self.in_flight.is_none() {
            let Some(input) = self.next.take() else {
                return Poll::Ready(None);
            };
            let client = self.client.clone();
            let sent = input.clone();
            self.in_flight = Some((input, Box::pin(async move { client.call(sent).await })));
        }
        let Some((_, fut)) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = ready!(fut.as_mut().poll(cx));
        let Some((input, _)) = self.in_flight.take() else {
            return Poll::Ready(None);
        };
        if let Ok(output) = &result {
            let info = O::page_info(output);
            self.seen = self.seen.saturating_add(info.items as u64);
            let enough = self.max_items.is_some_and(|m| self.seen >= m);
            self.next = if enough {
                None
            } else {
                next_input(&input, &info, self.seen)
            };
        }
        Poll::Ready(Some(result))
    }
}

impl<O: Paginated> Unpin for PageStream<O> {}

impl<O: Paginated> futures_core::Stream for PageStream<O>
where
    O::Output: Send,
    O::Error: Send,
{
    type Item = PageResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of a [`Paginator`], page after page: an async [`Stream`](futures_core::Stream)
/// (or call [`ItemStream::next`]). It ends after the last item, or after the first error.
#[must_use = "streams do nothing unless polled"]
pub struct ItemStream<O: Paginated> {
    pages: PageStream<O>,
    buffer: VecDeque<O::Item>,
    remaining: Option<u64>,
}

impl<O: Paginated> fmt::Debug for ItemStream<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<O: Paginated> ItemStream<O>
where
    O::Output: Send,
    O::Error: Send,
{
    /// The next item, or `None` after the last.
    pub async fn next(&mut self) -> Option<ItemResult<O>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<ItemResult<O>>> {
        loop {
            if self.remaining == Some(0) {
                return Poll::Ready(None);
            }
            if let Some(item) = self.buffer.pop_front() {
                if let Some(r) = &mut self.remaining {
                    *r -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(self.pages.poll_page(cx)) {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(page)) => self.buffer.extend(O::into_items(page)),
            }
        }
    }
}

impl<O: Paginated> Unpin for ItemStream<O> {}

impl<O: Paginated> futures_core::Stream for ItemStream<O>
where
    O::Output: Send,
    O::Error: Send,
{
    type Item = ItemResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

/// The pages of a paginator on a blocking client: an iterator.
#[cfg(feature = "blocking")]
pub struct BlockingPages<'a, O: Paginated> {
    rt: &'a super::BlockingRuntime,
    pages: PageStream<O>,
}

/// The items of a paginator on a blocking client: an iterator.
#[cfg(feature = "blocking")]
pub struct BlockingItems<'a, O: Paginated> {
    rt: &'a super::BlockingRuntime,
    items: ItemStream<O>,
}

#[cfg(feature = "blocking")]
impl<O: Paginated> fmt::Debug for BlockingPages<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pages.fmt(f)
    }
}

#[cfg(feature = "blocking")]
impl<O: Paginated> fmt::Debug for BlockingItems<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.items.fmt(f)
    }
}

#[cfg(feature = "blocking")]
impl<'a, O: Paginated> BlockingPages<'a, O>
where
    O::Output: Send,
    O::Error: Send,
{
    /// The pages of `paginator`, driven on `rt`.
    pub fn new(rt: &'a super::BlockingRuntime, paginator: Paginator<O>) -> Self {
        BlockingPages {
            rt,
            pages: paginator.pages(),
        }
    }
}

#[cfg(feature = "blocking")]
impl<'a, O: Paginated> BlockingItems<'a, O>
where
    O::Output: Send,
    O::Error: Send,
{
    /// The items of `paginator`, driven on `rt`.
    pub fn new(rt: &'a super::BlockingRuntime, paginator: Paginator<O>) -> Self {
        BlockingItems {
            rt,
            items: paginator.items(),
        }
    }
}

#[cfg(feature = "blocking")]
impl<O: Paginated> Iterator for BlockingPages<'_, O>
where
    O::Output: Send,
    O::Error: Send,
{
    type Item = PageResult<O>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rt.block_on(self.pages.next())
    }
}

#[cfg(feature = "blocking")]
impl<O: Paginated> Iterator for BlockingItems<'_, O>
where
    O::Output: Send,
    O::Error: Send,
{
    type Item = ItemResult<O>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rt.block_on(self.items.next())
    }
}
