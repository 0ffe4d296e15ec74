from zhijia.cases.models.grievances import (
    BoxItem,
    CaseMessage,
    Category,
    Grievance,
    RoutingRule,
    random_id,
)
from zhijia.cases.models.knowledge import KnowledgeEntry
from zhijia.cases.models.mediation import MediationCase, MediationParty, MediationSession

__all__ = [
    "BoxItem",
    "CaseMessage",
    "Category",
    "Grievance",
    "KnowledgeEntry",
    "MediationCase",
    "MediationParty",
    "MediationSession",
    "RoutingRule",
    "random_id",
]
