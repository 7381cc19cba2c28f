-- What documents knows about each access request, from AccessRequested: enough to check uploads.
create table requests (
    request_id uuid primary key,
    code       text not null,
    ally_type  text not null check (ally_type in ('GOBIERNO_REGIONAL', 'GOBIERNO_LOCAL', 'OTRO_ALIADO')),
    attempt    integer not null check (attempt >= 1),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- Documents the programme issues. Their bytes live in the object store under sha256/<hex>.pdf,
-- written once; rows are never updated or deleted.
create table documents (
    document_id       uuid primary key,
    request_id        uuid not null,
    attempt           integer not null,
    kind              text not null check (kind in ('DDC')),
    object_key        text not null,
    sha256            text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size              integer not null check (size > 0),
    verification_code text not null unique,
    request_code      text not null,
    issued_at         timestamptz not null,
    -- One DDC per attempt of a request: a redelivered AccessRequested renders nothing new.
    unique (request_id, attempt, kind)
);

-- Files applicants uploaded and that passed validation (refused files leave no row).
create table uploads (
    upload_id        uuid primary key,
    request_id       uuid not null references requests (request_id),
    attempt          integer not null,
    kind             text not null check (kind in ('DDC_SIGNED', 'DESIGNATION')),
    object_key       text not null,
    sha256           text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size             integer not null check (size > 0),
    digitally_signed boolean not null,
    signer           text,
    intact           boolean,
    uploaded_at      timestamptz not null
);
create index uploads_request on uploads (request_id, attempt, uploaded_at);
