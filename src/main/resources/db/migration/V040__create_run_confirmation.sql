-- Confirmations of mutating runs: issued with the node count the operator sees, used once. In the database, not in
-- memory, so a form shown by one controller can be sent to another. Only a hash of the token is kept.
create table run_confirmation (
    token_hash  text         primary key,
    subject     text         not null,   -- sha256 of the operation, its arguments, the selection and the count
    node_count  bigint       not null,
    issued_to   text         not null,
    issued_at   timestamptz  not null default now(),
    expires_at  timestamptz  not null
);
create index run_confirmation_expires_idx on run_confirmation (expires_at);
