CREATE TABLE teams (id int);
