create function g(a int) returns int language sql
begin atomic
  select case when a > 0 then 1 else case a when 0 then 0 end end;
  select 2;
end;
create rule r as on insert to t do also (insert into a values (1); notify c);
select U&'d!0061t' UESCAPE '!', U&"x", B'01', X'ff', N'n', "q""i";
