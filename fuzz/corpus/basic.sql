create table t (id int primary key, name text not null);
insert into t values (1, E'it\'s'), (2, 'a;b');
