//! One page of a list that grows with time (notifications, error groups, incidents, history):
//! the page number as a query gives it, that page's rows, and how many there are in all, so a
//! page stays the same size however long the list grows.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Page `page` of `pages` of a list `total` long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: u64,
    /// From 1; a page past the end reads as the last.
    pub page: u64,
    pub pages: u64,
}

impl<T> Paged<T> {
    /// Page `page` of `all` (a list read whole), `per_page` items a page; a page past the end
    /// reads as the last.
    pub fn cut(all: Vec<T>, per_page: u64, page: u64) -> Self {
        let total = all.len() as u64;
        let pages = total.div_ceil(per_page).max(1);
        let page = page.clamp(1, pages);
        let skip = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
        let take = usize::try_from(per_page).unwrap_or(usize::MAX);
        Paged {
            items: all.into_iter().skip(skip).take(take).collect(),
            total,
            page,
            pages,
        }
    }

    /// The same page with each item mapped by `f`.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            pages: self.pages,
        }
    }
}

/// The page a query asks for: the first when `raw` is missing or empty.
///
/// # Errors
/// `Validation` on `page` for anything but a whole number from 1.
pub fn page_number(raw: Option<&str>) -> Result<u64, AppError> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(1),
        Some(p) => match p.parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(AppError::field("page", "Give a page number from 1.")),
        },
    }
}

/// Page `page` of `select`, `per_page` rows a page, in the select's order; a page past the end
/// reads as the last.
///
/// # Errors
/// Database failures.
#[cfg(feature = "ssr")]
pub async fn fetch<E>(
    db: &impl sea_orm::ConnectionTrait,
    select: sea_orm::Select<E>,
    per_page: u64,
    page: u64,
) -> Result<Paged<E::Model>, AppError>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::PaginatorTrait;
    let paginator = select.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let pages = total.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    Ok(Paged {
        items: paginator.fetch_page(page - 1).await?,
        total,
        page,
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::{Paged, page_number};

    #[test]
    fn a_list_read_whole_is_cut_into_pages_and_past_the_end_is_the_last() {
        let p = Paged::cut((1..=7).collect::<Vec<_>>(), 3, 2);
        assert_eq!(
            (p.items, p.total, p.page, p.pages),
            (vec![4, 5, 6], 7, 2, 3)
        );
        let p = Paged::cut((1..=7).collect::<Vec<_>>(), 3, 9);
        assert_eq!((p.items, p.page), (vec![7], 3));
        let p = Paged::cut(Vec::<u8>::new(), 3, 1);
        assert_eq!((p.total, p.page, p.pages), (0, 1, 1));
    }

    #[test]
    fn a_page_number_is_a_whole_number_from_one_and_empty_means_the_first() {
        assert_eq!(page_number(None).ok(), Some(1));
        assert_eq!(page_number(Some(" ")).ok(), Some(1));
        assert_eq!(page_number(Some("7")).ok(), Some(7));
        for bad in ["0", "-1", "1.5", "x", "99999999999999999999999"] {
            let e = page_number(Some(bad)).expect_err(bad);
            assert_eq!(
                e.field_message("page").as_deref(),
                Some("Give a page number from 1.")
            );
        }
    }
}
