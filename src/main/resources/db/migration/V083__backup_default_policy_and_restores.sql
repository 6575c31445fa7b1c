-- Fleet backups, second slice (docs/backups.md): the policy of nodes in no group, restores and migrations with their
-- checks, and the verification's test restore of a sample.

-- The policy of every node in no group (one row): before it, such nodes were never scheduled.
create table backup_policy_default (
    id               boolean      primary key default true,
    enabled          boolean      not null default true,
    interval_hours   integer      not null default 24,
    keep_last        integer      not null default 7,
    keep_daily       integer      not null default 14,
    keep_weekly      integer      not null default 8,
    last_started_at  timestamptz,
    constraint backup_policy_default_one check (id),
    constraint backup_policy_default_interval check (interval_hours between 1 and 8760),
    constraint backup_policy_default_keep check (keep_last >= 1 and keep_daily >= 0 and keep_weekly >= 0)
);
insert into backup_policy_default default values;

-- A restore of a stored archive onto its node, or a migration of a node's identity to a new host: what was
-- confirmed, how far it got and what the checks afterwards found (health, and the identity's fingerprint).
create table backup_restore (
    id                    bigserial    primary key,
    kind                  text         not null,
    archive_id            bigint       references backup_archive (id) on delete set null,
    archive_name          text         not null,
    node_id               bigint       references node (id) on delete set null,
    node_name             text         not null,
    old_node_id           bigint       references node (id) on delete set null,
    old_node_name         text,
    expected_fingerprint  text         not null,
    fingerprint_before    text,
    fingerprint_after     text,
    healthy               boolean,
    state                 text         not null default 'running',
    step                  text         not null default 'upload',
    run_id                bigint,
    stop_run_id           bigint,
    warnings              text,
    failure               text,
    started_by            text         not null,
    started_at            timestamptz  not null default now(),
    finished_at           timestamptz,
    constraint backup_restore_kind check (kind in ('restore', 'migrate')),
    constraint backup_restore_state check (state in ('running', 'verified', 'failed'))
);
create index backup_restore_started_idx on backup_restore (started_at desc);

-- The verification's test restore: a sample of archives restored into a scratch simulated node.
alter table backup_archive add column test_restored_at timestamptz;
alter table backup_archive add column test_restore_ok boolean;
alter table backup_archive add column test_restore_failure text;
