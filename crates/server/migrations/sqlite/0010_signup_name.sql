-- The reader's first name, where the form asked for it (fields="name") and they gave it.
ALTER TABLE signups ADD COLUMN name TEXT;
