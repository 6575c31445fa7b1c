-- Fleet inventory: nodes, groups, tags. Written for 10,000 nodes: every filter the fleet page offers has an index.

create sequence node_seq start with 1 increment by 50;

create table node (
    id              bigint       primary key,
    name            text         not null,
    host            text         not null,
    ssh_port        integer      not null default 22 check (ssh_port between 1 and 65535),
    ssh_user        text         not null,
    credential_ref  text,
    enabled         boolean      not null default true,
    region          text,
    wallet_address  text,
    notes           text,
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now(),
    version         bigint       not null default 0,
    constraint node_name_unique unique (name),
    -- Deferred so one import may swap two nodes' endpoints within its transaction.
    constraint node_endpoint_unique unique (host, ssh_port) deferrable initially deferred
);
create index node_enabled_idx on node (enabled);
create index node_region_idx on node (region);
create index node_lower_name_idx on node (lower(name));

create sequence node_group_seq start with 1 increment by 50;

create table node_group (
    id          bigint       primary key,
    name        text         not null,
    description text,
    created_at  timestamptz  not null default now(),
    constraint node_group_name_unique unique (name)
);

create table node_group_member (
    node_id   bigint not null references node (id) on delete cascade,
    group_id  bigint not null references node_group (id) on delete cascade,
    primary key (node_id, group_id)
);
create index node_group_member_group_idx on node_group_member (group_id, node_id);

-- A tag is "key" or "key=value"; a plain tag has a null value. One value per key per node.
create table node_tag (
    node_id  bigint not null references node (id) on delete cascade,
    tag_key  text   not null,
    tag_value text,
    primary key (node_id, tag_key)
);
create index node_tag_lookup_idx on node_tag (tag_key, tag_value, node_id);
