-- Holds are periods, and the database refuses any overlap: a room is held by its pending and
-- accepted invites, a person by the commitments the trigger below keeps. Comparing periods, not
-- start instants, is what makes a 09:30–10:30 hold collide with a 10:00–11:00 one, whatever zone
-- each instance or room counts its hours in. btree_gist (0001) lets "=" on uuid sit in the index.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
-- The inviter holds the period while the invite is pending or accepted; the invitee once they
-- accept (a room booked for oneself has none). The INSERT or UPDATE of an invite then fails with
-- an exclusion violation on commitments_no_overlap when someone would be in two places at once.
CREATE OR REPLACE FUNCTION sync_invite_commitments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM commitments WHERE invite_id = NEW.id;
  IF NEW.status IN ('pending', 'accepted') THEN
    INSERT INTO commitments (user_id, period, invite_id)
      VALUES (NEW.inviter_id, tstzrange(NEW.starts_at, NEW.ends_at), NEW.id);
  END IF;
  IF NEW.status = 'accepted' AND NEW.invitee_id IS NOT NULL THEN
    INSERT INTO commitments (user_id, period, invite_id)
      VALUES (NEW.invitee_id, tstzrange(NEW.starts_at, NEW.ends_at), NEW.id);
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- Rows written before this migration may overlap (instances counting hours in different zones
-- could hold 09:30–10:30 and 10:00–11:00 at once). Those are settled before the constraints: the
-- meetings first, then the older invites, keep their holds; a later one that collides is cancelled
-- with the reason "overlap" (the trigger frees its commitments).
DO $$
DECLARE
  r record;
BEGIN
  CREATE TEMPORARY TABLE kept_holds (room_id uuid, user_id uuid, period tstzrange);
  FOR r IN
    SELECT id, room_id, inviter_id, invitee_id, status, period FROM invites
    WHERE status IN ('pending', 'accepted')
    ORDER BY status = 'accepted' DESC, created_at, id
  LOOP
    IF EXISTS (
      SELECT 1 FROM kept_holds k
      WHERE k.period && r.period
        AND (k.room_id = r.room_id OR k.user_id = r.inviter_id
          OR (r.status = 'accepted' AND k.user_id = r.invitee_id))
    ) THEN
      UPDATE invites SET status = 'cancelled', reason = 'overlap', updated_at = now() WHERE id = r.id;
    ELSE
      INSERT INTO kept_holds VALUES (r.room_id, r.inviter_id, r.period);
      IF r.status = 'accepted' AND r.invitee_id IS NOT NULL THEN
        INSERT INTO kept_holds VALUES (NULL, r.invitee_id, r.period);
      END IF;
    END IF;
  END LOOP;
  DROP TABLE kept_holds;
END;
$$;
--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_room_no_overlap"
  EXCLUDE USING gist ("room_id" WITH =, "period" WITH &&) WHERE (status IN ('pending', 'accepted'));
--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_no_overlap"
  EXCLUDE USING gist ("user_id" WITH =, "period" WITH &&);
