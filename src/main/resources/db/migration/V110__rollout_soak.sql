-- Soak after a batch: each node's health and reputation as monitoring last recorded them when the node was
-- dispatched, to compare with what the node's own status read reports at the end of its batch's soak.
alter table rollout_node add column pre_state text;
alter table rollout_node add column pre_reputation double precision;
alter table rollout_node add column pre_uptime double precision;
alter table rollout_node add column pre_historical double precision;
alter table rollout_node add column pre_egress double precision;
-- Set when the node's soak starts (its batch done); kept afterwards, so a batch soaks once.
alter table rollout_node add column soak_until timestamptz;

alter table rollout_node drop constraint rollout_node_state_check;
alter table rollout_node add constraint rollout_node_state_check check (state in ('skipped', 'pending', 'shipping',
    'shipped', 'updating', 'gating', 'checking', 'reverting', 'soaking', 'soak_checking', 'healthy', 'failed',
    'reverted', 'cancelled'));
