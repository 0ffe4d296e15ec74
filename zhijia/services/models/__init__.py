"""Models of module services, one file per subject."""

from zhijia.services.models.activities import *  # noqa: F403
from zhijia.services.models.competitions import *  # noqa: F403
from zhijia.services.models.counseling import *  # noqa: F403
from zhijia.services.models.honours import *  # noqa: F403
from zhijia.services.models.learning import *  # noqa: F403
from zhijia.services.models.suggestions import *  # noqa: F403
from zhijia.services.models.surveys import *  # noqa: F403
from zhijia.services.models.volunteering import *  # noqa: F403
