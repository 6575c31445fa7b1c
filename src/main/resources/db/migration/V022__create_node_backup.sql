-- Each node's newest backup as its last list-backups answer reported it (the fleet backup issue builds the rest).
create table node_backup (
    node_id      bigint       primary key references node (id) on delete cascade,
    observed_at  timestamptz  not null,
    backup_count integer      not null,
    newest_name  text,
    newest_at    timestamptz,
    size_bytes   bigint,
    sha256       text,
    verified     boolean,
    encrypted    boolean
);
create index node_backup_newest_idx on node_backup (newest_at);
