-- The retention sweep asks for ended workflows of one status, least
-- recently updated first: this index answers it in order, without reading
-- or sorting the workflows it does not remove.
CREATE INDEX workflows_status_update_time ON workflows (status, update_time, id);
