-- Pinned host keys, one per node. A pin changes only by an explicit, audited operator action.
create table host_key_pin (
    node_id      bigint       primary key references node (id) on delete cascade,
    public_key   text         not null,
    fingerprint  text         not null,
    source       text         not null check (source in ('tofu', 'approved', 'imported', 'repinned')),
    pinned_at    timestamptz  not null default now(),
    pinned_by    text         not null
);

-- Keys a node offered and we refused: an unpinned node under strict, or a changed key. Operators approve or
-- re-pin from here by fingerprint, so they act on a key that was actually seen, not on one typed in.
create table host_key_sighting (
    node_id      bigint       not null references node (id) on delete cascade,
    fingerprint  text         not null,
    public_key   text         not null,
    reason       text         not null check (reason in ('unpinned', 'mismatch')),
    first_seen   timestamptz  not null default now(),
    last_seen    timestamptz  not null default now(),
    primary key (node_id, fingerprint)
);
create index host_key_sighting_last_seen_idx on host_key_sighting (last_seen desc);
