-- Staff beyond evaluators and administrators: CTVC (a region's oversight committee) and ANALYST (staff
-- of a programme unit), created by an administrator. A staff account is never deleted: it is revoked.
alter table staff_accounts drop constraint staff_accounts_role_check;
alter table staff_accounts
    add constraint staff_accounts_role_check check (role in ('EVALUATOR', 'ADMIN', 'CTVC', 'ANALYST')),
    add column region     text check (region ~ '^[0-9]{2}$'),
    -- codes of contracts/units.py UNITS
    add column unit       text check (unit in ('DE', 'UAC', 'UOT', 'UPP', 'UAJ', 'UA', 'UTI')),
    add column full_name  text,
    add column email      text,                -- nullable: the demo accounts have none
    add column created_by text,                -- the creating administrator's staff_id; null for demo accounts
    add constraint staff_region_iff_ctvc check ((role = 'CTVC') = (region is not null)),
    add constraint staff_unit_iff_analyst check ((role = 'ANALYST') = (unit is not null));

create table staff_revocations (
    staff_id   uuid primary key references staff_accounts (staff_id),
    reason     text not null,
    revoked_at timestamptz not null default now(),
    revoked_by text
);
create trigger staff_revocations_immutable before update or delete on staff_revocations
    for each row execute function refuse_change('staff revocations');
create trigger staff_revocations_not_truncated before truncate on staff_revocations
    for each statement execute function refuse_change('staff revocations');

-- A staff account's letter (its generated password) goes through the same mail outbox as an ally's.
alter table mail_outbox
    add column staff_id uuid references staff_accounts (staff_id),
    add constraint mail_outbox_one_owner check (account_id is null or staff_id is null);
create index mail_outbox_by_staff on mail_outbox (staff_id) where staff_id is not null;
