"""Imports every domain's models so Base.metadata is complete (Alembic, tests)."""
from district_server.audit import models as audit  # noqa: F401
from district_server.backups import models as backups  # noqa: F401
from district_server.blobs import models as blobs  # noqa: F401
from district_server.bundles import models as bundles  # noqa: F401
from district_server.cases import models as cases  # noqa: F401
from district_server.catalogue import models as catalogue  # noqa: F401
from district_server.citizens import models as citizens  # noqa: F401
from district_server.db import Base
from district_server.kiosks import models as kiosks  # noqa: F401
from district_server.notices import models as notices  # noqa: F401
from district_server import ratelimit  # noqa: F401
from district_server.staff import models as staff  # noqa: F401
from district_server.submissions import models as submissions  # noqa: F401

metadata = Base.metadata
