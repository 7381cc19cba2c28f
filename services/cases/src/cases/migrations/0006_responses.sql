-- Numbers of the documents the programme issues, per type, unit and year (INFORME N° 000308-2022-...-UAC).
create table document_numbers (
    kind  text not null,
    unit  text not null,
    year  integer not null,
    last  integer not null check (last >= 1),
    primary key (kind, unit, year)
);

-- The answer to one oficio: asked of documents (CaseResponseRequested), issued when all its documents are.
create table responses (
    response_id   uuid primary key,
    oficio_id     uuid not null unique references oficios (oficio_id),
    state         text not null default 'SOLICITADA' check (state in ('SOLICITADA', 'EMITIDA')),
    addressee     text not null,
    author_name   text not null,
    author_role   text not null,
    director_name text not null,
    director_role text not null,
    requested_at  timestamptz not null default now(),
    requested_by  text not null,
    issued_at     timestamptz,
    check ((state = 'EMITIDA') = (issued_at is not null))
);

create table response_documents (
    response_id       uuid not null references responses (response_id),
    position          integer not null,
    kind              text not null check (kind in ('INFORME', 'ANEXO_01', 'ANEXO_02', 'OFICIO')),
    number            text not null,
    title             text not null,
    document_id       uuid,
    verification_code text,
    issued_at         timestamptz,
    primary key (response_id, kind),
    check ((document_id is null) = (verification_code is null))
);
