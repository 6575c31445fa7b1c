-- Stored, reusable rollout strategies: a named StrategySpec (the same JSON a rollout keeps), optionally a group's
-- default (one per group: the unique index makes that a database fact).
create sequence rollout_strategy_seq start with 1 increment by 1;

create table rollout_strategy (
    id           bigint       primary key,
    name         text         not null unique,
    description  text,
    strategy     jsonb        not null,
    group_id     bigint       references node_group (id) on delete set null,
    created_by   text         not null,
    created_at   timestamptz  not null default now(),
    updated_by   text         not null,
    updated_at   timestamptz  not null default now()
);
create unique index rollout_strategy_group_idx on rollout_strategy (group_id) where group_id is not null;
