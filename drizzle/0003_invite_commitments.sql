-- People's hours, kept by the database itself: whenever an invite is created or changes status,
-- its commitments are rewritten. The inviter holds the hour while the invite is pending or
-- accepted; the invitee once they accept. commitments' primary key (user_id, starts_at) then makes
-- it impossible for anyone to be in two meetings, or to propose one while in another: the INSERT or
-- UPDATE of the invite fails with a unique violation on commitments_pkey.
CREATE FUNCTION sync_invite_commitments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM commitments WHERE invite_id = NEW.id;
  IF NEW.status IN ('pending', 'accepted') THEN
    INSERT INTO commitments (user_id, starts_at, invite_id) VALUES (NEW.inviter_id, NEW.starts_at, NEW.id);
  END IF;
  IF NEW.status = 'accepted' THEN
    INSERT INTO commitments (user_id, starts_at, invite_id) VALUES (NEW.invitee_id, NEW.starts_at, NEW.id);
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invites_commitments
  AFTER INSERT OR UPDATE OF status ON invites
  FOR EACH ROW EXECUTE FUNCTION sync_invite_commitments();
