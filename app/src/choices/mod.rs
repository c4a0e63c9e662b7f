//! Closed sets of values stored by name (roles, categories, priorities, stages): one macro
//! gives each the same `ALL`, `as_str`, `label` and `parse`, so the rule is written once.

/// Declares an enum whose variants are stored and submitted as snake_case names and shown with
/// a human label.
#[macro_export]
macro_rules! choice_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($stored:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
        #[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
        pub enum $name {
            $(
                #[serde(rename = $stored)]
                #[cfg_attr(feature = "ssr", sea_orm(string_value = $stored))]
                $variant
            ),+
        }

        // By hand rather than derived: the document must list the stored names, as serde
        // writes them.
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($stored),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and submitted name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),+ }
            }

            /// The name people read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a stored or submitted name.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// A name read from the database. An unknown one is an error (logged with the
            /// value), never quietly a default: bad stored data must not pass for good.
            #[cfg(feature = "ssr")]
            pub fn stored(s: &str) -> Result<$name, $crate::error::AppError> {
                Self::parse(s).ok_or_else(|| {
                    $crate::error::AppError::internal(
                        "stored value",
                        format!("{s:?} is not a stored {}", stringify!($name)),
                    )
                })
            }

            /// The stored names joined for an error message.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

pub mod audits;
pub mod auth;
pub mod events;
pub mod heartbeats;
pub mod implementation;
pub mod integrations;
pub mod monitoring;
pub mod notifications;
pub mod planning;
pub mod provider;
pub mod search;
pub mod specs;
pub mod testing;
pub mod tokens;
pub mod webhooks;
