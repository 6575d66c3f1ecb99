DROP TABLE sign_in_failures;
DROP TABLE sessions;
DROP TABLE installation;
DROP TABLE memberships;
DROP TABLE spaces;
DROP TABLE users;
