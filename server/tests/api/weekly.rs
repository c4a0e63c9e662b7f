//! Following and the digest page over HTTP, as a browser without WebAssembly uses them: the
//! follow button posts and comes back to the integration's page, the digest page shows the
//! followed integration's week, and the preferences table saves every column in one post.

use app::auth::model::Role;

use crate::helpers::{location, signed_in_with_stripe};

#[tokio::test]
async fn a_stakeholder_follows_by_form_post_and_the_digest_page_shows_the_week() {
    let (app, _coord, stripe) = signed_in_with_stripe().await;
    let sam = app.user("sam@example.com", Role::Stakeholder).await;
    let client = crate::helpers::client();
    app.login_as(&client, &sam.email).await;

    let (status, html) = app.page(&client, "/digest").await;
    assert_eq!(status, 200);
    assert!(html.contains("You follow no integrations yet."), "{html}");

    let page = format!("/integrations/{}", stripe.slug);
    let (_, html) = app.page(&client, &page).await;
    assert!(html.contains(">Follow<"), "{html}");
    assert!(html.contains("Follow it to get its week"), "{html}");
    let res = app
        .post_from_page(
            &client,
            &page,
            "set_following",
            &[("slug", "stripe"), ("follow", "yes")],
        )
        .await;
    assert_eq!(res.status(), 302);
    let back = location(&res);
    assert!(back.ends_with("/integrations/stripe?following=1"), "{back}");
    let (_, html) = app.page(&client, &page).await;
    assert!(html.contains(">Unfollow<"), "{html}");
    // Another stakeholder, not following, still gets the page kept for their role.
    app.user("kim@example.com", Role::Stakeholder).await;
    let kim = crate::helpers::client();
    app.login_as(&kim, "kim@example.com").await;
    let (_, other) = app.page(&kim, &page).await;
    assert!(
        other.contains(">Follow<") && !other.contains("Unfollow"),
        "{other}"
    );
    assert!(html.contains("You follow it: its week"), "{html}");

    let (status, html) = app.page(&client, "/digest").await;
    assert_eq!(status, 200);
    assert!(html.contains(">Stripe<"), "{html}");
    assert!(html.contains("A quiet week"), "{html}");

    // Refusals name the field; an unknown integration is not found.
    let res = app
        .call_as(
            &client,
            "set_following",
            &[("slug", "stripe"), ("follow", "maybe")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("follow"));
    let res = app
        .call_as(
            &client,
            "set_following",
            &[("slug", "nope"), ("follow", "yes")],
        )
        .await;
    assert_eq!(res.status(), 404);
    // Signed out, nothing.
    let res = app
        .call_as(
            &crate::helpers::client(),
            "set_following",
            &[("slug", "stripe"), ("follow", "no")],
        )
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(app.count("integration_follows").await, 1);

    // The preferences table: every column in one post, a column left empty clears it.
    let res = app
        .post_from_page(
            &client,
            "/notifications",
            "save_notification_preferences",
            &[("channels[]", "in_app"), ("in_app[]", "weekly_digest")],
        )
        .await;
    assert_eq!(res.status(), 302);
    assert!(location(&res).ends_with("/notifications?saved=1"));
    let (_, html) = app.page(&client, "/notifications?saved=1").await;
    assert!(html.contains("Saved."), "{html}");
    assert!(
        html.contains(
            r#"aria-label="In Tollgate: The weekly digest of the integrations you follow" checked"#
        ) || html.contains(
            r#"checked aria-label="In Tollgate: The weekly digest of the integrations you follow""#
        ),
        "{html}"
    );
    let res = app
        .call_as(
            &client,
            "save_notification_preferences",
            &[
                ("channels[]", "in_app"),
                ("email[]", "weekly_digest"),
                ("channels[]", "email"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "this instance sends no email");
    assert!(res.text().await.unwrap().contains("SMTP"));
}
