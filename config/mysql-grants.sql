-- Run once by the mysql image when its volume is first created (docker-compose.yml), after it has
-- created MYSQL_USER. The services create their databases on start (`<DB_PREFIX>_<subgraph>_<province>`
-- and `..._national`, DB_PREFIX defaults to mutual_aid), so the user may create and use exactly
-- those and nothing else. Change the pattern if you change DB_PREFIX.
GRANT ALL PRIVILEGES ON `mutual\_aid\_%`.* TO 'mutual_aid'@'%';
