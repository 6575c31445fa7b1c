-- The fleet's ranks, taken every hour from node_status: the leaderboard's movement over a day and a week reads
-- one snapshot (10,000 rows by its key) instead of probing months of node_metric history per node.

create table leaderboard_snapshot (
    at               timestamptz  not null,
    node_id          bigint       not null references node (id) on delete cascade,
    reputation_rank  integer,
    points_rank      integer,
    egress_rank      integer,
    primary key (at, node_id)
);
