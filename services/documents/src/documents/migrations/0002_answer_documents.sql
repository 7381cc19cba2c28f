-- The documents of CTVC answers (informe, Anexo 01, Anexo 02, oficio), as cases wrote them in
-- CaseResponseRequested: rendered, digitally signed by their author, stored under sha256/<hex>.pdf
-- once, never updated or deleted. One of each kind per answer: a redelivered request renders nothing.
create table answer_documents (
    document_id       uuid primary key,
    response_id       uuid not null,
    kind              text not null check (kind in ('INFORME', 'ANEXO_01', 'ANEXO_02', 'OFICIO')),
    number            text not null,
    title             text not null,
    object_key        text not null,
    sha256            text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size              integer not null check (size > 0),
    verification_code text not null unique,
    signer_name       text not null,
    signer_role       text not null,
    issued_at         timestamptz not null,
    unique (response_id, kind)
);
