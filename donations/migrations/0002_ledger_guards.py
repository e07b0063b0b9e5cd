"""On PostgreSQL, the database itself refuses an unbalanced or altered ledger.

A deferred constraint trigger checks, at commit, that the legs of every transaction
touched sum to zero; other triggers refuse to update or delete postings. SQLite (the
first-run default) relies on the same rules enforced in `donations.ledger.services`.
"""

from django.db import migrations

BALANCE_FUNCTION = """
CREATE OR REPLACE FUNCTION donations_ledger_check_balance() RETURNS trigger AS $$
DECLARE
    total bigint;
BEGIN
    SELECT COALESCE(SUM(amount), 0) INTO total
      FROM donations_ledgerleg WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % is unbalanced by %', NEW.transaction_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
BALANCE_TRIGGER = """
CREATE CONSTRAINT TRIGGER donations_ledger_balanced
    AFTER INSERT ON donations_ledgerleg
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION donations_ledger_check_balance();
"""
IMMUTABLE_FUNCTION = """
CREATE OR REPLACE FUNCTION donations_ledger_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger postings are immutable: post a reversing transaction'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""
IMMUTABLE_TRIGGERS = """
CREATE TRIGGER donations_ledgerleg_immutable
    BEFORE UPDATE OR DELETE ON donations_ledgerleg
    FOR EACH ROW EXECUTE FUNCTION donations_ledger_immutable();
CREATE TRIGGER donations_ledgertransaction_immutable
    BEFORE UPDATE OR DELETE ON donations_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION donations_ledger_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS donations_ledger_balanced ON donations_ledgerleg;
DROP TRIGGER IF EXISTS donations_ledgerleg_immutable ON donations_ledgerleg;
DROP TRIGGER IF EXISTS donations_ledgertransaction_immutable ON donations_ledgertransaction;
DROP FUNCTION IF EXISTS donations_ledger_check_balance();
DROP FUNCTION IF EXISTS donations_ledger_immutable();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (BALANCE_FUNCTION, BALANCE_TRIGGER, IMMUTABLE_FUNCTION, IMMUTABLE_TRIGGERS):
        # params=None: the SQL holds % signs that are not placeholders.
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("donations", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
