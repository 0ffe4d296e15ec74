from zhijia.homes.models.assessments import Assessment, Score
from zhijia.homes.models.criteria import CriteriaSet, Criterion
from zhijia.homes.models.rounds import Round

__all__ = ["Assessment", "CriteriaSet", "Criterion", "Round", "Score"]
