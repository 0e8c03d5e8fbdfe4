-- Drops projects.
DROP TABLE IF EXISTS projects;
