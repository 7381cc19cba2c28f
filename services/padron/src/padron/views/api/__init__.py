"""The scoped views of the padrón, as routes: summaries, lists of personal data, CSV exports, the access log.

The caller comes from the token only; every read of personal data is written to the access log, and every
refusal too.
"""

from __future__ import annotations

from typing import Any

from padron.views.api import accesslog, exports, lists, summaries


def routes() -> list[Any]:
    # The district list before the one beneficiary: "/padron/beneficiaries.csv" is not a beneficiary id.
    return [*summaries.routes(), *lists.routes(), *exports.routes(), *accesslog.routes()]
