//! Service tests for personal API tokens.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::common::{db, user};
use app::auth::model::Role;
use app::entities::api_tokens;
use app::error::AppError;
use app::tokens::model::TokenScope;
use app::tokens::service::{authenticate, create, list, revoke};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

#[tokio::test]
async fn a_token_is_shown_once_stored_only_as_a_hash_and_authenticates_as_its_owner() {
    let db = db().await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let new = create(&db, &eng, "checkout CI", "read-write", "", 365)
        .await
        .expect("create");
    assert!(
        new.secret.starts_with("tg_") && new.secret.len() == 43,
        "{}",
        new.secret
    );
    let row = api_tokens::Entity::find_by_id(new.token.id)
        .one(&db)
        .await
        .expect("q")
        .expect("row");
    assert_ne!(row.token_hash, new.secret);
    assert!(
        !row.token_hash.contains(&new.secret[3..]),
        "the secret is not stored"
    );
    assert!(new.secret.starts_with(&row.prefix));
    assert!(row.last_used_at.is_none());

    let (who, scope) = authenticate(&db, &new.secret)
        .await
        .expect("auth")
        .expect("valid");
    assert_eq!(
        (who.id, who.role, scope),
        (eng.id, Role::Engineer, TokenScope::ReadWrite)
    );
    let listed = list(&db, eng.id).await.expect("list");
    assert!(listed[0].last_used_at.is_some(), "last use is recorded");
    assert!(
        authenticate(&db, "tg_0000000000000000000000000000000000000000")
            .await
            .expect("auth")
            .is_none()
    );
    assert!(
        authenticate(&db, "not-a-token")
            .await
            .expect("auth")
            .is_none()
    );
}

#[tokio::test]
async fn revoked_expired_and_deactivated_tokens_stop_at_once() {
    let db = db().await;
    let admin = user(&db, "admin@example.com", Role::Admin).await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let revoked = create(&db, &eng, "a", "read", "", 365)
        .await
        .expect("create");
    revoke(&db, &eng, revoked.token.id).await.expect("revoke");
    assert!(
        authenticate(&db, &revoked.secret)
            .await
            .expect("auth")
            .is_none()
    );

    let expiring = create(&db, &eng, "b", "read", "30", 365)
        .await
        .expect("create");
    assert!(
        authenticate(&db, &expiring.secret)
            .await
            .expect("auth")
            .is_some()
    );
    api_tokens::ActiveModel {
        id: Set(expiring.token.id),
        expires_at: Set(Some(chrono::Utc::now() - chrono::Duration::minutes(1))),
        ..Default::default()
    }
    .update(&db)
    .await
    .expect("expire");
    assert!(
        authenticate(&db, &expiring.secret)
            .await
            .expect("auth")
            .is_none()
    );

    let live = create(&db, &eng, "c", "read", "", 365)
        .await
        .expect("create");
    app::users::service::set_active(&db, &admin, eng.id, false)
        .await
        .expect("deactivate");
    assert!(
        authenticate(&db, &live.secret)
            .await
            .expect("auth")
            .is_none()
    );
}

#[tokio::test]
async fn bad_input_names_the_field_and_nobody_revokes_another_users_token() {
    let db = db().await;
    let eng = user(&db, "eng@example.com", Role::Engineer).await;
    let qa = user(&db, "qa@example.com", Role::Qa).await;
    let Err(AppError::Validation(errors)) = create(&db, &eng, " ", "admin", "-3", 365).await else {
        panic!("expected validation errors")
    };
    for field in ["name", "scope", "expires_in_days"] {
        assert!(errors.get(field).is_some(), "no message for {field}");
    }
    let Err(AppError::Validation(errors)) = create(&db, &eng, "long", "read", "366", 365).await
    else {
        panic!("expected the longest expiry to be enforced")
    };
    assert!(
        errors
            .get("expires_in_days")
            .is_some_and(|m| m.contains("from 1 to 365")),
        "{errors}"
    );
    let token = create(&db, &eng, "mine", "read", "", 365)
        .await
        .expect("create");
    assert_eq!(
        revoke(&db, &qa, token.token.id).await.unwrap_err(),
        AppError::NotFound
    );
    assert!(
        authenticate(&db, &token.secret)
            .await
            .expect("auth")
            .is_some()
    );
}
