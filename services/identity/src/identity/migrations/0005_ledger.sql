-- Issued credentials and every revocation are hash-chained (see eventkit's ledger): a row changed or
-- removed, even by a superuser with the immutability triggers off, shows in `contigo verify-ledger`.
select ledger_adopt('credentials', 'issued_at, account_id');
select ledger_adopt('credential_revocations', 'revoked_at, account_id');
select ledger_adopt('staff_revocations', 'revoked_at, staff_id');
