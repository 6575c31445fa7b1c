-- Staging ahead (popfleet.rollout.stage-ahead): the release is shipped to a waiting node of the current or the next
-- batch while the rollout waits (a soak, a pause, a region's turn, a promotion), so its update finds it in place.
-- Null: not ordered yet; false: ordered (on its way, or it did not arrive: the node is shipped when its turn comes);
-- true: the node held the release when it was staged.
alter table rollout_node add column staged_ahead boolean;
