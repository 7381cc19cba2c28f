-- Guessed passwords: the failures in a row of each account and each client address, and until when their
-- logins are refused. Kept here, not in a process, so a restart or another replica forgets nothing.
create table login_guards (
    kind            text not null check (kind in ('account', 'address')),
    key             text not null,             -- an account's id, or a client address
    failures        integer not null default 0 check (failures >= 0),
    last_failure_at timestamptz,
    locked_until    timestamptz,
    primary key (kind, key)
);
