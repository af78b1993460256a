-- TradeState schema, version 10: identities that cannot collide or go backwards (issue 16).
--
-- A journal is known by its identity, not by its folder's name: the UUID its writer keeps in journal.id beside the
-- queue files. The agent records it with the checkpoint (at the source's first batch, or at its discovery for a
-- checkpoint written before this version) and refuses a folder whose journal is already recorded under another source
-- id (renamed or copied) or whose journal is not the one recorded for its own id (deleted and made again). At most one
-- source holds a journal. An operator who renamed a journal folder on purpose moves its checkpoint to the new name:
--   SELECT accept_journal_rename('old source id', 'new source id');
-- The history rows already drained keep the old source id; the journal's next events are stored under the new one.
--
-- A reader agent is known by its id, the UUID in state.dir/agent.id, not by "<host name>:<journal root>", which two
-- hosts can share (cloned VMs, HOSTNAME unset, containers). Rows claimed before this version have no agent_id: the
-- agent whose name they carry takes them over at its next claim of the source.
ALTER TABLE source_checkpoints ADD COLUMN journal_id uuid;
CREATE UNIQUE INDEX source_checkpoints_journal_id_key ON source_checkpoints (journal_id);

ALTER TABLE source_owners ADD COLUMN agent_id uuid;

CREATE FUNCTION accept_journal_rename(old_source_id text, new_source_id text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    moved source_checkpoints%ROWTYPE;
BEGIN
    IF old_source_id IS NULL OR new_source_id IS NULL OR old_source_id = new_source_id THEN
        RAISE EXCEPTION 'accept_journal_rename needs two different source ids';
    END IF;
    IF EXISTS (SELECT 1 FROM source_checkpoints WHERE source_id = new_source_id) THEN
        RAISE EXCEPTION 'source % has a checkpoint of its own: its journal is drained under that id, nothing moved',
            new_source_id;
    END IF;
    UPDATE source_checkpoints SET source_id = new_source_id, updated_at = now() WHERE source_id = old_source_id
        RETURNING * INTO moved;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'source % has no checkpoint to move', old_source_id;
    END IF;
    -- The agent that refused the new name may have claimed it; the old name's owner is the journal's.
    IF EXISTS (SELECT 1 FROM source_owners WHERE source_id = old_source_id) THEN
        DELETE FROM source_owners WHERE source_id = new_source_id;
        UPDATE source_owners SET source_id = new_source_id WHERE source_id = old_source_id;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sources WHERE source_id = new_source_id) THEN
        UPDATE sources SET source_id = new_source_id WHERE source_id = old_source_id;
    END IF;
    RETURN format('journal %s continues as source %s after index 0x%s; the events drained before keep source id %s',
        moved.journal_id, new_source_id, to_hex(moved.last_index), old_source_id);
END
$$;
