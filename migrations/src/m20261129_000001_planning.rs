//! Lifecycle stages and the planning stage: stage history with gate overrides, needs
//! assessments, objectives, vendor candidates with weighted scoring and selections, versioned
//! integration plans, milestones, meetings and action items. Everything hangs off an
//! integration and goes with it (ON DELETE CASCADE); the activity trail keeps the history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Integrations {
    Table,
    Id,
    GateOverridden,
}

#[derive(DeriveIden)]
enum StageTransitions {
    Table,
    Id,
    IntegrationId,
    FromStage,
    ToStage,
    ActorId,
    At,
    Reason,
    OverrideJustification,
    Unmet,
}

#[derive(DeriveIden)]
enum NeedsAssessments {
    Table,
    Id,
    IntegrationId,
    Problem,
    Affected,
    ScopeIn,
    ScopeOut,
    PlatformAreas,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Objectives {
    Table,
    Id,
    IntegrationId,
    Description,
    Metric,
    Unit,
    Baseline,
    Target,
    Current,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VendorCandidates {
    Table,
    Id,
    IntegrationId,
    Name,
    Provider,
    DocsUrl,
    PricingNotes,
    Pros,
    Cons,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VendorCriteria {
    Table,
    Id,
    IntegrationId,
    Name,
    Weight,
    Position,
}

#[derive(DeriveIden)]
enum VendorScores {
    Table,
    Id,
    CandidateId,
    CriterionId,
    Score,
    Note,
}

#[derive(DeriveIden)]
enum VendorSelections {
    Table,
    Id,
    IntegrationId,
    CandidateId,
    CandidateName,
    Rationale,
    Snapshot,
    ActorId,
    At,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    IntegrationId,
    Version,
    State,
    TechnicalRequirements,
    ExpectedOutcomes,
    Risks,
    Dependencies,
    AuthorId,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    ReviewerId,
    ReviewedAt,
    ReviewComment,
}

#[derive(DeriveIden)]
enum Milestones {
    Table,
    Id,
    IntegrationId,
    Title,
    Description,
    Stage,
    OwnerId,
    DueDate,
    Status,
    CompletedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    IntegrationId,
    StartsAt,
    Title,
    AttendeeIds,
    OutsideAttendees,
    Agenda,
    Notes,
    Decisions,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ActionItems {
    Table,
    Id,
    IntegrationId,
    MeetingId,
    Text,
    AssigneeId,
    DueDate,
    Done,
    DoneAt,
    CreatedAt,
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    stmt.to_owned()
}

/// A foreign key to the integration that owns the row, deleted with it.
fn owned_by_integration(name: &str, table: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, Alias::new("integration_id"))
        .to(Integrations::Table, Integrations::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A foreign key to a user: users are deactivated, never deleted, so no cascade.
fn user_ref(name: &str, table: impl IntoIden, col: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, Alias::new(col))
        .to(Users::Table, Users::Id)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Integrations::Table)
                    .add_column(boolean(Integrations::GateOverridden).default(false))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StageTransitions::Table)
                    .col(pk_auto(StageTransitions::Id))
                    .col(integer(StageTransitions::IntegrationId))
                    .col(string(StageTransitions::FromStage))
                    .col(string(StageTransitions::ToStage))
                    .col(integer_null(StageTransitions::ActorId))
                    .col(timestamp_with_time_zone(StageTransitions::At))
                    .col(text_null(StageTransitions::Reason))
                    .col(text_null(StageTransitions::OverrideJustification))
                    .col(text_null(StageTransitions::Unmet))
                    .foreign_key(&mut owned_by_integration(
                        "fk_stage_transitions_integration",
                        StageTransitions::Table,
                    ))
                    .foreign_key(&mut user_ref(
                        "fk_stage_transitions_actor",
                        StageTransitions::Table,
                        "actor_id",
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(NeedsAssessments::Table)
                    .col(pk_auto(NeedsAssessments::Id))
                    .col(integer_uniq(NeedsAssessments::IntegrationId))
                    .col(text(NeedsAssessments::Problem))
                    .col(text(NeedsAssessments::Affected))
                    .col(text(NeedsAssessments::ScopeIn))
                    .col(text(NeedsAssessments::ScopeOut))
                    .col(text(NeedsAssessments::PlatformAreas))
                    .col(integer_null(NeedsAssessments::UpdatedBy))
                    .col(timestamp_with_time_zone(NeedsAssessments::UpdatedAt))
                    .foreign_key(&mut owned_by_integration(
                        "fk_needs_assessments_integration",
                        NeedsAssessments::Table,
                    ))
                    .foreign_key(&mut user_ref(
                        "fk_needs_assessments_updated_by",
                        NeedsAssessments::Table,
                        "updated_by",
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Objectives::Table)
                    .col(pk_auto(Objectives::Id))
                    .col(integer(Objectives::IntegrationId))
                    .col(text(Objectives::Description))
                    .col(string(Objectives::Metric))
                    .col(string(Objectives::Unit))
                    .col(double(Objectives::Baseline))
                    .col(double(Objectives::Target))
                    .col(double_null(Objectives::Current))
                    .col(timestamp_with_time_zone(Objectives::CreatedAt))
                    .foreign_key(&mut owned_by_integration(
                        "fk_objectives_integration",
                        Objectives::Table,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VendorCandidates::Table)
                    .col(pk_auto(VendorCandidates::Id))
                    .col(integer(VendorCandidates::IntegrationId))
                    .col(string(VendorCandidates::Name))
                    .col(string(VendorCandidates::Provider))
                    .col(string(VendorCandidates::DocsUrl))
                    .col(text(VendorCandidates::PricingNotes))
                    .col(text(VendorCandidates::Pros))
                    .col(text(VendorCandidates::Cons))
                    .col(timestamp_with_time_zone(VendorCandidates::CreatedAt))
                    .foreign_key(&mut owned_by_integration(
                        "fk_vendor_candidates_integration",
                        VendorCandidates::Table,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VendorCriteria::Table)
                    .col(pk_auto(VendorCriteria::Id))
                    .col(integer(VendorCriteria::IntegrationId))
                    .col(string(VendorCriteria::Name))
                    .col(integer(VendorCriteria::Weight))
                    .col(integer(VendorCriteria::Position))
                    .foreign_key(&mut owned_by_integration(
                        "fk_vendor_criteria_integration",
                        VendorCriteria::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_vendor_criteria_integration_name",
                    VendorCriteria::Table,
                    &["integration_id", "name"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VendorScores::Table)
                    .col(pk_auto(VendorScores::Id))
                    .col(integer(VendorScores::CandidateId))
                    .col(integer(VendorScores::CriterionId))
                    .col(integer(VendorScores::Score))
                    .col(text(VendorScores::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_vendor_scores_candidate")
                            .from(VendorScores::Table, VendorScores::CandidateId)
                            .to(VendorCandidates::Table, VendorCandidates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_vendor_scores_criterion")
                            .from(VendorScores::Table, VendorScores::CriterionId)
                            .to(VendorCriteria::Table, VendorCriteria::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_vendor_scores_candidate_criterion",
                    VendorScores::Table,
                    &["candidate_id", "criterion_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VendorSelections::Table)
                    .col(pk_auto(VendorSelections::Id))
                    .col(integer(VendorSelections::IntegrationId))
                    .col(integer_null(VendorSelections::CandidateId))
                    .col(string(VendorSelections::CandidateName))
                    .col(text(VendorSelections::Rationale))
                    .col(text(VendorSelections::Snapshot))
                    .col(integer_null(VendorSelections::ActorId))
                    .col(timestamp_with_time_zone(VendorSelections::At))
                    .foreign_key(&mut owned_by_integration(
                        "fk_vendor_selections_integration",
                        VendorSelections::Table,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_vendor_selections_candidate")
                            .from(VendorSelections::Table, VendorSelections::CandidateId)
                            .to(VendorCandidates::Table, VendorCandidates::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(&mut user_ref(
                        "fk_vendor_selections_actor",
                        VendorSelections::Table,
                        "actor_id",
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(pk_auto(Plans::Id))
                    .col(integer(Plans::IntegrationId))
                    .col(integer(Plans::Version))
                    .col(string(Plans::State))
                    .col(text(Plans::TechnicalRequirements))
                    .col(text(Plans::ExpectedOutcomes))
                    .col(text(Plans::Risks))
                    .col(text(Plans::Dependencies))
                    .col(integer_null(Plans::AuthorId))
                    .col(timestamp_with_time_zone(Plans::CreatedAt))
                    .col(timestamp_with_time_zone(Plans::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Plans::SubmittedAt))
                    .col(integer_null(Plans::ReviewerId))
                    .col(timestamp_with_time_zone_null(Plans::ReviewedAt))
                    .col(text_null(Plans::ReviewComment))
                    .foreign_key(&mut owned_by_integration(
                        "fk_plans_integration",
                        Plans::Table,
                    ))
                    .foreign_key(&mut user_ref("fk_plans_author", Plans::Table, "author_id"))
                    .foreign_key(&mut user_ref(
                        "fk_plans_reviewer",
                        Plans::Table,
                        "reviewer_id",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_plans_integration_version",
                    Plans::Table,
                    &["integration_id", "version"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Milestones::Table)
                    .col(pk_auto(Milestones::Id))
                    .col(integer(Milestones::IntegrationId))
                    .col(string(Milestones::Title))
                    .col(text(Milestones::Description))
                    .col(string(Milestones::Stage))
                    .col(integer_null(Milestones::OwnerId))
                    .col(date(Milestones::DueDate))
                    .col(string(Milestones::Status))
                    .col(date_null(Milestones::CompletedOn))
                    .col(timestamp_with_time_zone(Milestones::CreatedAt))
                    .foreign_key(&mut owned_by_integration(
                        "fk_milestones_integration",
                        Milestones::Table,
                    ))
                    .foreign_key(&mut user_ref(
                        "fk_milestones_owner",
                        Milestones::Table,
                        "owner_id",
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(pk_auto(Meetings::Id))
                    .col(integer(Meetings::IntegrationId))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(string(Meetings::Title))
                    // A JSON array of user ids: attendees are shown, never queried by.
                    .col(text(Meetings::AttendeeIds))
                    .col(text(Meetings::OutsideAttendees))
                    .col(text(Meetings::Agenda))
                    .col(text(Meetings::Notes))
                    .col(text(Meetings::Decisions))
                    .col(integer_null(Meetings::CreatedBy))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .foreign_key(&mut owned_by_integration(
                        "fk_meetings_integration",
                        Meetings::Table,
                    ))
                    .foreign_key(&mut user_ref(
                        "fk_meetings_created_by",
                        Meetings::Table,
                        "created_by",
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActionItems::Table)
                    .col(pk_auto(ActionItems::Id))
                    .col(integer(ActionItems::IntegrationId))
                    .col(integer_null(ActionItems::MeetingId))
                    .col(text(ActionItems::Text))
                    .col(integer_null(ActionItems::AssigneeId))
                    .col(date_null(ActionItems::DueDate))
                    .col(boolean(ActionItems::Done).default(false))
                    .col(timestamp_with_time_zone_null(ActionItems::DoneAt))
                    .col(timestamp_with_time_zone(ActionItems::CreatedAt))
                    .foreign_key(&mut owned_by_integration(
                        "fk_action_items_integration",
                        ActionItems::Table,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_action_items_meeting")
                            .from(ActionItems::Table, ActionItems::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut user_ref(
                        "fk_action_items_assignee",
                        ActionItems::Table,
                        "assignee_id",
                    ))
                    .to_owned(),
            )
            .await?;

        for (name, table, cols) in [
            (
                "idx_stage_transitions_integration_id",
                "stage_transitions",
                &["integration_id"][..],
            ),
            (
                "idx_stage_transitions_actor_id",
                "stage_transitions",
                &["actor_id"],
            ),
            (
                "idx_needs_assessments_updated_by",
                "needs_assessments",
                &["updated_by"],
            ),
            (
                "idx_objectives_integration_id",
                "objectives",
                &["integration_id"],
            ),
            (
                "idx_vendor_candidates_integration_id",
                "vendor_candidates",
                &["integration_id"],
            ),
            (
                "idx_vendor_scores_criterion_id",
                "vendor_scores",
                &["criterion_id"],
            ),
            (
                "idx_vendor_selections_integration_id",
                "vendor_selections",
                &["integration_id"],
            ),
            (
                "idx_vendor_selections_candidate_id",
                "vendor_selections",
                &["candidate_id"],
            ),
            (
                "idx_vendor_selections_actor_id",
                "vendor_selections",
                &["actor_id"],
            ),
            ("idx_plans_author_id", "plans", &["author_id"]),
            ("idx_plans_reviewer_id", "plans", &["reviewer_id"]),
            (
                "idx_milestones_integration_id",
                "milestones",
                &["integration_id"],
            ),
            ("idx_milestones_owner_id", "milestones", &["owner_id"]),
            ("idx_milestones_due_date", "milestones", &["due_date"]),
            (
                "idx_meetings_integration_id",
                "meetings",
                &["integration_id"],
            ),
            ("idx_meetings_created_by", "meetings", &["created_by"]),
            (
                "idx_action_items_integration_id",
                "action_items",
                &["integration_id"],
            ),
            (
                "idx_action_items_meeting_id",
                "action_items",
                &["meeting_id"],
            ),
            (
                "idx_action_items_assignee_id",
                "action_items",
                &["assignee_id", "done"],
            ),
        ] {
            manager
                .create_index(index(name, Alias::new(table), cols))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "action_items",
            "meetings",
            "milestones",
            "plans",
            "vendor_selections",
            "vendor_scores",
            "vendor_criteria",
            "vendor_candidates",
            "objectives",
            "needs_assessments",
            "stage_transitions",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Integrations::Table)
                    .drop_column(Integrations::GateOverridden)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
