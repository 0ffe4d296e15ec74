from django.urls import path

from zhijia.homes.views import assessments, criteria, rounds

app_name = "homes"
urlpatterns: list = [
    path("", rounds.rounds, name="rounds"),
    path("rounds/<int:round_id>/", rounds.round_detail, name="round"),
    path("rounds/<int:round_id>/export/", rounds.round_export, name="round-export"),
    path("rounds/<int:round_id>/tiers/", rounds.round_tiers, name="round-tiers"),
    path("rounds/<int:round_id>/close/", rounds.round_close, name="round-close"),
    path("comparison/", rounds.comparison, name="comparison"),
    path("comparison/export/", rounds.comparison_export, name="comparison-export"),
    path("assessments/<int:assessment_id>/", assessments.assessment, name="assessment"),
    path(
        "assessments/<int:assessment_id>/evidence/",
        assessments.assessment_evidence,
        name="assessment-evidence",
    ),
    path(
        "assessments/<int:assessment_id>/submit/",
        assessments.assessment_submit,
        name="assessment-submit",
    ),
    path(
        "assessments/<int:assessment_id>/review/",
        assessments.assessment_review,
        name="assessment-review",
    ),
    path(
        "assessments/<int:assessment_id>/return/",
        assessments.assessment_return,
        name="assessment-return",
    ),
    path("criteria/", criteria.criteria_sets, name="criteria-sets"),
    path("criteria/<int:set_id>/", criteria.criteria_set, name="criteria-set"),
    path(
        "criteria/items/<int:criterion_id>/delete/",
        criteria.criterion_delete,
        name="criterion-delete",
    ),
]
