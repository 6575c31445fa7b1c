-- Live progress without a read per tick: every statement that inserts a run's targets, every change of a target's
-- state and every change of a run's state sends the run's id on channel popfleet_run_changed (PostgreSQL folds equal
-- notifications of one transaction into one and delivers them at commit). Heartbeats change no state and send
-- nothing; a row trigger's WHEN is checked without calling the function. Controllers serving a run's event
-- stream LISTEN there and read the run again only when told (RunChangeSignal); nothing else depends on it.

-- Targets are inserted in bulk (one INSERT ... SELECT per run): one call per statement, not per row.
create function notify_run_targets_inserted() returns trigger language plpgsql as $$
begin
    perform pg_notify('popfleet_run_changed', inserted_run.run_id::text)
        from (select distinct run_id from inserted) as inserted_run;
    return null;
end
$$;

create trigger run_target_inserted_notify after insert on run_target
    referencing new table as inserted for each statement execute function notify_run_targets_inserted();

create function notify_run_target_state_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('popfleet_run_changed', new.run_id::text);
    return null;
end
$$;

create trigger run_target_state_notify after update of state on run_target
    for each row when (old.state is distinct from new.state) execute function notify_run_target_state_changed();

create function notify_run_state_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('popfleet_run_changed', new.id::text);
    return null;
end
$$;

create trigger run_state_notify after update of state on run
    for each row when (old.state is distinct from new.state) execute function notify_run_state_changed();
