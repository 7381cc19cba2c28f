-- Indexes behind the scoped views: every list page is one index range scan.

-- Padrón categories page by (ubigeo, beneficiary_id) within a category, so one index serves the
-- national list, a region (ubigeo range) and a district (one ubigeo) alike.
create index padron_entries_category_page on padron_entries (padron_id, category, ubigeo, beneficiary_id);

-- The access log filtered by user, newest first (keyset over entry_id).
create index access_log_user_page on access_log (username, entry_id);
