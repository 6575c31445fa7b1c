-- The rest of a node's popfleet.node/v1 envelope (command, ok, data and error are stored already), so a client
-- such as the command line can hand on the node's whole answer. Null where the node gave no answer.
alter table run_target add column tool_version text;
alter table run_target add column node_time text;
