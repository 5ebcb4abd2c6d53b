-- Every secret form, run by the superuser on a throwaway PostgreSQL 15 + pgaudit (see realServerSecrets.test.ts).
-- \; sends two statements as one query (pgaudit redacts a role statement only when it comes first).
-- Each secret starts with Q9 so the test can find any part of it in any output. Errors are part of the scenario.
\set ON_ERROR_STOP off
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE EXTENSION IF NOT EXISTS dblink;
CREATE ROLE r1 LOGIN PASSWORD 'Q9first''one';
CREATE ROLE "R ""q""" LOGIN;
CREATE ROLE r2 LOGIN;
CREATE ROLE r3 LOGIN;
CREATE ROLE r4 LOGIN;
GRANT pg_read_all_data TO r1 \; ALTER ROLE r1 PASSWORD E'Q9esc\'two\\x';
SELECT 1 \; ALTER ROLE r1 ENCRYPTED PASSWORD $$Q9dol'three$$;
SELECT 1 \; ALTER ROLE "R ""q""" WITH PASSWORD $pw$Q9tag$four$pw$ VALID UNTIL 'infinity';
SELECT 1 \; ALTER ROLE r1 PASSWORD U&'Q9uni\00e9five\0027x';
SET standard_conforming_strings = off;
SELECT 1 \; ALTER ROLE r1 PASSWORD 'Q9scs\'six\\' VALID UNTIL 'infinity';
SELECT 'a\'b', 1 \; ALTER ROLE r1 PASSWORD 'Q9scsseven\'x';
SET standard_conforming_strings = on;
CREATE SERVER s1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '1', dbname 'd');
ALTER SERVER s1 OPTIONS (ADD sslpassword 'Q9ssleight''x');
CREATE USER MAPPING FOR r1 SERVER s1 OPTIONS (user 'u', password 'Q9mapnine');
ALTER USER MAPPING FOR r1 SERVER s1 OPTIONS (SET password 'Q9mapten$x');
SELECT set_config('app.password', 'Q9cfgeleven', false);
SET app.api_token = 'Q9settwelve';
ALTER DATABASE postgres SET app.secret TO 'Q9dbthirteen';
ALTER SYSTEM SET ssl_passphrase_command = 'echo Q9passfourteen';
ALTER SYSTEM RESET ssl_passphrase_command;
DO $$BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', 'r1', 'Q9fmtfifteen'); END$$;
DO $$BEGIN EXECUTE 'ALTER ROLE r1 PASSWORD ' || quote_literal('Q9catsixteen'); END$$;
SELECT pgp_sym_encrypt('data', 'Q9pgpseventeen');
DO $$BEGIN PERFORM dblink_connect('c', 'host=127.0.0.1 port=1 user=u password=Q9dbleighteen'); EXCEPTION WHEN others THEN NULL; END$$;
CREATE SUBSCRIPTION sub1 CONNECTION 'postgresql://u:Q9uri%27nineteen@127.0.0.1:1/db' PUBLICATION p WITH (connect = false, slot_name = NONE, enabled = false);
-- What psql's \password sends: the hash, which is as good as the password.
SELECT rolpassword AS h FROM pg_authid WHERE rolname = 'r1' \gset
SELECT 1 \; ALTER ROLE r2 PASSWORD :'h';
SET password_encryption = 'md5';
SELECT 1 \; ALTER ROLE r3 PASSWORD 'Q9md5twenty';
SELECT rolpassword AS m FROM pg_authid WHERE rolname = 'r3' \gset
SELECT 1 \; ALTER ROLE r4 PASSWORD :'m';
RESET password_encryption;
