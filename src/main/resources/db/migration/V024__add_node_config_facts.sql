-- Drift: what the node's settings say and what its running process was started with, from each status poll
-- (docs/node-json.md, status data.config and data.process). Compared with each other, the inventory and the
-- fleet's targets by the drift view. An unreachable node keeps its last known facts, like its other figures.

alter table node_status
    add column unit_wallet     text,
    add column process_seen    boolean not null default false,
    add column process_wallet  text,
    add column enable_80_443   boolean,
    add column process_80_443  boolean,
    add column port_80         text,
    add column port_443        text;
