"""Models of the workers' congress, one file per subject."""

from zhijia.congress.models.bodies import *  # noqa: F403
from zhijia.congress.models.channels import *  # noqa: F403
from zhijia.congress.models.checklist import *  # noqa: F403
from zhijia.congress.models.followup import *  # noqa: F403
from zhijia.congress.models.inspections import *  # noqa: F403
from zhijia.congress.models.proposals import *  # noqa: F403
from zhijia.congress.models.sessions import *  # noqa: F403
