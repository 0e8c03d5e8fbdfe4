select 1;
\i other.sql
select 'unterminated
