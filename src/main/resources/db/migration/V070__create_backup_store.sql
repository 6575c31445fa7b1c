-- Fleet identity backups (io.popfleet.backup, docs/backups.md): archives pulled from the nodes into the controller's
-- store, encrypted at rest.

-- Key-encryption keys: each sealed with the master key (SecretBox, context backup_key:<id>). One is active; a
-- rotation adds a new one and re-wraps every archive's data key with it, so archives are never re-read.
create table backup_key (
    id          text         primary key,
    sealed      bytea        not null,
    created_at  timestamptz  not null default now(),
    active      boolean      not null
);
create unique index backup_key_one_active on backup_key (active) where active;

-- A node's answer to `pop backup`, waiting to be pulled: written in the run target's transaction, so every backup a
-- node reports is pulled once, by whichever controller claims the row.
create table backup_pull (
    id            bigserial    primary key,
    node_id       bigint       not null references node (id) on delete cascade,
    run_id        bigint       not null,
    archive_name  text         not null,
    path          text         not null,
    sha256        text         not null,
    size_bytes    bigint,
    state         text         not null default 'pending',
    created_at    timestamptz  not null default now(),
    claimed_at    timestamptz,
    finished_at   timestamptz,
    failure       text,
    archive_id    bigint,
    constraint backup_pull_state check (state in ('pending', 'pulling', 'stored', 'failed'))
);
create index backup_pull_pending_idx on backup_pull (state, id) where state in ('pending', 'pulling');

-- An archive in the store, named by the sha256 of its plaintext (content-addressed). A row exists only for an
-- archive that arrived whole, matched the node's sha256 and its own manifest, and holds no private key.
create table backup_archive (
    id                    bigserial    primary key,
    node_id               bigint       references node (id) on delete set null,
    node_name             text         not null,
    archive_name          text         not null,
    made_at               timestamptz  not null,
    pulled_at             timestamptz  not null,
    size_bytes            bigint       not null,
    sha256                text         not null,
    stored_bytes          bigint       not null,
    tool_version          text,
    binary_version        text,
    pipe_node_id          text,
    identity_fingerprint  text,
    registered_ip         text,
    key_id                text         not null references backup_key (id),
    wrapped_key           bytea        not null,
    verified_at           timestamptz,
    verify_ok             boolean,
    verify_failure        text,
    run_id                bigint,
    constraint backup_archive_sha_unique unique (sha256)
);
create index backup_archive_node_idx on backup_archive (node_id, made_at desc);
create index backup_archive_key_idx on backup_archive (key_id);

-- Backup schedule and retention per group; a group without a row has the defaults (daily, on).
create table backup_policy (
    group_id         bigint       primary key references node_group (id) on delete cascade,
    enabled          boolean      not null default true,
    interval_hours   integer      not null default 24,
    keep_last        integer      not null default 7,
    keep_daily       integer      not null default 14,
    keep_weekly      integer      not null default 8,
    last_started_at  timestamptz,
    constraint backup_policy_interval check (interval_hours between 1 and 8760),
    constraint backup_policy_keep check (keep_last >= 1 and keep_daily >= 0 and keep_weekly >= 0)
);
