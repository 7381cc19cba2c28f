"""The pages, each module with its routes; their templates sit beside them in ``templates/``."""

from __future__ import annotations

from pathlib import Path

from web.pages.accessibility import accessibility_options, accessibility_statement, save_accessibility_options
from web.pages.request import ROUTES as REQUEST_ROUTES
from web.pages.signin import evaluation_queue, my_account, sign_in, sign_in_page, sign_out
from web.pages.staff import ROUTES as STAFF_ROUTES
from web.pages.staff_affiliations import ROUTES as STAFF_AFFILIATION_ROUTES
from web.pages.staff_padron import ROUTES as STAFF_PADRON_ROUTES
from web.pages.start import health, start_page

TEMPLATES = Path(__file__).parent / "templates"
ROUTES = [
    start_page,
    health,
    accessibility_options,
    save_accessibility_options,
    accessibility_statement,
    sign_in_page,
    sign_in,
    sign_out,
    my_account,
    evaluation_queue,
    *REQUEST_ROUTES,
    *STAFF_ROUTES,
    *STAFF_AFFILIATION_ROUTES,
    *STAFF_PADRON_ROUTES,
]
