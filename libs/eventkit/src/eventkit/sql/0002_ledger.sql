-- Tamper evidence for append-only tables (a service's ledgers, e.g. credentials or an access log).
-- Each row of a chained table carries the hash of the row before it:
--     row_hash = sha256(utf8(canonical(row)) || prev_hash)
-- where canonical(row) is jsonb_strip_nulls(to_jsonb(row) - chain columns)::text under fixed
-- settings (UTC, ISO intervals, hex bytea), so anyone with read access recomputes it (contigo
-- verify-ledger). The links are made by a BEFORE INSERT trigger, under the lock of the chain's head
-- row: the application cannot skip it, nor choose its own hashes. A null column does not enter the
-- hash, so adding a nullable column later leaves every old hash valid.
--
-- The head (last sequence number and hash) lives in ledger_heads, readable and writable only by the
-- owner (the trigger runs as its owner): it shows a removal of the last rows as well.
create table ledger_heads (
    chain     text primary key,            -- the chained table's name, in this schema
    last_seq  bigint not null,
    last_hash bytea not null
);

create function ledger_canonical(r jsonb) returns text language sql immutable as $$
    select jsonb_strip_nulls($1 - array['chain_seq', 'prev_hash', 'row_hash'])::text
$$;

create function ledger_link() returns trigger language plpgsql security definer
    set search_path from current
    set timezone to 'UTC' set intervalstyle to 'iso_8601' set bytea_output to 'hex' set extra_float_digits to 1
as $$
declare
    head ledger_heads%rowtype;
begin
    -- The head row's lock orders concurrent inserts; under repeatable read a concurrent insert
    -- makes this fail (serialization error) instead of forking the chain.
    select * into strict head from ledger_heads where chain = tg_table_name for update;
    new.chain_seq := head.last_seq + 1;
    new.prev_hash := head.last_hash;
    new.row_hash := sha256(convert_to(ledger_canonical(to_jsonb(new)), 'UTF8') || head.last_hash);
    update ledger_heads set last_seq = new.chain_seq, last_hash = new.row_hash where chain = tg_table_name;
    return new;
end;
$$;

-- Make ``tbl`` (in this schema) a chain: add the link columns, link the rows it already has in
-- ``order_by`` order (user triggers, e.g. an immutability guard, are off meanwhile), then link every
-- new row on insert.
create function ledger_adopt(tbl text, order_by text) returns void language plpgsql
    set timezone to 'UTC' set intervalstyle to 'iso_8601' set bytea_output to 'hex' set extra_float_digits to 1
as $$
declare
    r record;
    seq bigint := 0;
    prev bytea := decode(repeat('00', 32), 'hex');
    h bytea;
begin
    execute format('alter table %I add column chain_seq bigint, add column prev_hash bytea, add column row_hash bytea', tbl);
    execute format('alter table %I disable trigger user', tbl);
    for r in execute format('select ctid as _ctid, to_jsonb(t) as j from %I t order by %s', tbl, order_by) loop
        seq := seq + 1;
        h := sha256(convert_to(ledger_canonical(r.j), 'UTF8') || prev);
        execute format('update %I set chain_seq = $1, prev_hash = $2, row_hash = $3 where ctid = $4', tbl)
            using seq, prev, h, r._ctid;
        prev := h;
    end loop;
    execute format('alter table %I enable trigger user', tbl);
    execute format(
        'alter table %I alter column chain_seq set not null, alter column prev_hash set not null,'
        ' alter column row_hash set not null, add constraint %I unique (chain_seq)', tbl, tbl || '_chain_seq');
    insert into ledger_heads (chain, last_seq, last_hash) values (tbl, seq, prev);
    execute format('create trigger %I before insert on %I for each row execute function ledger_link()',
        tbl || '_ledger', tbl);
end;
$$;
revoke all on function ledger_link() from public;
revoke all on function ledger_adopt(text, text) from public;
