-- The Ley 29733 access log of cases is hash-chained (see eventkit's ledger): an entry changed or
-- removed, even by a superuser, shows in `contigo verify-ledger`.
select ledger_adopt('access_log', 'entry_id');
