-- A node's position in an external ranking, from its `leaderboard` answers (docs/node-json.md, ranking_source),
-- where the node has a ranking source configured (POP_RANKING_URL). Pipe publishes no leaderboard; without a
-- source the controller ranks the fleet itself from node_status.

create table node_ranking (
    node_id      bigint       primary key references node (id) on delete cascade,
    observed_at  timestamptz  not null,
    source       text         not null,
    rank         integer,
    total        integer,
    simulated    boolean      not null default false,
    error        text
);
create index node_ranking_rank_idx on node_ranking (rank);
