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

-- Every login attempt and its outcome. Never the password, never the username as typed (a person may type a
-- DNI): the account's id when the username names one, and always a keyed hash (HMAC-SHA256 under identity's
-- audit key) of what was typed, so the attempts on one name can be found by whoever holds the key.
create table login_audit (
    seq           bigserial primary key,
    at            timestamptz not null,
    account_id    uuid,                        -- an ally's account_id or a staff_id; null for an unknown user
    role          text,
    username_hmac text not null,
    address       text,                        -- the client address the gateway vouched for, if it did
    outcome       text not null check (outcome in ('ok', 'wrong', 'unknown', 'locked', 'revoked'))
);
create index login_audit_by_account on login_audit (account_id, at) where account_id is not null;
create index login_audit_by_username on login_audit (username_hmac, at);
create trigger login_audit_immutable before update or delete on login_audit
    for each row execute function refuse_change('login audit entries');
create trigger login_audit_not_truncated before truncate on login_audit
    for each statement execute function refuse_change('login audit entries');
