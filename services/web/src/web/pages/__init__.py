"""The pages, each module with its routes; their templates sit beside them in ``templates/``."""

from __future__ import annotations

from pathlib import Path

from web.pages.accessibility import accessibility_options, accessibility_statement, save_accessibility_options
from web.pages.ally import ROUTES as ALLY_ROUTES
from web.pages.cases import ROUTES as CASES_ROUTES
from web.pages.cases_staff import ROUTES as CASES_STAFF_ROUTES
from web.pages.evaluation import ROUTES as EVALUATION_ROUTES
from web.pages.mail import ROUTES as MAIL_ROUTES
from web.pages.request import ROUTES as REQUEST_ROUTES
from web.pages.request_send import ROUTES as REQUEST_SEND_ROUTES
from web.pages.signin import my_account, sign_in, sign_in_page, sign_out
from web.pages.staff import ROUTES as STAFF_ROUTES
from web.pages.staff_accounts import ROUTES as STAFF_ACCOUNT_ROUTES
from web.pages.staff_affiliations import ROUTES as STAFF_AFFILIATION_ROUTES
from web.pages.staff_padron import ROUTES as STAFF_PADRON_ROUTES
from web.pages.start import health, start_page
from web.pages.verify import ROUTES as VERIFY_ROUTES

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
    *EVALUATION_ROUTES,
    *REQUEST_ROUTES,
    *ALLY_ROUTES,
    *REQUEST_SEND_ROUTES,
    *VERIFY_ROUTES,
    *MAIL_ROUTES,
    *STAFF_ROUTES,
    *STAFF_AFFILIATION_ROUTES,
    *STAFF_PADRON_ROUTES,
    *CASES_ROUTES,
    *CASES_STAFF_ROUTES,
    *STAFF_ACCOUNT_ROUTES,
]
