-- E-mails to send, written in the transaction of the change they announce (e.g. an account and its
-- credentials) and sent by identity's mail sender after that transaction commits. A resend after a
-- crash carries the very same message: same Message-ID, same Date, same body, so the recipient may
-- get one message twice but never two different passwords.
create table mail_outbox (
    message_id      text primary key,          -- the Message-ID header, e.g. '<...@contigo.gob.pe>'
    seq             bigserial not null,
    account_id      uuid references credentials (account_id),
    mail_to         text not null,
    mail_cc         text,
    subject         text not null,
    -- The rendered body holds the password: AES-GCM sealed with identity's mail key (the Message-ID
    -- is its associated data) and erased once the SMTP server has accepted the message.
    sealed_body     bytea,
    state           text not null default 'PENDING' check (state in ('PENDING', 'SENT')),
    written_at      timestamptz not null default now(),
    attempts        integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    sent_at         timestamptz,
    check ((state = 'PENDING') = (sealed_body is not null)),
    check ((state = 'SENT') = (sent_at is not null))
);
create index mail_outbox_due on mail_outbox (next_attempt_at, seq) where state = 'PENDING';
create index mail_outbox_by_account on mail_outbox (account_id) where account_id is not null;
