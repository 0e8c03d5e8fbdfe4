CREATE OR REPLACE FUNCTION f() RETURNS trigger AS $fn$
BEGIN
  EXECUTE $inner$ select 1; $inner$;
  RETURN NEW; -- done
END;
$fn$ LANGUAGE plpgsql;
DO $$ BEGIN RAISE NOTICE 'x;'; END $$;
/* outer /* nested ; */ still */ select a$$b, $1, x::int, 1..2, 0x1F, 1_000.5e-3;
